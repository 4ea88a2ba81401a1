import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { driftEpisodes, type DriftStep, type ItemState } from '../../../src/query/drift-history.js';
import { driftKey } from '../../../src/query/drift.js';
import { loadDriftHistory } from '../../../src/query/load-drift-history.js';
import { loadDrift } from '../../../src/query/load-drift.js';
import { knownSources } from '../../../src/query/source-knowledge.js';
import type { SqliteHistory } from '../../../src/store/open-database.js';
import type { ClusterSpec } from '../../support/observation.js';
import { mark } from './marks.js';
import { down, row, storeOf } from './store-history.js';

const base: ClusterSpec = { leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'] } };

test('a drift episode across a snapshot where its source was unknown', () => {
  const db = storeOf([base, base, { ...base, offline: ['h4'] }, { ...base, offline: ['h4'], failed: { status: down } }, { ...base, offline: ['h4'] }, base, base]);
  const r = loadDriftHistory(db, {});
  assert.deepEqual(r.window, { first: mark(1), last: mark(7) });
  assert.deepEqual(r.episodes, [
    {
      kind: 'offline_not_missing',
      ids: ['h4'],
      sources: ['status', 'zk.missing'],
      sides: { status: 'OFFLINE', 'zk.missing': false },
      start: { after: mark(2), by: mark(3) },
      lastSeen: mark(5),
      endBy: mark(6),
      duration: { minMs: 2 * 300_000, maxMs: 4 * 300_000 },
    },
  ]);
  assert.equal(r.open, 0);
});

test('the window limits the walk; an episode open at its end stays open', () => {
  const db = storeOf([base, { ...base, missing: ['h1'] }, { ...base, missing: ['h1'] }, base]);
  const r = loadDriftHistory(db, { since: mark(2).startedAt, until: mark(3).startedAt });
  assert.deepEqual(r.window, { first: mark(2), last: mark(3) });
  assert.deepEqual(
    r.episodes.map((e) => [driftKey(e), e.start.after, e.start.by.id, e.lastSeen.id, e.endBy]),
    [
      ['missing_but_placed:h1', null, 2, 3, null],
      ['missing_but_online:h1', null, 2, 3, null],
    ],
  );
  assert.equal(r.open, 2);
});

/** The reference: full drift at every snapshot of the window, fed to the same episode tracker. */
function bruteForce(db: SqliteHistory, first: number, last: number) {
  const steps: DriftStep[] = [];
  let prev = new Map<string, ItemState>();
  for (let id = first; id <= last; id++) {
    const r = loadDrift(db, row(db, id));
    const now = new Map<string, ItemState>([
      ...r.drift.map((item) => [driftKey(item), { status: 'drift', item }] as [string, ItemState]),
      ...r.cannotCompare.map(({ unknownSources: _u, ...item }) => [driftKey(item), { status: 'cannot_compare', item }] as [string, ItemState]),
    ]);
    const changed = new Map<string, ItemState | null>();
    for (const [k, s] of now) {
      const p = prev.get(k);
      if (!p || p.status !== s.status || JSON.stringify(p.item.sides) !== JSON.stringify(s.item.sides)) changed.set(k, s);
    }
    for (const k of prev.keys()) if (!now.has(k)) changed.set(k, null);
    steps.push({ point: { snapshot: mark(id), prev: id > first ? mark(id - 1) : id > 1 ? mark(id - 1) : null }, known: knownSources(r.sources), changed });
    prev = now;
  }
  return driftEpisodes(steps, mark(last));
}

const hosts = ['h1', 'h2', 'h3', 'h4', 'h5'];
const specArb: fc.Arbitrary<ClusterSpec> = fc
  .record({
    split: fc.integer({ min: 1, max: 4 }),
    chairmanSplit: fc.integer({ min: 1, max: 4 }),
    missing: fc.subarray(hosts, { maxLength: 2 }),
    offline: fc.subarray(hosts, { maxLength: 2 }),
    unregistered: fc.subarray(hosts, { maxLength: 1 }),
    failed: fc.subarray(['chairman', 'missing', 'status', 'roles', 'root'] as const, { maxLength: 1 }),
  })
  .map((r) => ({
    leaves: { L1: hosts.slice(0, r.split), L2: hosts.slice(r.split) },
    chairmanLeaves: { L1: hosts.slice(0, r.chairmanSplit), L2: hosts.slice(r.chairmanSplit) },
    missing: r.missing,
    offline: r.offline,
    unregistered: r.unregistered,
    failed: Object.fromEntries(r.failed.map((f) => [f, down])),
  }));

test('walking versions forward gives the same episodes as checking every snapshot in full', () => {
  fc.assert(
    fc.property(fc.array(specArb, { minLength: 2, maxLength: 14 }), fc.nat(), (specs, startAt) => {
      const db = storeOf(specs);
      const first = 1 + (startAt % specs.length);
      const r = loadDriftHistory(db, { since: mark(first).startedAt });
      assert.deepEqual(r.episodes, bruteForce(db, first, specs.length));
    }),
    { numRuns: 60 },
  );
});
