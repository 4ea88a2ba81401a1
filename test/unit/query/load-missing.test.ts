import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError } from '../../../src/errors.js';
import { loadMissing } from '../../../src/query/load-missing.js';
import { probeRuns } from '../../../src/query/missing-episodes.js';
import type { NodeStatus } from '../../../src/model/status.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { versionsOfEntities } from '../../../src/store/version-reads.js';
import { writeHistory, type Write } from '../../support/random-history.js';
import type { ClusterSpec } from '../../support/observation.js';
import { mark, STEP_MS } from './marks.js';
import { down, storeOf } from './store-history.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };
const gone = (missing: string[], extra: Partial<ClusterSpec> = {}): ClusterSpec => ({ ...base, missing, ...extra });

test('an episode across a failed /missing read is bounded by the successful reads', () => {
  // #1 ok, #2 ok, #3 h3 missing (offline), #4 /missing unreadable, #5 still missing, #6 unreadable, #7 gone.
  const db = storeOf([
    base,
    base,
    gone(['h3'], { offline: ['h3'] }),
    gone([], { failed: { missing: down }, offline: ['h3'] }),
    gone(['h3']),
    gone([], { failed: { missing: down } }),
    base,
  ]);
  const r = loadMissing(db, { host: 'h3' });
  assert.deepEqual(r.missing, [
    {
      host: 'h3',
      stillMissing: false,
      episodes: [
        {
          host: 'h3',
          start: { after: mark(2), by: mark(3) },
          lastSeen: mark(5),
          endBy: mark(7),
          duration: { minMs: 2 * STEP_MS, maxMs: 5 * STEP_MS },
          probes: [
            { status: 'OFFLINE', from: mark(3) },
            { status: 'ONLINE', from: mark(5) },
          ],
          answeredProbe: true,
        },
      ],
    },
  ]);
  assert.equal(r.unknownAtEnd, false);
});

test('still missing at the end, as of the last successful read; flapping hosts have several episodes', () => {
  const db = storeOf([base, gone(['h1']), base, gone(['h1', 'h2']), gone(['h1', 'h2'], { failed: { missing: down } })]);
  const r = loadMissing(db, {});
  assert.deepEqual(
    r.missing.map((h) => [h.host, h.stillMissing, h.episodes.map((e) => [e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id ?? 'open'])]),
    [
      ['h1', true, [[1, 2, 2, 3], [3, 4, 4, 'open']]],
      ['h2', true, [[3, 4, 4, 'open']]],
    ],
  );
  assert.deepEqual(r.lastRead, mark(4));
  assert.equal(r.unknownAtEnd, true);
  assert.deepEqual([r.hosts, r.episodes, r.stillMissing], [2, 3, 2]);
});

test('the window keeps episodes overlapping it, seen as of its end', () => {
  const db = storeOf([base, gone(['h1']), base, base, gone(['h2']), base]);
  const r = loadMissing(db, { since: mark(3).startedAt, until: mark(5).startedAt });
  assert.deepEqual(
    r.missing.map((h) => [h.host, h.episodes.map((e) => [e.start.by.id, e.endBy?.id ?? 'open'])]),
    [['h2', [[5, 'open']]]],
  );
});

test('a host never recorded is "not found", not "never missing"', () => {
  const db = storeOf([base]);
  assert.throws(() => loadMissing(db, { host: 'nope' }), NotFoundError);
  assert.deepEqual(loadMissing(db, { host: 'h1' }).missing, [{ host: 'h1', episodes: [], stillMissing: false }]);
});

/** Hosts in and out of /missing while their probes change: each snapshot toggles a host's listing and sets another's verdict. */
function flappingHistory(snapshots: number, hosts: number): Write[][] {
  let seed = 20261207;
  const rand = (n: number) => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return (seed >>> 16) % n;
  };
  const listed = new Set<string>();
  return Array.from({ length: snapshots }, () => {
    const writes: Write[] = [];
    const h = `h${rand(hosts)}`;
    writes.push({ source: 'zk.missing', kind: 'missing', entity: h, value: listed.has(h) ? null : 'true' });
    if (listed.has(h)) listed.delete(h);
    else listed.add(h);
    for (let n = rand(3); n > 0; n--) {
      const p = `h${rand(hosts)}`;
      const status = ['ONLINE', 'OFFLINE', 'ERROR'][rand(3)];
      writes.push({ source: 'status', kind: 'status', entity: p, value: rand(6) === 0 ? null : JSON.stringify({ address: null, message: null, status }) });
    }
    return writes.filter((w, i) => writes.findIndex((x) => x.source === w.source && x.entity === w.entity) === i);
  });
}

test('each episode’s probe runs, read over the episodes alone, are those of the host’s whole probe history', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, flappingHistory(600, 8));
  const r = loadMissing(db, {});
  const m = db.marks();
  let changing = 0;
  for (const { host, episodes } of r.missing) {
    const whole = (versionsOfEntities(db, 'status', 'status', [host], ids.at(-1)!).get(host) ?? []).map((v) => ({
      snapshot: m.mark(v.snapshot),
      status: v.value === null ? null : (JSON.parse(v.value) as { status: NodeStatus }).status,
    }));
    for (const e of episodes) {
      const probes = probeRuns(whole, e.start.by, e.lastSeen);
      assert.deepEqual(e.probes, probes, `${host} from #${e.start.by.id}`);
      assert.equal(e.answeredProbe, probes.some((p) => p.status === 'ONLINE'));
      if (probes.length > 1) changing++;
    }
  }
  // Hosts flapped in and out, and their probes changed while they were listed.
  assert.ok(r.episodes > 100 && changing > 50, `${r.episodes} episodes, ${changing} with more than one verdict`);
  db.$client.close();
});
