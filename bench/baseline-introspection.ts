// The original tool's introspection, as the bench's reference: the seed's
// get_service_leader, get_hierarchy_from_zk, get_hosts_from_zk,
// get_missing_hosts_from_zk, get_hierarchy_from_chairman, get_root_scheduler
// and update_status, with their reading rules (photon-protocol.md). The
// point is the I/O pattern: one ZooKeeper request after another, then one TCP
// connect per node after another, each awaited before the next starts.
// Written on node-zookeeper-client and node:net directly; only the pure
// decoders and the two single RPCs (one call each either way) are shared with
// treesnap, so the comparison is of the algorithm, not of the decoding.
import { connect as tcpConnect } from 'node:net';
import { performance } from 'node:perf_hooks';
import zookeeper from 'node-zookeeper-client';
import type { Endpoint } from '../src/model/ids.js';
import { getChairmanSchedulers } from '../src/sources/thrift/chairman-client.js';
import { getRootSchedulers } from '../src/sources/thrift/root-scheduler-client.js';
import { decodeHostConfig, decodeRoles, decodeServerAddress } from '../src/sources/zookeeper/decode.js';

export interface BaselineTimings {
  zkConnectMs: number;
  /** Leaders, /roles, /hosts, /missing: every request in sequence. */
  zkReadsMs: number;
  chairmanMs: number;
  rootMs: number;
  probesMs: number;
  totalMs: number;
  counts: { leaves: number; hosts: number; registered: number; missing: number; online: number; offline: number };
}

const PROBE_TIMEOUT_MS = 2000;
const RPC = { connectTimeoutMs: 5000, callTimeoutMs: 10_000 };

function connectZk(connectString: string): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 30_000, retries: 0 });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`baseline: no ZooKeeper session with ${connectString}`));
    }, 10_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve(client);
    });
    client.connect();
  });
}

function isNoNode(e: Error | zookeeper.Exception): boolean {
  return e instanceof zookeeper.Exception && e.getCode() === zookeeper.Exception.NO_NODE;
}

function children(zk: zookeeper.Client, path: string): Promise<string[]> {
  return new Promise((resolve, reject) =>
    zk.getChildren(path, (e, names) => (!e ? resolve(names) : isNoNode(e) ? resolve([]) : reject(e))),
  );
}

/** null: deleted between list and read (skipped, as the original does). */
function data(zk: zookeeper.Client, path: string): Promise<Buffer | null> {
  return new Promise((resolve, reject) =>
    zk.getData(path, (e, bytes) => (!e ? resolve(bytes ?? Buffer.alloc(0)) : isNoNode(e) ? resolve(null) : reject(e))),
  );
}

/** get_service_leader: the service's only member's address, or none. */
async function serviceLeader(zk: zookeeper.Client, path: string): Promise<Endpoint | null> {
  const members = await children(zk, path);
  if (members.length !== 1) return null;
  const bytes = await data(zk, `${path}/${members[0]}`);
  if (!bytes) return null;
  const address = decodeServerAddress(bytes);
  return address.ok ? address.value : null;
}

interface ZkHost {
  id: string;
  address: Endpoint;
}

/** get_hierarchy_from_zk: one leaf per /roles child holding exactly one scheduler. */
async function hierarchyFromZk(zk: zookeeper.Client): Promise<{ leaves: number; hosts: ZkHost[] }> {
  const hosts: ZkHost[] = [];
  let leaves = 0;
  for (const name of await children(zk, '/roles')) {
    const bytes = await data(zk, `/roles/${name}`);
    if (!bytes) continue;
    const roles = decodeRoles(bytes);
    if (!roles.ok || roles.value.schedulers.length !== 1) continue;
    leaves += 1;
    for (const c of roles.value.schedulers[0]!.hostChildren) hosts.push({ id: c.id, address: c.address });
  }
  return { leaves, hosts };
}

/** get_hosts_from_zk. */
async function hostsFromZk(zk: zookeeper.Client): Promise<number> {
  let registered = 0;
  for (const name of await children(zk, '/hosts')) {
    const bytes = await data(zk, `/hosts/${name}`);
    if (bytes && decodeHostConfig(bytes).ok) registered += 1;
  }
  return registered;
}

/** The original status rule: ONLINE when a TCP connection opens. */
function probe(address: Endpoint): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: address.host, port: address.port });
    const done = (online: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(online);
    };
    const timer = setTimeout(() => done(false), PROBE_TIMEOUT_MS);
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Where to reach the chairman and the root scheduler instead of the leaders' addresses (still read from
 * ZooKeeper first, as the original does): a latency proxy in front of each, in the bench.
 */
export interface LeaderRoutes {
  chairman?: Endpoint;
  root?: Endpoint;
}

export async function baselineIntrospection(connectString: string, via: LeaderRoutes = {}): Promise<BaselineTimings> {
  const t0 = performance.now();
  const zk = await connectZk(connectString);
  const t1 = performance.now();
  try {
    const chairmanLeader = await serviceLeader(zk, '/services/chairman');
    const rootLeader = await serviceLeader(zk, '/services/root-scheduler');
    const chairman = chairmanLeader && (via.chairman ?? chairmanLeader);
    const root = rootLeader && (via.root ?? rootLeader);
    const tree = await hierarchyFromZk(zk);
    const registered = await hostsFromZk(zk);
    const missing = (await children(zk, '/missing')).length;
    const t2 = performance.now();
    if (chairman) await getChairmanSchedulers(chairman, RPC);
    const t3 = performance.now();
    if (root) await getRootSchedulers(root, RPC);
    const t4 = performance.now();
    let online = 0;
    const nodes = [...(root ? [root] : []), ...tree.hosts.map((h) => h.address)];
    for (const address of nodes) if (await probe(address)) online += 1;
    const t5 = performance.now();
    return {
      zkConnectMs: t1 - t0,
      zkReadsMs: t2 - t1,
      chairmanMs: t3 - t2,
      rootMs: t4 - t3,
      probesMs: t5 - t4,
      totalMs: t5 - t0,
      counts: { leaves: tree.leaves, hosts: tree.hosts.length, registered, missing, online, offline: nodes.length - online },
    };
  } finally {
    zk.close();
  }
}
