// loadBlastRadius (src/query/load-blast-radius.ts) reads the affected hosts'
// zones by a seek each, or, for many hosts, from zk.hosts' summarized state,
// whose registrations carry their zones (src/snapshot/fact-summary.ts). Both
// must give the zones the hosts' registrations hold at the snapshot, also
// where the state's checkpoint was written before summaries held the zone:
// such a summary says nothing of it, and is not read as "no zone".
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { blastRadius } from '../../../src/query/blast-radius.js';
import { loadBlastRadius, ZONES_FROM_STATE } from '../../../src/query/load-blast-radius.js';
import { canonicalJson } from '../../../src/snapshot/canonical-json.js';
import type { RegistrationValue } from '../../../src/snapshot/fact.js';
import { encodeState, packState } from '../../../src/store/checkpoint-format.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { readStoredFacts } from '../../../src/store/read-source-state.js';
import { type Write, writeHistory } from '../../support/random-history.js';

type Db = ReturnType<typeof openDatabase>;

const HOSTS = Array.from({ length: 30 }, (_, i) => `h${i}`);
const ZONES = ['az-1', 'az-2', ''];

/** Every host registered at first; then some change zone (or lose it), go, and come back. */
function registrations(snapshots: number): Write[][] {
  let x = 2463534242;
  const next = (n: number) => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>>= 0), x % n);
  const value = (zone: string) => canonicalJson({ address: { host: `10.0.0.${next(9)}`, port: 8835 }, availabilityZone: zone, cpuCount: next(64) });
  return Array.from({ length: snapshots }, (_, i) => {
    if (i === 0) return HOSTS.map((h) => ({ source: 'zk.hosts', kind: 'registration', entity: h, value: value(ZONES[next(3)]!) }));
    return Array.from(new Set(Array.from({ length: next(4) }, () => HOSTS[next(HOSTS.length)]!))).map((h) => ({
      source: 'zk.hosts',
      kind: 'registration',
      entity: h,
      value: next(5) === 0 ? null : value(ZONES[next(3)]!),
    }));
  });
}

/** The zones at `at` as the registrations' versions hold them (a seek per host, nothing summarized). */
function zonesBySeeks(db: Db, at: number): Map<string, string> {
  const zone = new Map<string, string>();
  for (const [h, versions] of db.versionsOfEntities('zk.hosts', 'registration', HOSTS, at, at)) {
    const last = versions.at(-1)?.value;
    const z = last ? (JSON.parse(last) as RegistrationValue).availabilityZone : '';
    if (z) zone.set(h, z);
  }
  return zone;
}

/** Adds a zk.hosts checkpoint at `at` as one written before summaries held the zone: its registrations summarized to the address alone. */
function oldCheckpoint(db: Db, at: number): void {
  const facts = readStoredFacts(db, 'zk.hosts', at).all();
  const summary = facts.map((f) => (f.kind === 'registration' ? { ...f, value: canonicalJson({ address: (JSON.parse(f.value) as RegistrationValue).address }) } : f));
  db.$client
    .prepare('INSERT INTO state_checkpoints (cluster, source, snapshot_id, facts, state, summary) VALUES (current_cluster(), ?, ?, ?, ?, ?)')
    .run('zk.hosts', at, facts.length, packState(encodeState(facts)), packState(encodeState(summary)));
}

const AFFECTED = [...HOSTS, 'never-registered'];
const MANY = [...AFFECTED, ...Array.from({ length: ZONES_FROM_STATE }, (_, i) => `nope-${i}`)];

function check(db: Db, at: number, label: string): void {
  for (const hosts of [AFFECTED, MANY, ['h3', 'h7']]) {
    const want = blastRadius({ affectedHosts: hosts, placement: new Map(), zone: zonesBySeeks(db, at) });
    for (const how of [undefined, 'leaves', 'state'] as const) {
      const { zones, unzoned } = loadBlastRadius(db, at, { hosts }, how);
      assert.deepEqual({ zones, unzoned }, { zones: want.zones, unzoned: want.unzoned }, `${label} #${at}, ${hosts.length} hosts, ${how ?? 'by itself'}`);
    }
  }
}

test('the zones from the summarized state are those the registrations hold', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, registrations(200));
  const sample = ids.filter((id) => id % 9 === 0);
  for (const at of sample) check(db, at, 'summaries with zones');
  const zoned = sample.map((at) => zonesBySeeks(db, at).size);
  assert.ok(Math.min(...zoned) > 5 && Math.max(...zoned) < HOSTS.length, 'hosts with a zone and hosts without one');
});

test('a checkpoint whose summaries hold the address alone still gives every zone, before and after later changes', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, registrations(200));
  for (const at of [ids[40]!, ids[120]!]) oldCheckpoint(db, at);
  for (const at of ids.filter((id) => id >= ids[40]! && id % 7 === 0)) check(db, at, 'after an old checkpoint');
});
