// A random history of collections as the daemon records them (deterministic
// for a seed): hosts moving between leaves, going missing and offline,
// sources failing, agents answering with their host lists (or not), Stats of
// watched paths, and the watched record's events, gaps and drop counts.
import type { Observation } from '../../src/model/observation.js';
import { sourceError } from '../../src/model/source-error.js';
import type { ZkStat } from '../../src/model/zk-stat.js';
import type { VersionWrite } from '../../src/snapshot/plan-versions.js';
import { observation } from './observation.js';
import { T0 } from './random-history.js';

const HOSTS = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7'];
const FAILABLE = ['hosts', 'chairman', 'status', 'agents', 'missing'] as const;

function rng(seed: number): (n: number) => number {
  let s = seed >>> 0;
  return (n) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s >>> 8) % n;
  };
}

function stat(at: number, version: number): ZkStat {
  return { ctime: T0, mtime: at, czxid: 'c1', mzxid: `m${version}`, pzxid: 'p', version, cversion: version, ephemeralOwner: '0' };
}

function watchWrites(rand: (n: number) => number, at: number): VersionWrite[] {
  const out: VersionWrite[] = [];
  const child = () => HOSTS[rand(HOSTS.length)]!;
  if (rand(2)) {
    const events = [{ kind: 'children', stat: rand(4) ? stat(at, 1) : null, arrivedAt: at, added: [child()], removed: rand(2) ? [child(), child()] : [] }];
    if (rand(3) === 0) events.push({ kind: 'deleted', stat: stat(at, 2), arrivedAt: at + 1, added: [], removed: [] });
    out.push({ kind: 'watch', entity: '/missing', value: JSON.stringify({ events }) });
  }
  if (rand(3) === 0) out.push({ kind: 'watch', entity: `/roles/${child()}`, value: JSON.stringify({ events: [{ kind: 'data', stat: stat(at, 3), arrivedAt: at }] }) });
  if (rand(8) === 0) out.push({ kind: 'watch', entity: `gap:${at}`, value: JSON.stringify({ from: at, to: at + 5, reason: 'session expired' }) });
  if (rand(8) === 0) out.push({ kind: 'watch', entity: 'dropped', value: JSON.stringify({ count: rand(9) + 1 }) });
  return out;
}

/** One collection: leaves of the hosts present, some missing, offline or failing. */
function collection(rand: (n: number) => number, i: number): { obs: Observation; watch: VersionWrite[] } {
  const at = T0 + i * 60_000;
  const present = HOSTS.filter(() => rand(6) !== 0);
  const leaves: Record<string, string[]> = { L1: present.filter((_, j) => j % 2 === 0), L2: present.filter((_, j) => j % 2 === 1) };
  if (rand(3) === 0) leaves.L3 = [present.pop() ?? 'h7'];
  const failed = Object.fromEntries(FAILABLE.filter(() => rand(12) === 0).map((s) => [s, sourceError('timeout', `${s} timed out`)]));
  const agents = Object.entries(leaves).map(([leaf, hosts]) =>
    rand(7) === 0 ? { host: hosts[0] ?? 'h1', state: 'unknown' as const, error: sourceError('timeout', 'agent timed out') } : { host: hosts[0] ?? 'h1', state: 'role' as const, leafId: leaf, parentId: rand(2) ? 'P' : null, hostIds: [...hosts] },
  );
  const obs = observation({
    leaves,
    at,
    missing: HOSTS.filter(() => rand(5) === 0),
    offline: HOSTS.filter(() => rand(5) === 0),
    chairmanLeaves: rand(4) === 0 ? { L1: leaves.L1!.slice(1), L2: [...leaves.L2!, ...leaves.L1!.slice(0, 1)] } : undefined,
    failed,
    agents,
    status: rand(4) === 0 ? { [HOSTS[rand(HOSTS.length)]!]: 'ERROR' } : undefined,
  });
  const zkStats = rand(2) ? { '/missing': stat(at, i), [`/roles/${present[0] ?? 'h1'}`]: stat(at, rand(3)) } : undefined;
  return { obs: zkStats ? { ...obs, zkStats } : obs, watch: watchWrites(rand, at) };
}

export function randomIncidents(seed: number, snapshots: number): { obs: Observation; watch: VersionWrite[] }[] {
  const rand = rng(seed);
  return Array.from({ length: snapshots }, (_, i) => collection(rand, i));
}
