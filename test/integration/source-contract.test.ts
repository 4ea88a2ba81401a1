// The contract every source meets (issue 13, item 6), as one suite that walks
// the source registry: it reads what is there; a server that does not answer
// makes the source (or that one node) unknown, never empty; one garbled node is
// that node's error, or the whole source's, as the source's table entry says;
// an empty source and an absent one read as the entry documents. Real
// ZooKeeper (through a proxy that can go silent), real Thrift sockets, real
// misbehaving peers; everything runs through collect(), as a collection does.
// A new source joins by adding its entry to CONTRACTS: the first test fails
// until it has one.
import assert from 'node:assert/strict';
import { after, describe, it, test } from 'node:test';
import { collect } from '../../src/collect/collect.js';
import type { Observation, SourceReading } from '../../src/model/observation.js';
import { startSimulatedCluster } from '../../src/sim/cluster.js';
import { readingCount, readingOf } from '../../src/snapshot/source-registry.js';
import { SOURCES, type SourceName } from '../../src/snapshot/source-name.js';
import photon from '../../src/generated/thrift/photon_types.js';
import { addressBytes, buildWorld, GARBAGE, hostConfigBytes, HOSTS, removeTree, SERVICE_MEMBER, setData, type World } from '../support/contract-world.js';
import { freshChroot } from '../support/zookeeper.js';
import { rootEntry } from '../unit/thrift/fixtures.js';

type Bend = (w: World) => Promise<void>;

interface SourceContract {
  /** What the world holds for this source, in the registry's count. */
  count: number;
  /** Ids or paths the reading lists as unreadable (per node or per host). */
  unreadable(value: unknown): string[];
  /** Its server (or one of its nodes' servers) never answers. */
  silence: { bend: Bend; means: 'unknown' | 'one_unreadable' };
  /** One node or answer is garbage. */
  garble: { bend: Bend; means: 'unknown' | 'one_unreadable' | 'not_read' };
  /** Present, holding nothing: read as this count. */
  empty: { bend: Bend; count: number };
  /** Not there at all, and what that means (the original tool's reading). */
  absent: { bend: Bend; means: 'empty' | 'unknown' };
}

// The session opens (its connect request and the chroot check pass), then ZooKeeper goes silent: each reader meets its own deadline.
const freezeZk: Bend = async (w) => w.proxy.freezeAtRequest(3);
const nodeErrors = (v: unknown): string[] => (v as { errors: { path: string }[] }).errors.map((e) => e.path);
const memberErrors = (v: unknown): string[] =>
  (v as { members: { name: string; error: string | null }[] }[]).flatMap((s) => s.members.filter((m) => m.error).map((m) => m.name));
const none = (): string[] => [];
const pointAt = (member: string, behaviour: 'silent' | 'garbage-frame'): Bend => async (w) =>
  setData(w.writer, member, addressBytes(await w.hostile(behaviour)));
/** The chairman's answer for a tree with no leaves: nothing at all. The root scheduler's: its own role, no children. */
const emptyAnswer = (): photon.GetSchedulersResponse => new photon.GetSchedulersResponse({ result: photon.GetSchedulersResultCode.OK, schedulers: [] });
const emptyRootAnswer = (): photon.GetSchedulersResponse =>
  new photon.GetSchedulersResponse({ result: photon.GetSchedulersResultCode.OK, schedulers: [rootEntry([])] });
/** A host whose registered address is a misbehaving peer. */
const agentAt = (host: string, behaviour: 'silent' | 'garbage-frame' | 'hang-up'): Bend => async (w) => {
  const ep = await w.hostile(behaviour);
  w.agents.set(host, ep);
  await setData(w.writer, `/hosts/${host}`, hostConfigBytes(host, ep));
};

