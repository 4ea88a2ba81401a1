// The drift-kind registry is whole: every kind the checks can find has one
// entry (per what, sources, title), its items name the registry's sources,
// and the leader rule is the one leaderOf states.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { leaderOf } from '../../../src/model/leader.js';
import { DRIFT_KIND_REGISTRY, DRIFT_KINDS } from '../../../src/query/drift-kinds.js';
import { driftItems, driftRef, driftSources } from '../../../src/query/drift.js';
import { loadClusterFacts } from '../../../src/query/load-cluster-facts.js';
import { DRIFT_TITLES } from '../../../src/present/drift-text.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation } from '../../support/observation.js';

test('every kind has an entry with a title, a scope and known sources', () => {
  assert.deepEqual(DRIFT_KINDS, Object.keys(DRIFT_KIND_REGISTRY));
  const titles = new Set<string>();
  for (const kind of DRIFT_KINDS) {
    const e = DRIFT_KIND_REGISTRY[kind];
    assert.ok(['leaf', 'host', 'service', 'path'].includes(e.per), kind);
    assert.ok(e.sources.length > 0 && e.sources.every((s) => (SOURCES as readonly string[]).includes(s)), kind);
    assert.ok(e.title.length > 0 && !titles.has(e.title), `${kind}: a title of its own`);
    titles.add(e.title);
    assert.equal(DRIFT_TITLES[kind], e.title);
  }
});

test('the items the checks find name their kind\'s sources and scope', () => {
  const db = openDatabase(':memory:');
  const { snapshotId } = writeSnapshot(
    db,
    observation({
      leaves: { L1: ['h1', 'h2'], L2: ['h3'] },
      chairmanLeaves: { L1: ['h2', 'h1'], L3: ['h3'] },
      rootLeaves: { L1: ['h1'] },
      missing: ['h2', 'h3'],
      offline: ['h1'],
      extraRegistered: ['h9'],
      unregistered: ['h3'],
      services: { chairman: [], 'root-scheduler': [{ name: 'a', address: null, error: null }, { name: 'b', address: null, error: null }] },
      nodeErrors: { hosts: [{ path: '/hosts/h7', kind: 'decode', message: 'bad' }] },
    }),
  );
  const items = driftItems(loadClusterFacts(db, snapshotId));
  const found = new Set(items.map((i) => i.kind));
  assert.ok(found.size >= 10, `most kinds found (${[...found].join(', ')})`);
  for (const i of items) {
    assert.deepEqual(i.sources, driftSources(i.kind, i.sides), i.kind);
    assert.ok(driftRef(i).startsWith(`${DRIFT_KIND_REGISTRY[i.kind].per}\u0000`), i.kind);
    if (i.kind !== 'node_error') assert.deepEqual(i.sources, [...DRIFT_KIND_REGISTRY[i.kind].sources]);
  }
});

test('a service leader is its only member', () => {
  assert.equal(leaderOf([]), null);
  assert.equal(leaderOf(['a']), 'a');
  assert.equal(leaderOf(['a', 'b']), null);
});
