// placedInLeaves (src/store/placement-reads.ts) reads the hosts of a few leaves
// through an index on the leaf a placement names: at every snapshot of a
// history where hosts move between leaves, leave and come back, it must name
// exactly the hosts the source's whole state places there; and the blast
// radius built on it, or on zk.roles' whole state (loadBlastRadius reads
// either), must equal the one built on every host's placement. A value that
// is not JSON stays writable (the index and the state's read skip it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blastRadius } from '../../../src/query/blast-radius.js';
import { loadBlastRadius, PLACEMENTS_FROM_STATE } from '../../../src/query/load-blast-radius.js';
import { byKind } from '../../../src/query/tree-from-facts.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { placedInLeaves } from '../../../src/store/placement-reads.js';
import type { PlacementValue } from '../../../src/snapshot/fact.js';
import { type Write, writeHistory } from '../../support/random-history.js';

const HOSTS = Array.from({ length: 24 }, (_, i) => `h${i}`);
const LEAVES = ['L0', 'L1', 'L2', 'L3', 'L4'];

/** Hosts placed, moved, removed and placed again; leaves and a node error beside them in zk.roles; registrations with zones. */
function movingPlacements(snapshots: number): Write[][] {
  let x = 88172645;
  const next = (n: number) => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>>= 0), x % n);
  return Array.from({ length: snapshots }, (_, i) => {
    const writes: Write[] = [];
    const seen = new Set<string>();
    for (let n = i === 0 ? HOSTS.length : next(4); n > 0; n--) {
      const h = i === 0 ? HOSTS[n - 1]! : HOSTS[next(HOSTS.length)]!;
      if (seen.has(h)) continue;
      seen.add(h);
      const value = next(6) === 0 ? null : JSON.stringify({ address: { host: `10.0.0.${next(9)}`, port: 8835 }, leaf: LEAVES[next(LEAVES.length)] });
      writes.push({ source: 'zk.roles', kind: 'placement', entity: h, value });
      if (next(3) === 0) writes.push({ source: 'zk.hosts', kind: 'registration', entity: h, value: JSON.stringify({ address: null, availabilityZone: `az${next(3)}` }) });
    }
    if (i % 50 === 0) writes.push({ source: 'zk.roles', kind: 'leaf', entity: `L${i % 5}`, value: JSON.stringify({ address: null, owner: `h${i % 7}` }) });
    if (i % 70 === 0) writes.push({ source: 'zk.roles', kind: 'node_error', entity: '/roles/h3', value: i % 140 ? null : JSON.stringify({ kind: 'corrupt', message: 'bad Roles' }) });
    return writes;
  });
}

const db = openDatabase(':memory:');
const ids = writeHistory(db, movingPlacements(300));

function placementsFromState(at: number): Map<string, string> {
  return new Map([...byKind<PlacementValue>(db.readSourceFacts('zk.roles', at, { summaries: true }), 'placement')].map(([h, v]) => [h, v.leaf]));
}

test('at every snapshot, the hosts placed in the leaves asked for are those the whole state places there', () => {
  let moved = 0;
  for (const at of ids) {
    const state = placementsFromState(at);
    for (const leaves of [['L0'], ['L1', 'L3', 'L1'], LEAVES, ['nope'], []]) {
      const want = [...state].filter(([, leaf]) => leaves.includes(leaf)).map(([entity, leaf]) => ({ entity, leaf })).sort((a, b) => (a.entity < b.entity ? -1 : 1));
      assert.deepEqual(placedInLeaves(db, leaves, at), want, `snapshot ${at}, leaves ${leaves.join(',')}`);
    }
    if (state.size < HOSTS.length) moved++;
  }
  assert.ok(moved > 50, 'snapshots with removed placements');
});

// Enough names that loadBlastRadius reads the placements from the state by itself (most name no host).
const MANY = [...HOSTS, ...Array.from({ length: PLACEMENTS_FROM_STATE }, (_, i) => `nope-${i}`)];

test('the blast radius from the leaves concerned, and from the whole zk.roles state, equals the one from every host placement', () => {
  for (const at of ids.filter((id) => id % 7 === 0)) {
    const cases = [{ hosts: ['h1', 'h2', 'h9'] }, { hosts: ['h5'], leaves: ['L2'] }, { hosts: [], leaves: ['L0', 'L4'] }, { hosts: ['nope', 'h20'] }, { hosts: MANY }, { hosts: MANY.slice(5), leaves: ['L3'] }];
    for (const affected of cases) {
      const placement = placementsFromState(at);
      const zone = new Map<string, string>();
      for (const [h, v] of db.versionsOfEntities('zk.hosts', 'registration', HOSTS, at, at)) zone.set(h, (JSON.parse(v.at(-1)!.value!) as { availabilityZone: string }).availabilityZone);
      const want = blastRadius({ affectedHosts: affected.hosts, affectedLeaves: affected.leaves ?? [], placement, zone });
      for (const how of [undefined, 'leaves', 'state'] as const) assert.deepEqual(loadBlastRadius(db, at, affected, how), want, `snapshot ${at} ${JSON.stringify(affected)} ${how ?? 'by itself'}`);
    }
  }
});

test('a zk.roles value that is not JSON (another program wrote it) is still stored, and the leaf index and the state pass it by', () => {
  const odd = openDatabase(':memory:');
  const [at] = writeHistory(odd, [
    [
      { source: 'zk.roles', kind: 'placement', entity: 'h1', value: JSON.stringify({ address: null, leaf: 'L0' }) },
      { source: 'zk.roles', kind: 'placement', entity: 'h2', value: '{' },
    ],
  ]);
  odd.$client.prepare("UPDATE fact_versions SET value = 'not json' WHERE value = (SELECT value FROM fact_versions WHERE value LIKE '%\"L0\"%')").run();
  assert.deepEqual(placedInLeaves(odd, ['L0'], at!), []);
  assert.equal((odd.$client.prepare("SELECT count(*) AS n FROM fact_versions WHERE value IN ('{', 'not json')").get() as { n: number }).n, 2);
  for (const how of ['leaves', 'state'] as const) {
    assert.deepEqual(loadBlastRadius(odd, at!, { hosts: ['nope'], leaves: ['L0'] }, how), { leaves: [], zones: [], unplaced: 1, unzoned: 1 }, how);
  }
});
