// Keeps docs/json.md honest: for each command, the fields its example shows
// must be exactly the fields the code emits for a history that exercises
// every variant in the example (unknown sources, open and closed episodes,
// HostConfig changes, source outages).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { listSnapshotsWithOutcomes } from '../../../src/query/list-snapshots.js';
import { loadDiff } from '../../../src/query/load-diff.js';
import { loadDriftHistory } from '../../../src/query/load-drift-history.js';
import { judgeDriftHistory, loadSettledDrift, type DriftPolicy } from '../../../src/query/load-settled-drift.js';
import { loadHostHistory } from '../../../src/query/load-host-history.js';
import { loadMissing } from '../../../src/query/load-missing.js';
import { loadSnapshotView } from '../../../src/query/load-snapshot.js';
import { loadTimeline } from '../../../src/query/load-timeline.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { doctorReport } from '../../../src/doctor/verdict.js';
import { pruneJson } from '../../../src/cli/commands/prune.js';
import { recordCollection } from '../../../src/record/index.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { pruneHistory } from '../../../src/store/prune.js';
import { observation } from '../../support/observation.js';
import type { ClusterSpec } from '../../support/observation.js';
import { mark } from './marks.js';
import { watchDocInterval } from './watch-doc-interval.js';
import { watchWrites } from '../../../src/snapshot/zk-watch-facts.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { down, row, storeOf } from './store-history.js';

const DOC = readFileSync(new URL('../../../docs/json.md', import.meta.url), 'utf8');

function example(name: string): unknown {
  const m = new RegExp(`<!-- json-example: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(DOC);
  assert.ok(m, `docs/json.md has no example for ${name}`);
  return JSON.parse(m[1]!);
}

// Values whose keys are data (ids, categories, per-kind shapes) are compared as a whole, not by key.
const OPAQUE = /(^|\.)(before|after|sides|counts|stats|settleMsByKind)$|^status\.value$/;
const SOURCE_KEYS = new Set<string>(SOURCES);

function paths(v: unknown, at = '', out = new Set<string>()): Set<string> {
  if (at) out.add(at);
  if (v === null || typeof v !== 'object' || OPAQUE.test(at)) return out;
  if (Array.isArray(v)) {
    for (const x of v) paths(x, `${at}[]`, out);
    return out;
  }
  // A record keyed by source names documents its value shape once, as <source>.
  const bySource = Object.keys(v).every((k) => SOURCE_KEYS.has(k));
  for (const [k, x] of Object.entries(v)) paths(x, `${at ? `${at}.` : ''}${bySource ? '<source>' : k}`, out);
  return out;
}

function assertDocumented(name: string, actual: unknown): void {
  const emitted = paths(JSON.parse(JSON.stringify(actual)));
  const documented = paths(example(name));
  assert.deepEqual(
    { undocumented: [...emitted].filter((p) => !documented.has(p)), notEmitted: [...documented].filter((p) => !emitted.has(p)) },
    { undocumented: [], notEmitted: [] },
    name,
  );
}

const base: ClusterSpec = {
  leaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'], L3: ['h5', 'h6'] },
  nodeErrors: { hosts: [{ path: '/hosts/h9', kind: 'decode', message: 'not a HostConfig' }] },
  agents: [
    { host: 'h1', state: 'role', leafId: 'L1', parentId: 'ROOT', hostIds: ['h1', 'h2'] },
    { host: 'h3', state: 'unknown', error: { kind: 'timeout', message: 'no reply within 10000 ms' } },
  ],
};
const db = storeOf([
  base,
  base,
  { ...base, offline: ['h4'], chairmanLeaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'], L3: ['h6', 'h5'] } },
  { ...base, offline: ['h4'], missing: ['h4'], failed: { chairman: down }, registrationOverrides: { h4: { memoryMb: 32768 } } },
  { ...base, missing: ['h4'], registrationOverrides: { h4: { memoryMb: 32768 } } },
  { ...base, registrationOverrides: { h4: { memoryMb: 32768 } } },
  { ...base, offline: ['h5'], failed: { chairman: down }, registrationOverrides: { h4: { memoryMb: 32768 } } },
]);

test('show', () => assertDocumented('show', loadSnapshotView(db, row(db, 4))));
test('snapshots', () => assertDocumented('snapshots', { snapshots: listSnapshotsWithOutcomes(db, {}) }));
test('diff', () => assertDocumented('diff', loadDiff(db, row(db, 1), row(db, 7), SOURCES)));
// An ignore rule that matches, one that has expired, and a per-kind settle window.
const rule = (kind: string, ids: string, until: string) => ({ kind, ids, reason: 'known, ticket OPS-1', owner: 'ops', until });
const policy: DriftPolicy = {
  settle: { defaultMs: 60_000, perKind: { missing_but_placed: 120_000 } },
  rules: [rule('node_error', '/hosts/*', '2026-12-31'), rule('missing_but_placed', 'h4', '2026-12-31'), rule('offline_not_missing', 'h2', '2026-11-01')],
  today: '2026-11-25',
};
test('drift', () => {
  // Settled (h4 OFFLINE from the start), settling (h5 OFFLINE since #2), ignored (node_error), cannot compare (the chairman down at #2).
  const start = { ...base, offline: ['h4'], chairmanLeaves: { L1: ['h1', 'h2'], L2: ['h3', 'h4'], L3: ['h6', 'h5'] } };
  const d = storeOf([start, { ...start, offline: ['h4', 'h5'], failed: { chairman: down } }]);
  assertDocumented('drift', loadSettledDrift(d, row(d, 2), policy));
});
test('drift-history', () => assertDocumented('drift-history', judgeDriftHistory(loadDriftHistory(db, {}), policy).report));
test('missing', () => assertDocumented('missing', loadMissing(db, {})));
test('history', () => assertDocumented('history', loadHostHistory(db, 'h4')));
test('timeline', () => assertDocumented('timeline', loadTimeline(db, { since: mark(2).startedAt })));
test('timeline with watched events', () => {
  const w = openDatabase(':memory:');
  writeSnapshot(w, observation({ ...base, at: mark(1).startedAt }));
  writeSnapshot(w, observation({ ...base, at: mark(2).startedAt }), watchWrites(watchDocInterval(mark(1).startedAt)));
  assertDocumented('timeline-watched', loadTimeline(w, { since: mark(1).startedAt }));
});
test('collect', () => {
  const fresh = openDatabase(':memory:');
  recordCollection(fresh, observation({ ...base, at: mark(1).startedAt }));
  const { summary } = recordCollection(fresh, observation({ ...base, at: mark(2).startedAt, offline: ['h4'], missing: ['h4'], failed: { chairman: down } }));
  assertDocumented('collect', summary);
});
test('prune', () => {
  const copy = storeOf([base, base, { ...base, offline: ['h4'] }]);
  assertDocumented('prune', pruneJson(pruneHistory(copy, { before: mark(3).startedAt }), mark(3).startedAt, 86_400_000));
});
test('doctor', () =>
  assertDocumented('doctor', doctorReport([
    { check: 'zookeeper reachable', verdict: 'pass', detail: 'session on 127.0.0.1:2181', durationMs: 3 },
    { check: 'chairman answers', verdict: 'skip', detail: 'needs its leader', durationMs: 0 },
  ])));
