// Reads a snapshot range that may cross damaged pages (I/O through the
// caller's read): the whole range first; on SQLite's corruption error, each
// half, down to single snapshots, so only what the damaged pages hold is lost.
import { isCorruption } from '../store/index.js';
import { pushAll } from '../util/push-all.js';

export interface RangeRead<T> {
  rows: T[];
  /** Snapshots whose rows could not be read, ascending. */
  lost: number[];
  /** SQLite's message for the first unreadable range. */
  error: string | null;
}

export function readRange<T>(after: number, upTo: number, read: (after: number, upTo: number) => T[]): RangeRead<T> {
  const out: RangeRead<T> = { rows: [], lost: [], error: null };
  const walk = (a: number, b: number): void => {
    if (b <= a) return;
    try {
      pushAll(out.rows, read(a, b));
    } catch (e) {
      if (!isCorruption(e)) throw e;
      out.error ??= (e as Error).message;
      if (b - a === 1) {
        out.lost.push(b);
        return;
      }
      const mid = Math.floor((a + b) / 2);
      walk(a, mid);
      walk(mid, b);
    }
  };
  walk(after, upTo);
  return out;
}
