// `treesnap verify --salvage OUT` (I/O through the store): a new history
// holding every snapshot whose state still reconstructs from the damaged one,
// under the same ids. Each observed source is replayed forward once, as
// verify does; where its versions are lost its state is unknown until its
// next readable checkpoint, and the snapshots in between are left out. The
// recorded drift is not copied but recorded afresh from the salvaged states.
import { existsSync } from 'node:fs';
import { DatabaseError } from '../errors.js';
import { recordDrift } from '../query/record-drift.js';
import { formatTime } from '../query/time-expr.js';
import { SOURCES, type SourceName } from '../snapshot/source-name.js';
import { decodeState } from '../store/checkpoint-format.js';
import { isCorruption } from '../store/integrity.js';
import type { WrittenVersion } from '../store/insert-snapshot-rows.js';
import { openDatabase, type Db } from '../store/open-database.js';
import { insertSnapshotAs, storedOutcomes } from '../store/salvage.js';
import { sourceVersions, type SourceVersion } from '../store/state-checkpoints.js';
import { checkpointIds, checkpointText, headSnapshot, snapshotsIn } from '../store/verify-reads.js';
import { withWriteTransaction } from '../store/write-transaction.js';
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
  const text = tryRead(() => checkpointText(db, source, id));
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

export function salvageHistory(db: Db, path: string): SalvageResult {
  if (existsSync(path)) throw new DatabaseError(`--salvage ${path}: already exists; name a new file`);
  const out = openDatabase(path);
  const lost: Damage[] = [];
  let kept = 0;
  try {
    const head = headSnapshot(db);
    const walks = new Map(SOURCES.map((s) => [s, startWalk(db, s)]));
    for (let a = 0; a < head; a += WINDOW) {
      const b = Math.min(head, a + WINDOW);
      const snaps = readRange(a, b, (x, y) => snapshotsIn(db, x, y));
      const reads = new Map(SOURCES.map((s) => [s, readRange<SourceVersion>(a, b, (x, y) => sourceVersions(db, s, x, y))]));
      const rows = new Map(SOURCES.map((s) => [s, bySnapshot(reads.get(s)!.rows)]));
      for (const id of snaps.lost) addDamage(lost, { kind: 'snapshots', source: null, from: id, to: id, detail: 'snapshot row unreadable' });
      withWriteTransaction(out, () => {
        for (const snap of snaps.rows) {
          const outcomes = tryRead(() => storedOutcomes(db, snap.id));
          const writes: WrittenVersion[] = [];
          let whole = outcomes !== null && outcomes.length === SOURCES.length;
          for (const source of SOURCES) {
            const w = walks.get(source)!;
            const read = reads.get(source)!;
            if (read.lost.includes(snap.id)) w.known = false;
            for (const v of rows.get(source)!.get(snap.id) ?? []) {
              w.dirty.add(`${v.kind}${SEP}${v.entity}`);
              if (v.value === null) w.state.delete(`${v.kind}${SEP}${v.entity}`);
              else w.state.set(`${v.kind}${SEP}${v.entity}`, v.value);
            }
            if (!w.known && w.checkpoints.has(snap.id)) resetTo(db, source, w, snap.id);
            const d = delta(source, w);
            // A source not read in this snapshot cannot carry the change that bridges a gap: left out until it is read.
            const ok = outcomes?.find((o) => o.source === source)?.ok ?? false;
            if (!w.known || (d.length > 0 && !ok)) whole = false;
            writes.push(...d);
          }
          if (!whole) {
            const at = formatTime(snap.startedAt);
            addDamage(lost, { kind: 'versions', source: null, from: snap.id, to: snap.id, fromTime: at, toTime: at, detail: 'state does not reconstruct' });
            continue;
          }
          insertSnapshotAs(out, snap, outcomes!, writes);
          for (const v of writes) {
            const written = walks.get(v.source)!.written;
            if (v.value === null) written.delete(`${v.kind}${SEP}${v.entity}`);
            else written.set(`${v.kind}${SEP}${v.entity}`, v.value);
          }
          for (const w of walks.values()) w.dirty.clear();
          kept++;
        }
      });
    }
    recordDrift(out);
  } finally {
    out.$client.close();
  }
  return { path, kept, lost };
}