const CONTRACTS: Record<SourceName, SourceContract> = {
  'zk.services': {
    count: 2,
    unreadable: memberErrors,
    silence: { bend: freezeZk, means: 'unknown' },
    garble: { bend: (w) => setData(w.writer, SERVICE_MEMBER.chairman, GARBAGE), means: 'one_unreadable' },
    empty: { bend: async (w) => (await w.writer.remove(SERVICE_MEMBER.chairman), w.writer.remove(SERVICE_MEMBER.root)), count: 0 },
    absent: { bend: (w) => removeTree(w.writer, '/services'), means: 'empty' },
  },
  'zk.roles': {
    count: 1,
    unreadable: nodeErrors,
    silence: { bend: freezeZk, means: 'unknown' },
    garble: { bend: (w) => setData(w.writer, `/roles/${HOSTS[0]}`, GARBAGE), means: 'one_unreadable' },
    empty: { bend: (w) => w.writer.remove(`/roles/${HOSTS[0]}`), count: 0 },
    absent: { bend: (w) => removeTree(w.writer, '/roles'), means: 'empty' },
  },
  'zk.hosts': {
    count: 2,
    unreadable: nodeErrors,
    silence: { bend: freezeZk, means: 'unknown' },
    garble: { bend: (w) => setData(w.writer, `/hosts/${HOSTS[0]}`, GARBAGE), means: 'one_unreadable' },
    empty: { bend: async (w) => (await w.writer.remove(`/hosts/${HOSTS[0]}`), w.writer.remove(`/hosts/${HOSTS[1]}`)), count: 0 },
    absent: { bend: (w) => removeTree(w.writer, '/hosts'), means: 'empty' },
  },
  'zk.missing': {
    count: 1,
    unreadable: none,
    silence: { bend: freezeZk, means: 'unknown' },
    // Only the child names are read (their values are empty in Photon).
    garble: { bend: (w) => setData(w.writer, `/missing/${HOSTS[1]}`, GARBAGE), means: 'not_read' },
    empty: { bend: (w) => w.writer.remove(`/missing/${HOSTS[1]}`), count: 0 },
    absent: { bend: (w) => removeTree(w.writer, '/missing'), means: 'empty' },
  },
  chairman: {
    count: 1,
    unreadable: none,
    silence: { bend: pointAt(SERVICE_MEMBER.chairman, 'silent'), means: 'unknown' },
    garble: { bend: pointAt(SERVICE_MEMBER.chairman, 'garbage-frame'), means: 'unknown' },
    empty: { bend: async (w) => void (w.answers.chairman = emptyAnswer()), count: 0 },
    absent: { bend: (w) => w.writer.remove(SERVICE_MEMBER.chairman), means: 'unknown' },
  },
  root: {
    count: 1,
    unreadable: none,
    silence: { bend: pointAt(SERVICE_MEMBER.root, 'silent'), means: 'unknown' },
    garble: { bend: pointAt(SERVICE_MEMBER.root, 'garbage-frame'), means: 'unknown' },
    empty: { bend: async (w) => void (w.answers.root = emptyRootAnswer()), count: 0 },
    absent: { bend: (w) => w.writer.remove(SERVICE_MEMBER.root), means: 'unknown' },
  },
  status: {
    // The root scheduler and the two agents.
    count: 3,
    unreadable: (v) => Object.entries(v as Record<string, { status: string }>).filter(([, p]) => p.status === 'ERROR').map(([id]) => id),
    // In ping mode a peer that accepts but never answers is ERROR for that host: reachable, not answering.
    silence: { bend: agentAt(HOSTS[0], 'silent'), means: 'one_unreadable' },
    garble: { bend: agentAt(HOSTS[0], 'garbage-frame'), means: 'one_unreadable' },
    // No source lists a node: only the root scheduler (found through ZooKeeper) is probed.
    empty: {
      bend: async (w) => {
        await removeTree(w.writer, '/roles');
        await removeTree(w.writer, '/hosts');
        w.answers.chairman = emptyAnswer();
      },
      count: 1,
    },
    // Neither ZooKeeper nor the chairman can be read: which nodes exist is unknown.
    absent: {
      bend: async (w) => {
        await pointAt(SERVICE_MEMBER.chairman, 'silent')(w);
        w.proxy.freeze();
      },
      means: 'unknown',
    },
  },
  agents: {
    // The leaf's owner, asked at its registered address; it runs no leaf here, so it answers "no role".
    count: 1,
    unreadable: (v) => (v as { host: string; state: string }[]).filter((a) => a.state === 'unknown').map((a) => a.host),
    // The only agent asked is silent or garbled: nobody answered, so the source is unknown (one of many would be unreadable alone).
    silence: { bend: agentAt(HOSTS[0], 'silent'), means: 'unknown' },
    garble: { bend: agentAt(HOSTS[0], 'garbage-frame'), means: 'unknown' },
    empty: { bend: (w) => w.writer.remove(`/roles/${HOSTS[0]}`), count: 0 },
    absent: { bend: agentAt(HOSTS[0], 'hang-up'), means: 'unknown' },
  },
};

