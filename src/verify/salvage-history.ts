// `treesnap verify --salvage OUT` (I/O through the store): a new history
// holding every snapshot whose state still reconstructs from the damaged one,
// under the same ids. Each observed source is replayed forward once, as
// verify does; where its versions are lost its state is unknown until its
// next readable checkpoint, and the snapshots in between are left out. The
// recorded drift is not copied but recorded afresh from the salvaged states.
import { existsSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DatabaseError } from '../errors.js';
import { recordDrift } from '../record/index.js';
import { formatTime } from '../util/time.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { checkpointIds, closeDatabase, storedCheckpoint, decodeState, headSnapshot, insertSnapshotAs, isCorruption, openDatabase, snapshotsIn, sourceVersions, storedOutcomes, withWriteTransaction, type Db, type SourceVersion, type WrittenVersion } from '../store/index.js';
import { addDamage, type Damage } from './damage.js';
import { readRange } from './read-range.js';
import { bySnapshot } from './windows.js';

export interface SalvageResult {
  path: string;
  kept: number;
  /** The snapshots left out, as ranges. */
  lost: Damage[];
}

const WINDOW = 500;
const SEP = '\u0000';

interface Walk {
  state: Map<string, string>;
  written: Map<string, string>;
  /** Keys changed since the last snapshot written: only these can differ from it. */
  dirty: Set<string>;
  known: boolean;
  checkpoints: Set<number>;
}


function tryRead<T>(read: () => T): T | null {
  try {
    return read();
  } catch (e) {
    if (isCorruption(e)) return null;
    throw e;
  }
}

function startWalk(db: Db, source: SourceName): Walk {
  return { state: new Map(), written: new Map(), dirty: new Set(), known: true, checkpoints: new Set(tryRead(() => checkpointIds(db, source)) ?? []) };
}

/** The versions that take what was written to the state now. */
function delta(source: SourceName, w: Walk): WrittenVersion[] {
  const out: WrittenVersion[] = [];
  const split = (key: string) => key.split(SEP) as [WrittenVersion['kind'], string];
  for (const key of w.dirty) {
    const value = w.state.get(key) ?? null;
    if ((w.written.get(key) ?? null) !== value) out.push({ source, kind: split(key)[0], entity: split(key)[1], value });
  }
  return out;
}

function resetTo(db: Db, source: SourceName, w: Walk, id: number): void {
  const text = tryRead(() => storedCheckpoint(db, source, id));
  const state = text ? decodeState(text) : null;
  if (!state) return;
  for (const key of w.state.keys()) w.dirty.add(key);
  w.state.clear();
  for (const [kind, list] of state) {
    for (let i = 0; i < list.length; i += 2) {
      w.state.set(`${kind}${SEP}${list[i]}`, list[i + 1]!);
      w.dirty.add(`${kind}${SEP}${list[i]}`);
    }
  }
  w.known = true;
}

/** What one window of the damaged history holds, read with its damage. */
interface Window {
  rows: Map<SourceName, Map<number, SourceVersion[]>>;
  lost: Map<SourceName, Set<number>>;
}

function readWindow(db: Db, a: number, b: number): Window {
  const reads = new Map(SOURCES.map((s) => [s, readRange<SourceVersion>(a, b, (x, y) => sourceVersions(db, s, x, y))]));
  return {
    rows: new Map(SOURCES.map((s) => [s, bySnapshot(reads.get(s)!.rows)])),
    lost: new Map(SOURCES.map((s) => [s, new Set(reads.get(s)!.lost)])),
  };
}

/** Brings every source's walk to snapshot `id`; returns the versions from what was written to there, or null when some state is unknown. */
function advance(db: Db, walks: Map<SourceName, Walk>, win: Window, id: number): Map<SourceName, WrittenVersion[]> | null {
  const out = new Map<SourceName, WrittenVersion[]>();
  let whole = true;
  for (const source of SOURCES) {
    const w = walks.get(source)!;
    if (win.lost.get(source)!.has(id)) w.known = false;
    for (const v of win.rows.get(source)!.get(id) ?? []) {
      const key = `${v.kind}${SEP}${v.entity}`;
      w.dirty.add(key);
      if (v.value === null) w.state.delete(key);
      else w.state.set(key, v.value);
    }
    if (!w.known && w.checkpoints.has(id)) resetTo(db, source, w, id);
    if (!w.known) whole = false;
    out.set(source, delta(source, w));
  }
  return whole ? out : null;
}

function markWritten(walks: Map<SourceName, Walk>, writes: readonly WrittenVersion[]): void {
  for (const v of writes) {
    const written = walks.get(v.source)!.written;
    if (v.value === null) written.delete(`${v.kind}${SEP}${v.entity}`);
    else written.set(`${v.kind}${SEP}${v.entity}`, v.value);
  }
  for (const w of walks.values()) w.dirty.clear();
}

/** Copies the snapshots of one window that reconstruct; returns how many. */
function salvageWindow(db: Db, out: Db, walks: Map<SourceName, Walk>, a: number, b: number, lost: Damage[]): number {
  const snaps = readRange(a, b, (x, y) => snapshotsIn(db, x, y));
  const win = readWindow(db, a, b);
  const rows = new Map(snaps.rows.map((r) => [r.id, r]));
  // A snapshot whose row is unreadable is left out, but its versions still carry the states forward.
  const ids = [...new Set([...rows.keys(), ...snaps.lost])].sort((x, y) => x - y);
  let kept = 0;
  withWriteTransaction(out, () => {
    for (const id of ids) {
      const deltas = advance(db, walks, win, id);
      const snap = rows.get(id);
      if (!snap) {
        addDamage(lost, { kind: 'snapshots', source: null, from: id, to: id, detail: 'snapshot row unreadable' });
        continue;
      }
      const outcomes = tryRead(() => storedOutcomes(db, id));
      const read = (s: SourceName) => outcomes?.find((o) => o.source === s)?.ok ?? false;
      // A source not read in this snapshot cannot carry the change that bridges a gap: left out until it is read.
      const whole = deltas !== null && outcomes?.length === SOURCES.length && SOURCES.every((s) => deltas.get(s)!.length === 0 || read(s));
      if (!whole) {
        const at = formatTime(snap.startedAt);
        addDamage(lost, { kind: 'versions', source: null, from: id, to: id, fromTime: at, toTime: at, detail: 'state does not reconstruct' });
        continue;
      }
      const writes = SOURCES.flatMap((s) => deltas.get(s)!);
      insertSnapshotAs(out, snap, outcomes!, writes);
      markWritten(walks, writes);
      kept++;
    }
  });
  return kept;
}

/**
 * Writes the salvaged history under a temporary name beside `path`, then
 * renames it into place: `path` never holds half a salvage.
 */
export function salvageHistory(db: Db, path: string): SalvageResult {
  if (existsSync(path)) throw new DatabaseError(`--salvage ${path}: already exists; name a new file`);
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  const out = openDatabase(tmp);
  const lost: Damage[] = [];
  let kept = 0;
  try {
    const head = headSnapshot(db);
    const walks = new Map(SOURCES.map((s) => [s, startWalk(db, s)]));
    for (let a = 0; a < head; a += WINDOW) kept += salvageWindow(db, out, walks, a, Math.min(head, a + WINDOW), lost);
    recordDrift(out);
    closeDatabase(out);
    renameSync(tmp, path);
  } catch (e) {
    closeDatabase(out);
    for (const p of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(p, { force: true });
    throw e;
  }
  return { path, kept, lost };
}
