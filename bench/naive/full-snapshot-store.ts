// The naive design the store is measured against: every collection stores
// every fact of every source in full, one row per (snapshot, source, kind,
// entity). Reading a snapshot is one range scan; a diff compares two full
// snapshots. Bench-only reference, hand-written SQL on purpose.
import Database from 'better-sqlite3';
import { rmSync, statSync } from 'node:fs';
import { splitFactKey } from '../../src/snapshot/fact.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import type { SyntheticCluster } from '../history/synthetic-cluster.js';

const SCHEMA = `
  CREATE TABLE full_facts (
    snapshot INTEGER NOT NULL, source TEXT NOT NULL, kind TEXT NOT NULL, entity TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (snapshot, source, kind, entity)
  ) WITHOUT ROWID`;

// Facts changed or gone between snapshots @a and @b, then facts new in @b: every row
// of both snapshots is visited once, with one primary-key seek into the other.
const DIFF_SQL = `
  SELECT a.source, a.kind, a.entity, a.value AS before, b.value AS after
  FROM full_facts a
  LEFT JOIN full_facts b ON b.snapshot = @b AND b.source = a.source AND b.kind = a.kind AND b.entity = a.entity
  WHERE a.snapshot = @a AND b.value IS NOT a.value
  UNION ALL
  SELECT b.source, b.kind, b.entity, NULL, b.value
  FROM full_facts b
  WHERE b.snapshot = @b
    AND NOT EXISTS (SELECT 1 FROM full_facts a WHERE a.snapshot = @a AND a.source = b.source AND a.kind = b.kind AND a.entity = b.entity)`;

export class FullSnapshotStore {
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  rows = 0;

  constructor(readonly path: string) {
    for (const s of ['', '-wal', '-shm', '-journal']) rmSync(path + s, { force: true });
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(SCHEMA);
    this.insert = this.db.prepare('INSERT INTO full_facts VALUES (?, ?, ?, ?, ?)');
  }

  /** Stores the whole known state of every source as snapshot `id`. */
  write(id: number, cluster: SyntheticCluster): void {
    this.db.transaction(() => {
      for (const source of SOURCES) {
        for (const [key, value] of cluster.storedState(source)) {
          const { kind, entity } = splitFactKey(key);
          this.insert.run(id, source, kind, entity, value);
          this.rows++;
        }
      }
    })();
  }

  diff(a: number, b: number): unknown[] {
    return this.db.prepare(DIFF_SQL).all({ a, b });
  }

  /** File size after folding the WAL in. */
  bytes(): number {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    return statSync(this.path).size;
  }

  close(): void {
    this.db.close();
    for (const s of ['', '-wal', '-shm']) rmSync(this.path + s, { force: true });
  }
}
