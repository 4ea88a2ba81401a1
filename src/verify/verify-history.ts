// `treesnap verify`'s walk of a history (I/O through the store's reads), as
// `git fsck` walks a repository: SQLite's own check, then treesnap's
// invariants in one forward pass per source (never a reconstruction per
// snapshot): snapshot rows and outcomes consistent, every checkpoint equal to
// the state replayed from the versions before it, the recorded drift equal to
// the drift recomputed from the states, and the watched paths' running counts
// equal to their versions' changes.
import { SOURCES, STORED_SOURCES } from '../snapshot/source-name.js';
import { headSnapshot, isCorruption, outcomesIn, snapshotsIn, sourceVersions, sourceVersionsAsRead, sqliteProblems, type Db, type SourceVersion, type VersionRow, sqliteReader, watchTotalRows } from '../store/index.js';
import { recordedThrough } from '../record/index.js';
import { formatTime } from '../util/time.js';
import { addDamage, type Damage } from './damage.js';
import { DriftRecheck } from './drift-recheck.js';
import { readRange } from './read-range.js';
import { SourceCheck, type SnapshotIndex } from './check-source.js';
import { bySnapshot, WINDOW } from './windows.js';
import { checkWatchTotals } from './check-watch-totals.js';

export interface VerifyOptions {
  quick?: boolean;
  /** Called now and then with how far the walk is (steps done of total). */
  progress?: (done: number, total: number) => void;
}

export interface VerifyResult {
  quick: boolean;
  /** SQLite's findings ([] when its check passed). */
  sqlite: string[];
  snapshots: number;
  firstSnapshot: number | null;
  lastSnapshot: number | null;
  /** The last snapshot whose recorded drift was compared (0: none recorded). */
  driftCheckedThrough: number;
  damage: Damage[];
  intact: boolean;
}



function checkSnapshots(db: Db, head: number, damage: Damage[], step: () => void): SnapshotIndex {
  const index: SnapshotIndex = { ids: new Set(), times: new Map(), first: null, failed: new Set(), unreadable: new Set() };
  const sources = new Set<string>(SOURCES);
  const bad = (from: number, detail: string) => addDamage(damage, { kind: 'snapshots', source: null, from, to: from, detail });
  for (let a = 0; a < head; a += WINDOW) {
    const b = Math.min(head, a + WINDOW);
    const snaps = readRange(a, b, (x, y) => snapshotsIn(db, x, y));
    const outs = readRange(a, b, (x, y) => outcomesIn(db, x, y));
    for (const id of [...snaps.lost, ...outs.lost]) {
      index.unreadable.add(id);
      bad(id, `rows unreadable: ${snaps.error ?? outs.error}`);
    }
    const outcomes = new Map<number, { source: string; ok: number }[]>();
    for (const o of outs.rows) {
      const list = outcomes.get(o.snapshotId) ?? [];
      list.push(o);
      outcomes.set(o.snapshotId, list);
    }
    for (const s of snaps.rows) {
      index.ids.add(s.id);
      index.times.set(s.id, s.startedAt);
      index.first ??= s.id;
      if (!(s.startedAt > 0 && s.finishedAt >= s.startedAt)) bad(s.id, 'start and finish times are not a valid interval');
      const list = outcomes.get(s.id) ?? [];
      outcomes.delete(s.id);
      if (outs.lost.includes(s.id)) continue;
      const named = new Set(list.map((o) => o.source));
      if (named.size !== sources.size || [...named].some((n) => !sources.has(n))) bad(s.id, 'per-source outcomes are not one per source');
      const failed = list.filter((o) => !o.ok);
      for (const o of failed) index.failed.add(`${s.id} ${o.source}`);
      if (failed.length !== s.failedSources) bad(s.id, 'the count of failed sources differs from the outcomes');
    }
    for (const id of outcomes.keys()) if (!snaps.lost.includes(id)) bad(id, 'outcomes of a snapshot that does not exist');
    step();
  }
  return index;
}