async function collectIn(bend: Bend | null): Promise<Observation> {
  const w = await buildWorld();
  try {
    if (bend) await bend(w);
    return await collect(w.options);
  } finally {
    await w.close();
  }
}

function describeReading(r: SourceReading<unknown>): string {
  return r.result.ok ? `ok: ${JSON.stringify(r.result.value).slice(0, 300)}` : `${r.result.error.kind}: ${r.result.error.message}`;
}

test('every source in the registry has a contract entry', () => {
  assert.deepEqual(Object.keys(CONTRACTS).sort(), [...SOURCES].sort());
});

for (const source of SOURCES) {
  const c = CONTRACTS[source];
  describe(`source ${source}`, { timeout: 120_000 }, () => {
    const reading = async (bend: Bend | null) => readingOf(await collectIn(bend), source);

    it('reads what is there', async () => {
      const r = await reading(null);
      assert.equal(readingCount(source, r), c.count, describeReading(r));
      assert.deepEqual(c.unreadable((r.result as { value: unknown }).value), []);
    });

    it(`a server that never answers: ${c.silence.means === 'unknown' ? 'the source is unknown' : 'that one is unreadable'}, never empty`, async () => {
      const r = await reading(c.silence.bend);
      if (c.silence.means === 'unknown') {
        assert.ok(!r.result.ok, describeReading(r));
        assert.equal(r.result.error.kind, 'timeout', describeReading(r));
        assert.doesNotMatch(r.result.error.message, /no ZooKeeper session/, 'the session opened: the read itself timed out');
      } else {
        assert.ok(r.result.ok, describeReading(r));
        assert.equal(c.unreadable(r.result.value).length, 1, describeReading(r));
        assert.equal(readingCount(source, r), c.count, 'nothing left out');
      }
    });

    it(`one garbled node or answer: ${c.garble.means}`, async () => {
      const r = await reading(c.garble.bend);
      if (c.garble.means === 'unknown') assert.ok(!r.result.ok, describeReading(r));
      else {
        assert.ok(r.result.ok, describeReading(r));
        assert.equal(c.unreadable(r.result.value).length, c.garble.means === 'one_unreadable' ? 1 : 0, describeReading(r));
        if (c.garble.means === 'not_read') assert.equal(readingCount(source, r), c.count);
      }
    });

    it(`present but holding nothing reads as ${c.empty.count}; absent reads as ${c.absent.means}`, async () => {
      const empty = await reading(c.empty.bend);
      assert.equal(readingCount(source, empty), c.empty.count, describeReading(empty));
      const absent = await reading(c.absent.bend);
      if (c.absent.means === 'unknown') assert.ok(!absent.result.ok, describeReading(absent));
      else assert.equal(readingCount(source, absent), 0, describeReading(absent));
    });
  });
}

describe('on the simulator', { timeout: 120_000 }, () => {
  let stop: (() => Promise<void>) | null = null;
  after(async () => stop?.());

  it('every source reads a whole simulated cluster', async () => {
    const { connectString } = await freshChroot('contract-sim');
    const cluster = await startSimulatedCluster({ zk: connectString, hosts: 6, fanout: 3 });
    stop = () => cluster.stop();
    const obs = await collect({ zk: connectString, connectTimeoutMs: 5000, requestTimeoutMs: 5000, probeTimeoutMs: 5000, probeConcurrency: 8, probeMode: 'ping' });
    for (const source of SOURCES) {
      const r = readingOf(obs, source);
      assert.ok(r.result.ok, `${source}: ${describeReading(r)}`);
      if (source !== 'zk.missing') assert.ok(readingCount(source, r)! > 0, `${source} read something`);
    }
  });
});
