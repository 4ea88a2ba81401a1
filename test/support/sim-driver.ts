// Child process for fault tests: runs a simulated cluster in a process of its
// own (so it never shares an event loop with the collector under test) and
// injects faults on command. Protocol, one JSON object per line:
//   stdout, once started: {"event":"ready","chairman":{..},"root":{..},"hostIds":[..],"leaves":[..],"startupMs":n}
//   stdin:  {"id":n,"op":"stopAgents","ids":[..]} | {"id":n,"op":"diverge","moves":[[hostId,leafId],..]} | {"id":n,"op":"stop"}
//           | {"id":n,"op":"agentLoseRole","host":h} | {"id":n,"op":"agentHoldRole","host":h,"leaf":l}
//           | {"id":n,"op":"agentReportHosts","host":h,"hosts":[..]} | {"id":n,"op":"delayPushes","ms":n}
//   stdout: {"id":n,"ok":true,"value":..} or {"id":n,"ok":false,"error":"..."}
// stdin closing (the test died) stops the cluster and exits, so nothing is left behind.
// Usage: node --import tsx test/support/sim-driver.ts <zk connect string> <hosts> <fanout>
import { createInterface } from 'node:readline';
import type { HostId, SchedulerId } from '../../src/model/ids.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';

export type SimCommand =
  | { op: 'stopAgents'; ids: HostId[] }
  | { op: 'diverge'; moves: [HostId, SchedulerId][] }
  | { op: 'agentLoseRole'; host: HostId }
  | { op: 'agentHoldRole'; host: HostId; leaf: SchedulerId }
  | { op: 'agentReportHosts'; host: HostId; hosts: HostId[] }
  | { op: 'delayPushes'; ms: number }
  | { op: 'stop' };

export interface LeafTruth {
  id: SchedulerId;
  owner: HostId | null;
  hosts: HostId[];
}

function leaves(cluster: SimulatedCluster): LeafTruth[] {
  return cluster.truth().tree.leaves.map((l) => ({ id: l.id, owner: l.owner, hosts: l.hosts.map((h) => h.id) }));
}

function send(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function allOk(results: Promise<{ ok: boolean; error?: string }>[]): Promise<string | null> {
  const failed = (await Promise.all(results)).find((r) => !r.ok);
  return failed ? (failed.error ?? 'failed') : null;
}

function must(r: { ok: true } | { ok: false; error: string }): undefined {
  if (!r.ok) throw new Error(r.error);
  return undefined;
}

async function execute(cluster: SimulatedCluster, command: SimCommand): Promise<unknown> {
  switch (command.op) {
    case 'stopAgents': {
      // All at once: the outage is one event, not a slow trickle.
      const error = await allOk(command.ids.map((id) => cluster.stopAgent(id)));
      if (error) throw new Error(error);
      return command.ids.length;
    }
    case 'diverge':
      for (const [host, leaf] of command.moves) {
        const moved = cluster.divergeChairman(host, leaf);
        if (!moved.ok) throw new Error(moved.error);
      }
      return command.moves.length;
    case 'agentLoseRole':
      return must(cluster.agentLoseRole(command.host));
    case 'agentHoldRole':
      return must(cluster.agentHoldRole(command.host, command.leaf));
    case 'agentReportHosts':
      return must(cluster.agentReportHosts(command.host, command.hosts));
    case 'delayPushes':
      cluster.delayChairmanPushes(command.ms);
      return command.ms;
    case 'stop':
      return undefined;
  }
}

async function main(): Promise<void> {
  const [zk, hosts, fanout] = process.argv.slice(2);
  if (!zk || !hosts) throw new Error('usage: sim-driver.ts <zk> <hosts> [fanout]');
  const cluster = await startSimulatedCluster({ zk, hosts: Number(hosts), fanout: Number(fanout ?? 32) });
  let stopping: Promise<void> | null = null;
  const stop = (): Promise<void> => (stopping ??= cluster.stop({ clean: true }).then(() => process.exit(0)));
  process.once('SIGTERM', () => void stop());
  send({
    event: 'ready',
    chairman: cluster.chairman,
    root: cluster.rootScheduler,
    hostIds: cluster.hostIds,
    leaves: leaves(cluster),
    startupMs: Math.round(cluster.timings.totalMs),
  });
  const input = createInterface({ input: process.stdin });
  input.on('close', () => void stop());
  for await (const text of input) {
    const { id, ...command } = JSON.parse(text) as SimCommand & { id: number };
    try {
      const value = await execute(cluster, command);
      send({ id, ok: true, value });
    } catch (e) {
      send({ id, ok: false, error: e instanceof Error ? e.message : String(e) });
    }
    if (command.op === 'stop') await stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`sim-driver: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
