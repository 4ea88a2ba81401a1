// `treesnap sim`: starts a simulated cluster and says where everything listens
// and how long startup took. The caller keeps it running and stops it.
import type { SimulatedCluster } from './cluster.js';
import { startSimulatedCluster } from './cluster.js';

export interface RunSimulatorOptions {
  zk: string;
  hosts: number;
  fanout: number;
}

export async function runSimulator(options: RunSimulatorOptions, out: (line: string) => void): Promise<SimulatedCluster> {
  out(`starting ${options.hosts} simulated hosts (fanout ${options.fanout}) against zookeeper ${options.zk}`);
  const cluster = await startSimulatedCluster({ zk: options.zk, hosts: options.hosts, fanout: options.fanout, log: out });
  const truth = cluster.truth();
  const t = cluster.timings;
  const ports = cluster.hostIds.map((id) => truth.agents.get(id)?.endpoint.port ?? 0);
  out(`chairman        ${cluster.chairman.host}:${cluster.chairman.port}  (${truth.chairman.memberPath})`);
  out(`root scheduler  ${cluster.rootScheduler.host}:${cluster.rootScheduler.port}  (${truth.rootScheduler.memberPath})`);
  if (ports.length > 0) out(`agents          ${ports.length} on ${cluster.chairman.host}, ports ${ports.reduce((a, b) => Math.min(a, b))}..${ports.reduce((a, b) => Math.max(a, b))}`);
  out(`tree            ${truth.tree.leaves.length} leaves, ${truth.registrations.size} hosts registered`);
  out(
    `startup         ${seconds(t.totalMs)} total: agents listening ${seconds(t.listenMs)}, registered ${seconds(t.registerMs)}, ` +
      `persisted+pushed ${seconds(t.settleMs)} after; rss ${Math.round(process.memoryUsage().rss / 2 ** 20)} MiB`,
  );
  return cluster;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