/** The recorded drift against the drift recomputed from the observed sources' versions. */
function checkDrift(db: Db, index: SnapshotIndex, damage: Damage[], step: () => void): number {
  let through: number;
  try {
    through = recordedThrough(sqliteReader(db));
  } catch (e) {
    if (!isCorruption(e)) throw e;
    addDamage(damage, { kind: 'drift', source: 'drift', from: null, to: null, detail: `the drift record's mark is unreadable: ${(e as Error).message}` });
    return 0;
  }
  const recheck = new DriftRecheck();
  for (let a = 0; a < through; a += WINDOW) {
    const b = Math.min(through, a + WINDOW);
    // Per source, through the clustered key: a damaged page of the drift record is not read here.
    const facts = readRange<VersionRow>(a, b, (x, y) =>
      SOURCES.flatMap((source) => sourceVersionsAsRead(db, source, x, y)).sort((p, q) => p.snapshot - q.snapshot),
    );
    // Without the observed versions there is nothing to recompute from (their damage is reported per source).
    if (facts.lost.length) return facts.lost[0]! - 1;
    const drift = readRange<SourceVersion>(a, b, (x, y) => sourceVersions(db, 'drift', x, y));
    for (const id of drift.lost) addDamage(damage, { kind: 'drift', source: 'drift', from: id, to: id, detail: `recorded drift unreadable: ${drift.error}` });
    const factRows = bySnapshot(facts.rows);
    const driftRows = bySnapshot(drift.rows);
    const events = [...new Set([...factRows.keys(), ...driftRows.keys()])];
    if (index.first !== null && index.first > a && index.first <= b) events.push(index.first);
    for (const id of [...new Set(events)].sort((x, y) => x - y)) {
      const differ = recheck.snapshot(factRows.get(id) ?? [], driftRows.get(id) ?? [], id === index.first);
      if (differ.length) {
        addDamage(damage, { kind: 'drift', source: 'drift', from: id, to: id, detail: 'recorded drift differs from the drift recomputed from the states' });
      }
    }
    step();
  }
  return through;
}

/** The watched paths' running counts; versions lost to damage are reported by their source's check already. */
function checkTotals(db: Db, damage: Damage[]): void {
  try {
    checkWatchTotals(watchTotalRows(db), damage);
  } catch (e) {
    if (!isCorruption(e)) throw e;
    addDamage(damage, { kind: 'watch_totals', source: 'zk.watch', from: null, to: null, detail: `the watched paths' running counts are unreadable: ${(e as Error).message}` });
  }
}

export function verifyHistory(db: Db, opts: VerifyOptions = {}): VerifyResult {
  const quick = opts.quick ?? false;
  const sqlite = sqliteProblems(db, quick);
  const damage: Damage[] = sqlite.length ? [{ kind: 'sqlite', source: null, from: null, to: null, detail: sqlite.join('; ') }] : [];
  const result = { quick, sqlite, snapshots: 0, firstSnapshot: null, lastSnapshot: null, driftCheckedThrough: 0, damage, intact: false } as VerifyResult;
  if (quick) {
    result.intact = damage.length === 0;
    return result;
  }
  let head: number;
  try {
    head = headSnapshot(db);
  } catch (e) {
    if (!isCorruption(e)) throw e;
    damage.push({ kind: 'snapshots', source: null, from: null, to: null, detail: `the snapshot table is unreadable: ${(e as Error).message}` });
    return result;
  }
  const windows = Math.ceil(head / WINDOW);
  const total = windows * (STORED_SOURCES.length + 2);
  let done = 0;
  const step = () => opts.progress?.(++done, total);
  const index = checkSnapshots(db, head, damage, step);
  for (const source of STORED_SOURCES) new SourceCheck(db, source, head, index, damage).run(step);
  result.driftCheckedThrough = checkDrift(db, index, damage, step);
  checkTotals(db, damage);
  result.snapshots = index.ids.size;
  result.firstSnapshot = index.first;
  result.lastSnapshot = index.ids.size ? head : null;
  result.intact = damage.length === 0;
  for (const d of damage) {
    d.fromTime = timeOf(index, d.from);
    d.toTime = timeOf(index, d.to);
  }
  return result;
}

function timeOf(index: SnapshotIndex, id: number | null): string | null {
  const t = id === null ? undefined : index.times.get(id);
  return t === undefined ? null : formatTime(t);
}

