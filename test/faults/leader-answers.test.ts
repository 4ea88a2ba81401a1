// A chairman or root scheduler that answers, but not with the tree: NOT_LEADER,
// NOT_IN_MAJORITY, SYSTEM_ERROR or a code this IDL does not know. Through the
// whole collector (the CLI with --chairman/--root, and leaders found in
// ZooKeeper), each is recorded as that source unknown with error kind
// not_leader or system_error; every other source is read as usual, and the
// facts last known stay. A real Thrift server answers; the rest of the
// cluster is the simulator.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CollectionSummary } from '../../src/collect/collection-summary.js';
import type { CollectOptions } from '../../src/collect/collect.js';
import { runCollection } from '../../src/collect/run-collection.js';
import Chairman from '../../src/generated/thrift/Chairman.js';
import photon from '../../src/generated/thrift/photon_types.js';
import RootScheduler from '../../src/generated/thrift/RootScheduler.js';
import { formatEndpoint, type Endpoint } from '../../src/model/ids.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { readSourceState } from '../../src/store/read-source-state.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { startThriftServer, type RunningThriftServer } from '../../src/wire/thrift-server.js';
import { treesnap } from '../support/treesnap-cli.js';
import { connectWriter } from '../support/zk-write.js';
import { freshChroot } from '../support/zookeeper.js';

const Code = photon.GetSchedulersResultCode;

/** Chairman and RootScheduler on one port, both answering get_schedulers with `code` and an error text. */
interface RefusingService {
  endpoint: Endpoint;
  code: number;
  calls: number;
  close(): Promise<void>;
}

async function startRefusingService(code: number): Promise<RefusingService> {
  const state = { code, calls: 0 };
  const answer = async () => {
    state.calls += 1;
    return new photon.GetSchedulersResponse({ result: state.code, error: `fault-test answer ${state.code}` });
  };
  const status = async () => new photon.Status({ type: photon.StatusType.READY });
  // Handlers for the methods treesnap calls only; the generated Processor types want every method.
  const server: RunningThriftServer = await startThriftServer({
    host: '127.0.0.1',
    port: 0,
    services: {
      Chairman: new Chairman.Processor({
        get_schedulers: async (_request: unknown) => answer(),
        get_status: async (_request: unknown) => status(),
      } as never),
      RootScheduler: new RootScheduler.Processor({ get_schedulers: async () => answer(), get_status: async (_request: unknown) => status() } as never),
    },
  });
  return {
    endpoint: { host: '127.0.0.1', port: server.port },
    get code() {
      return state.code;
    },
    set code(c: number) {
      state.code = c;
    },
    get calls() {
      return state.calls;
    },
    close: () => server.close(),
  };
}

let sim: SimulatedCluster;
let zkConnect: string;
let dir: string;
let dbPath: string;
let db: Db;
let refusing: RefusingService;
let good: CollectionSummary;

function options(): CollectOptions {
  return { zk: zkConnect, connectTimeoutMs: 3000, requestTimeoutMs: 3000, probeTimeoutMs: 1000, probeConcurrency: 32, probeMode: 'connect' };
}

function outcomeOf(snapshotId: number, source: string) {
  return sourceOutcomes(db, snapshotId).find((o) => o.source === source)!;
}

function assertKeptChairman(snapshotId: number): void {
  assert.deepEqual(readSourceState(db, 'chairman', snapshotId), readSourceState(db, 'chairman', good.snapshotId), 'the chairman tree as last known, not empty');
  assert.deepEqual(readSourceState(db, 'root', snapshotId), readSourceState(db, 'root', good.snapshotId), 'the root children as last known');
}

before(async () => {
  ({ connectString: zkConnect } = await freshChroot('leader'));
  sim = await startSimulatedCluster({ zk: zkConnect, hosts: 12, fanout: 4 });
  dir = mkdtempSync(join(tmpdir(), 'treesnap-leader-'));
  dbPath = join(dir, 'history.db');
  db = openDatabase(dbPath);
  refusing = await startRefusingService(Code.NOT_LEADER);
  good = await runCollection(db, options());
  assert.deepEqual(good.failedSources, []);
});

