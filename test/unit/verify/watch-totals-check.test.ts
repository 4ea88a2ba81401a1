// `verify` checks the watched paths' running counts (src/verify/check-watch-totals.ts)
// on the bench's generated history: intact as written and when only the
// oldest versions of a path have none (a file written before migration 0010);
// a wrong total (with the next version, whose difference to it is wrong too),
// or one missing after one present, is named by its snapshot.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { generateHistory, historySpec } from '../../../bench/history/generate-history.js';
import { openDatabase, type SqliteHistory } from '../../../src/store/open-database.js';
import { writeSnapshotDelta } from '../../../src/store/write-snapshot-delta.js';
import { withWriteTransaction } from '../../../src/store/write-transaction.js';
import { verifyHistory } from '../../../src/verify/verify-history.js';

function generated(): SqliteHistory {
  const db = openDatabase(':memory:');
  withWriteTransaction(db, () => generateHistory(historySpec(100, 400), (delta) => void writeSnapshotDelta(db, delta)));
  return db;
}

const found = (db: SqliteHistory) => verifyHistory(db).damage.filter((d) => d.kind === 'watch_totals').map((d) => [d.from, d.to]);
const totals = (db: SqliteHistory) => db.$client.prepare('SELECT key_id AS keyId, from_snapshot AS snapshot FROM watch_totals ORDER BY 1, 2').all() as { keyId: number; snapshot: number }[];

test('verify finds a wrong or missing running count by its snapshot, and accepts counts that begin late', () => {
  const db = generated();
  try {
    assert.equal(verifyHistory(db).intact, true);
    const rows = totals(db);
    assert.ok(rows.length > 20, 'the history has watched versions');
    const [first, , third] = rows as [(typeof rows)[number], unknown, (typeof rows)[number]];
    assert.equal(third.keyId, first.keyId, 'three versions of one path');
    // Counted from the second version on (its predecessor has none), as in a file written before migration 0010.
    const base = db.$client.prepare('SELECT total FROM watch_totals WHERE key_id = ? AND from_snapshot = ?').pluck().get(first.keyId, first.snapshot) as number;
    db.$client.prepare('DELETE FROM watch_totals WHERE key_id = ? AND from_snapshot = ?').run(first.keyId, first.snapshot);
    db.$client.prepare('UPDATE watch_totals SET total = total - ? WHERE key_id = ?').run(base, first.keyId);
    assert.deepEqual(found(db), [], 'a count that begins at a later version');
    const i = Math.floor(rows.length / 2);
    const [mid, next] = [rows[i]!, rows[i + 1]!];
    assert.equal(next.keyId, mid.keyId);
    db.$client.prepare('UPDATE watch_totals SET total = total + 1 WHERE key_id = ? AND from_snapshot = ?').run(mid.keyId, mid.snapshot);
    // Its own count and the next version's difference to it are both wrong.
    assert.deepEqual(found(db), [[mid.snapshot, mid.snapshot], [next.snapshot, next.snapshot]], 'a wrong total');
    db.$client.prepare('UPDATE watch_totals SET total = total - 1 WHERE key_id = ? AND from_snapshot = ?').run(mid.keyId, mid.snapshot);
    db.$client.prepare('DELETE FROM watch_totals WHERE key_id = ? AND from_snapshot = ?').run(third.keyId, third.snapshot);
    // The next version still counts on from the one removed.
    const fourth = rows[3]!;
    assert.deepEqual(found(db), [[third.snapshot, third.snapshot], [fourth.snapshot, fourth.snapshot]], 'a total missing after one present');
    assert.equal(verifyHistory(db).intact, false);
  } finally {
    db.$client.close();
  }
});
