// The simulator's rehearsal console (`treesnap sim` reads it from stdin): one
// line, one fault or repair, so an operator can rehearse an incident against
// a running collector (`run`) and then read it back from the history. One
// registry: each command's arguments, help and action; `help` lists them.
import { ok, err, type Result } from '../model/result.js';
import { parseDuration } from '../util/time.js';
import type { SimulatedCluster } from './cluster.js';

interface ConsoleCommand {
  args: string;
  help: string;
  run(cluster: SimulatedCluster, args: string[]): Promise<Result<string | void, string>> | Result<string | void, string>;
}

const list = (text: string | undefined): string[] => (text ?? '').split(',').filter(Boolean);

function duration(text: string | undefined): Result<number, string> {
  return text === undefined ? err('a duration is needed (90s, 2m, 500ms)') : parseDuration(text);
}

function service(text: string | undefined): Result<'chairman' | 'root-scheduler', string> {
  return text === 'chairman' || text === 'root-scheduler' ? ok(text) : err(`a service is needed: chairman or root-scheduler, got '${text ?? ''}'`);
}

/** The leaves and their owners and hosts, so the ids the other commands take can be found. */
function treeText(cluster: SimulatedCluster): string {
  const leaves = cluster.truth().tree.leaves;
  return leaves.map((l) => `leaf ${l.id}  owner ${l.owner ?? '(none)'}  hosts ${l.hosts.map((h) => h.id).join(',')}`).join('\n');
}

export const CONSOLE_COMMANDS: Record<string, ConsoleCommand> = {
  tree: { args: '', help: 'the leaves, owners and hosts as the simulator holds them', run: (c) => ok(treeText(c)) },
  'lose-role': { args: 'HOST', help: 'the agent answers get_schedulers with no role', run: (c, [h]) => c.agentLoseRole(h ?? '') },
  'hold-role': { args: 'HOST LEAF', help: "the agent answers with another leaf's role", run: (c, [h, l]) => c.agentHoldRole(h ?? '', l ?? '') },
  'report-hosts': { args: 'HOST H1,H2', help: 'the agent keeps its leaf but reports these hosts', run: (c, [h, hs]) => c.agentReportHosts(h ?? '', list(hs)) },
  'delay-pushes': {
    args: 'DURATION',
    help: 'the chairman pushes roles to agents this long after writing /roles (0s: at once)',
    run: (c, [d]) => {
      const ms = duration(d);
      if (ms.ok) c.delayChairmanPushes(ms.value);
      return ms.ok ? ok(undefined) : ms;
    },
  },
  'stop-agent': { args: 'HOST', help: "close the agent's port", run: (c, [h]) => c.stopAgent(h ?? '') },
  'hang-agent': { args: 'HOST', help: 'accept connections, never answer', run: (c, [h]) => c.hangAgent(h ?? '') },
  'start-agent': { args: 'HOST', help: 'listen again, re-register, get its role back', run: (c, [h]) => c.startAgent(h ?? '') },
  'report-missing': { args: 'H1,H2', help: "as the chairman's report_missing", run: (c, [hs]) => c.reportMissing(list(hs)) },
  resurrect: { args: 'H1,H2', help: "as the chairman's report_resurrected", run: (c, [hs]) => c.reportResurrected(list(hs)) },
  'flap-leader': {
    args: 'SERVICE DURATION',
    help: 'the leader leaves ZooKeeper and comes back at the same address after DURATION',
    run: (c, [s, d]) => {
      const which = service(s);
      const ms = duration(d);
      return !which.ok ? which : !ms.ok ? ms : c.flapLeader(which.value, ms.value);
    },
  },
  'rewrite-role': { args: 'OWNER', help: '/roles/OWNER written again with the same value', run: (c, [o]) => c.rewriteRole(o ?? '') },
  'diverge-chairman': { args: 'HOST LEAF', help: "move a host in the chairman's memory only", run: (c, [h, l]) => c.divergeChairman(h ?? '', l ?? '') },
  'stop-chairman': { args: '', help: 'its member leaves /services/chairman, its port closes', run: async (c) => (await c.stopChairman(), ok(undefined)) },
  'start-chairman': { args: '', help: 'back on the same port; re-persists and re-pushes the tree', run: (c) => c.startChairman() },
};

export function consoleHelp(): string {
  const rows = Object.entries(CONSOLE_COMMANDS).map(([name, c]) => [`${name}${c.args ? ` ${c.args}` : ''}`, c.help]);
  const width = Math.max(...rows.map(([a]) => a!.length));
  return ['commands (one per line):', ...rows.map(([a, h]) => `  ${a!.padEnd(width)}  ${h}`), `  ${'help'.padEnd(width)}  this list`].join('\n');
}

/** One console line → what to print: the command's answer, "ok", or one "error: ..." line. Never throws. */
export async function runConsoleLine(cluster: SimulatedCluster, line: string): Promise<string | null> {
  const [name, ...args] = line.trim().split(/\s+/).filter(Boolean);
  if (!name) return null;
  if (name === 'help') return consoleHelp();
  const command = CONSOLE_COMMANDS[name];
  if (!command) return `error: unknown command '${name}' (help lists them)`;
  try {
    const r = await command.run(cluster, args);
    return r.ok ? (r.value ?? 'ok') : `error: ${r.error}`;
  } catch (e) {
    return `error: ${e instanceof Error ? e.message : String(e)}`;
  }
}