after(async () => {
  db.$client.close();
  await refusing?.close();
  await sim?.stop({ clean: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('through --chairman and --root (the CLI)', () => {
  test('a NOT_LEADER chairman and a SYSTEM_ERROR root scheduler: both unknown with their kind, the rest read, exit 4', async () => {
    const chairman = await startRefusingService(Code.NOT_LEADER);
    const root = await startRefusingService(Code.SYSTEM_ERROR);
    try {
      const r = await treesnap([
        'collect', '--zk', zkConnect, '--db', dbPath, '--json',
        '--chairman', formatEndpoint(chairman.endpoint), '--root', formatEndpoint(root.endpoint),
      ]);
      assert.equal(r.code, 4, r.stderr);
      const s = JSON.parse(r.stdout) as CollectionSummary;
      assert.deepEqual(s.failedSources, ['chairman', 'root']);
      assert.equal(chairman.calls, 1);
      assert.equal(root.calls, 1);
      const c = outcomeOf(s.snapshotId, 'chairman');
      assert.deepEqual([c.errorKind, c.endpoint], ['not_leader', formatEndpoint(chairman.endpoint)]);
      assert.match(c.errorMessage!, /^chairman answered NOT_LEADER: fault-test answer 2$/);
      const o = outcomeOf(s.snapshotId, 'root');
      assert.deepEqual([o.errorKind, o.endpoint], ['system_error', formatEndpoint(root.endpoint)]);
      assert.match(o.errorMessage!, /^root scheduler answered SYSTEM_ERROR: fault-test answer 1$/);
      for (const source of ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing'] as const) {
        const x = s.sources.find((y) => y.source === source)!;
        assert.deepEqual([x.ok, x.changes], [true, 0], source);
      }
      const status = s.sources.find((y) => y.source === 'status')!;
      assert.equal(status.ok, true);
      assert.equal(status.count, 13, 'every host and the root probed');
      assertKeptChairman(s.snapshotId);
    } finally {
      await chairman.close();
      await root.close();
    }
  });
});

describe('leaders found in ZooKeeper', () => {
  let members: string[] = [];

  before(async () => {
    // The simulator's own chairman and root scheduler leave; a refusing service takes their place in ZooKeeper.
    await sim.stopChairman();
    await sim.stopRootScheduler();
    const w = await connectWriter(zkConnect);
    try {
      const address = encodeBinary(new photon.ServerAddress(refusing.endpoint));
      members = ['/services/chairman/node-refusing', '/services/root-scheduler/node-refusing'];
      for (const m of members) await w.put(m, address);
    } finally {
      w.close();
    }
  });

  after(async () => {
    const w = await connectWriter(zkConnect);
    for (const m of members) await w.remove(m);
    w.close();
    assert.equal((await sim.startRootScheduler()).ok, true);
    assert.equal((await sim.startChairman()).ok, true);
  });

  const cases: [string, number, string, RegExp][] = [
    ['NOT_LEADER', Code.NOT_LEADER, 'not_leader', /answered NOT_LEADER: fault-test answer 2$/],
    ['NOT_IN_MAJORITY', Code.NOT_IN_MAJORITY, 'not_leader', /answered NOT_IN_MAJORITY: fault-test answer 3$/],
    ['SYSTEM_ERROR', Code.SYSTEM_ERROR, 'system_error', /answered SYSTEM_ERROR: fault-test answer 1$/],
    ['an unknown code (42)', 42, 'system_error', /answered result code 42: fault-test answer 42$/],
  ];
  for (const [name, code, kind, message] of cases) {
    test(`${name} from both leaders: chairman and root unknown as ${kind}; ZooKeeper sources and probes fine`, async () => {
      refusing.code = code;
      const s = await runCollection(db, options());
      assert.deepEqual(s.failedSources, ['chairman', 'root']);
      for (const source of ['chairman', 'root']) {
        const o = outcomeOf(s.snapshotId, source);
        assert.equal(o.errorKind, kind, source);
        assert.match(o.errorMessage!, message, source);
        assert.equal(o.endpoint, formatEndpoint(refusing.endpoint), `${source} was asked where ZooKeeper said`);
      }
      for (const source of ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'status'] as const) {
        assert.equal(outcomeOf(s.snapshotId, source).ok, true, source);
      }
      assertKeptChairman(s.snapshotId);
    });
  }
});
