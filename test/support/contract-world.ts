// A small, fully known Photon cluster for the source contract suite: a fresh
// chroot on the real ZooKeeper (reached through a TCP proxy that can go
// silent), the chairman and root scheduler as real Thrift servers, two agents
// as real Thrift servers registered in /hosts. Each case bends one part of it.
import zookeeper from 'node-zookeeper-client';
import photon from '../../src/generated/thrift/photon_types.js';
import type { GetSchedulersResponse } from '../../src/generated/thrift/photon_types.js';
import type { CollectOptions } from '../../src/collect/collect.js';
import type { Endpoint } from '../../src/model/ids.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { startFakeAgent, startFakeChairman, startFakeRootScheduler, type FakeService } from '../integration/thrift-fake-services.js';
import { leafChild, leafEntry, rootEntry } from '../unit/thrift/fixtures.js';
import { startHostilePeer, type HostileBehaviour } from './hostile-peers.js';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.js';
import { connectWriter, type ZkWriter } from './zk-write.js';
import { freshChroot, zkBase } from './zookeeper.js';

export const HOSTS = ['h1', 'h2'] as const;
export const LEAF = 'leaf-1';
export const SERVICE_MEMBER = { chairman: '/services/chairman/node-1', root: '/services/root-scheduler/node-1' } as const;

export interface World {
  /** Writes straight to the chroot (not through the proxy). */
  writer: ZkWriter;
  proxy: TcpProxy;
  /** What the chairman and the root scheduler answer to get_schedulers. */
  answers: { chairman: GetSchedulersResponse; root: GetSchedulersResponse };
  agents: Map<string, Endpoint>;
  /** Collect options for this world (through the proxy). */
  options: CollectOptions;
  /** A peer that misbehaves, closed with the world. */
  hostile(behaviour: HostileBehaviour): Promise<Endpoint>;
  close(): Promise<void>;
}

export const addressBytes = (ep: Endpoint): Buffer => encodeBinary(new photon.ServerAddress({ host: ep.host, port: ep.port }));

export function hostConfigBytes(id: string, ep: Endpoint): Buffer {
  return encodeBinary(
    new photon.HostConfig({
      agent_id: id,
      availability_zone: 'az1',
      datastores: [new photon.Datastore({ id: 'ds1', name: 'ds1', type: photon.DatastoreType.SHARED_VMFS })],
      address: new photon.ServerAddress({ host: ep.host, port: ep.port }),
      networks: [],
      image_datastore_ids: ['ds1'],
    }),
  );
}

function roles(agents: Map<string, Endpoint>): Buffer {
  const children = [...agents].map(([id, ep]) => new photon.ChildInfo({ id, address: ep.host, port: ep.port }));
  return encodeBinary(
    new photon.Roles({ schedulers: [new photon.SchedulerRole({ id: LEAF, parent_id: 'ROOT', hosts: [...agents.keys()], host_children: children })] }),
  );
}

/** The chairman's and the root scheduler's views of the same one-leaf tree, owned by the first host. */
function centralAnswers(agents: Map<string, Endpoint>): World['answers'] {
  const hosts = [...agents].map(([id, ep]) => ({ id, ...ep }));
  const owner = hosts[0]!;
  const ok = photon.GetSchedulersResultCode.OK;
  return {
    chairman: new photon.GetSchedulersResponse({ result: ok, schedulers: [rootEntry([leafChild(LEAF, owner)]), leafEntry(LEAF, owner, hosts)] }),
    root: new photon.GetSchedulersResponse({ result: ok, schedulers: [rootEntry([leafChild(LEAF, owner)])] }),
  };
}

/** The first server of the test ZooKeeper's connect string. */
function firstServer(): Endpoint {
  const [host, port] = zkBase().split('/')[0]!.split(',')[0]!.split(':');
  return { host: host!, port: Number(port) };
}

export async function buildWorld(): Promise<World> {
  const closers: Array<() => Promise<void> | void> = [];
  const agents = new Map<string, Endpoint>();
  for (const id of HOSTS) {
    const agent = await startFakeAgent({ agentId: id });
    closers.push(() => agent.close());
    agents.set(id, agent.endpoint);
  }
  const answers = centralAnswers(agents);
  const chairman: FakeService = await startFakeChairman({ getSchedulers: async () => answers.chairman });
  const root: FakeService = await startFakeRootScheduler({ getSchedulers: async () => answers.root });
  closers.push(() => chairman.close(), () => root.close());
  const { chroot } = await freshChroot('contract');
  const proxy = await startTcpProxy({ target: firstServer() });
  closers.push(() => proxy.close());
  const writer = await connectWriter(`${zkBase()}${chroot}`);
  closers.push(() => writer.close());
  const ephemeral = zookeeper.CreateMode.EPHEMERAL;
  await writer.put(SERVICE_MEMBER.chairman, addressBytes(chairman.endpoint), ephemeral);
  await writer.put(SERVICE_MEMBER.root, addressBytes(root.endpoint), ephemeral);
  await writer.put(`/roles/${HOSTS[0]}`, roles(agents));
  for (const [id, ep] of agents) await writer.put(`/hosts/${id}`, hostConfigBytes(id, ep));
  await writer.put(`/missing/${HOSTS[1]}`);
  return {
    writer,
    proxy,
    answers,
    agents,
    options: {
      zk: `${proxy.endpoint.host}:${proxy.endpoint.port}${chroot}`,
      connectTimeoutMs: 1500,
      requestTimeoutMs: 1500,
      probeTimeoutMs: 1500,
      probeConcurrency: 8,
      probeMode: 'ping',
    },
    async hostile(behaviour) {
      const peer = await startHostilePeer(behaviour);
      closers.push(() => peer.close());
      return peer.endpoint;
    },
    async close() {
      for (const c of closers.reverse()) await c();
    },
  };
}

/** Replaces a node's value. */
export function setData(w: ZkWriter, path: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => w.client.setData(path, data, -1, (e) => (e ? reject(e) : resolve())));
}

/** Removes a node and everything under it. */
export async function removeTree(w: ZkWriter, path: string): Promise<void> {
  const children = await new Promise<string[]>((resolve, reject) => w.client.getChildren(path, (e, names) => (e ? reject(e) : resolve(names))));
  for (const name of children) await removeTree(w, `${path}/${name}`);
  await w.remove(path);
}

export const GARBAGE = Buffer.from('this is not a thrift struct, nor anything else');
