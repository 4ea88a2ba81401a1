// The watched paths' running counts (src/store/watch-totals.ts) against their
// versions (pure over the rows read): each total must be the previous
// version's total plus its own changes, or its own changes alone where the
// previous version has none (where the counting began). A wrong total would
// make a diff report a wrong count of watched changes, with nothing else amiss.
import { totalAfter, type WatchTotalRow } from '../store/index.js';
import { addDamage, type Damage } from './damage.js';

const DETAIL = "a watched path's running count of changes differs from its versions (diffs would report wrong watched counts)";

export function checkWatchTotals(rows: Iterable<WatchTotalRow>, damage: Damage[]): void {
  let key = -1;
  let previous: number | null = null;
  for (const r of rows) {
    if (r.keyId !== key) {
      key = r.keyId;
      previous = null;
    }
    // Only the oldest versions of a path may lack a total: one missing after one present breaks the count.
    const wrong = r.total === null ? previous !== null : r.total !== totalAfter(previous, r.value);
    if (wrong) addDamage(damage, { kind: 'watch_totals', source: 'zk.watch', from: r.snapshot, to: r.snapshot, detail: DETAIL });
    previous = r.total;
  }
}
