// `npm run demo`: a simulated Photon cluster on the ZooKeeper named by
// TREESNAP_ZK (npm run demo starts a throwaway one), collected into a fresh
// history while things break, then queried the way an operator would.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulatedCluster } from '../src/sim/cluster.js';

const zkBase = process.env.TREESNAP_ZK;
if (!zkBase) {
  process.stderr.write('demo: TREESNAP_ZK is not set (run it as `npm run demo`)\n');
  process.exit(2);
}
const zk = `${zkBase}/treesnap-demo-${randomUUID().slice(0, 8)}`;
const dir = mkdtempSync(join(tmpdir(), 'treesnap-demo-'));
const db = join(dir, 'history.db');

function say(text: string): void {
  process.stdout.write(`\n\x1b[1m# ${text}\x1b[0m\n`);
}

/**
 * Runs the real CLI, as a user would, and shows its output and exit status.
 * Asynchronously: the simulated cluster lives in this process and must keep answering.
 */
async function treesnap(...args: string[]): Promise<number> {
  process.stdout.write(`$ treesnap ${args.join(' ')}\n`);
  const child = spawn('bin/treesnap', args, {
    stdio: 'inherit',
    env: { ...process.env, TREESNAP_DB: db, TREESNAP_ZK: zk },
  });
  const status = await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 1)));
  if (status !== 0) process.stdout.write(`(exit ${status})\n`);
  return status;
}

function check(r: { ok: boolean; error?: unknown }, what: string): void {
  if (!r.ok) throw new Error(`demo: ${what}: ${String(r.error)}`);
}

async function main(): Promise<void> {
  say(`Starting a simulated cluster: chairman, root scheduler, 60 agents, fanout 8 (ZooKeeper ${zk})`);
  const cluster = await startSimulatedCluster({ zk, hosts: 60, fanout: 8 });
  try {
    say('A first collection records every source');
    await treesnap('collect');
    await treesnap('show', 'latest', '--source', 'zk', '--source', 'root');

    const leaves = cluster.truth().tree.leaves;
    const [a, b, c, d] = cluster.hostIds;
    const lost = leaves.find((l) => l.owner && ![a, b, c, d].includes(l.owner))!;
    const lostOwner = lost.owner!;
    say(`Incident: 3 agents die, the chairman reports 2 of them missing, its memory drifts from ZooKeeper, a /hosts value is corrupted, and ${lostOwner}, owner of leaf ${lost.id}, loses its leaf role`);
    for (const id of [a!, b!, c!]) check(await cluster.stopAgent(id), 'stop agent');
    check(await cluster.reportMissing([a!, b!]), 'report missing');
    check(cluster.agentLoseRole(lostOwner), 'agent loses its role');
    check(cluster.divergeChairman(d!, leaves[leaves.length - 1]!.id), 'diverge chairman');
    check(await cluster.writeCorruptValue(`/hosts/${cluster.hostIds[10]}`), 'corrupt value');
    await treesnap('collect');

    say('The chairman goes down: its view is recorded as UNKNOWN, not as an empty tree (exit 4: partial)');
    await cluster.stopChairman();
    await treesnap('collect');
    check(await cluster.startChairman(), 'start chairman');

    say('Recovery: agents come back, the missing reports are withdrawn');
    for (const id of [a!, b!, c!]) check(await cluster.startAgent(id), 'start agent');
    check(await cluster.reportResurrected([a!, b!]), 'report resurrected');
    await treesnap('collect');

    say('What happened, from the history');
    await treesnap('snapshots');
    await treesnap('diff', 'latest~3', 'latest~2');
    // The demo's collections are seconds apart, so by default the incident's drift is still settling there (exit 0);
    // --settle 0s shows it as drift, as a collection a few minutes later would.
    await treesnap('drift', 'latest~2', '--settle', '0s');
    await treesnap('show', 'latest~2', '--source', 'agents');
    await treesnap('missing');
    await treesnap('history', a!);
    await treesnap('timeline', '--since', '1h ago', '--until', 'now');
  } finally {
    await cluster.stop({ clean: true });
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
