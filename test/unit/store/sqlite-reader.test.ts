// A SQLite handle from openDatabase is its own reader: asking for its reader
// again returns it (no second set of bound reads), while a bare handle gets
// reads bound to it that answer as the handle's own do.
import assert from 'node:assert/strict';
import test from 'node:test';
import { closeDatabase, type Db, openDatabase, sqliteReader } from '../../../src/store/index.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation } from '../../support/observation.js';

test('the reader of a handle that already is one is the handle itself', () => {
  const db = openDatabase(':memory:');
  try {
    assert.equal(sqliteReader(db), db);
  } finally {
    closeDatabase(db);
  }
});

test('a bare handle gets its own reads, answering as the opened handle does', () => {
  const db = openDatabase(':memory:');
  try {
    writeSnapshot(db, observation({ leaves: { L1: ['h1', 'h2'] }, at: 1_700_000_000_000 }));
    writeSnapshot(db, observation({ leaves: { L1: ['h1'] }, missing: ['h2'], at: 1_700_000_060_000 }));
    const bare: Db = { $client: db.$client, cluster: db.cluster };
    const reader = sqliteReader(bare);
    assert.notEqual(reader, bare);
    assert.equal(reader.engine, 'sqlite');
    assert.equal(reader.marks().mark(2).startedAt, 1_700_000_060_000);
    assert.deepEqual(reader.marks().before(2), db.marks().before(2));
    assert.deepEqual(reader.readSourceState('zk.missing', 2), db.readSourceState('zk.missing', 2));
  } finally {
    closeDatabase(db);
  }
});
