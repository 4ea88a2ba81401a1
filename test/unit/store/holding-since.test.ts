// holdingSince names, for each entity, the snapshot its version holding at a
// snapshot was written in: the first of the versions versionsOfEntities reads
// from that holding version on, without handing any value over.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../../src/store/open-database.js';
import { holdingSince, versionsOfEntities } from '../../../src/store/version-reads.js';
import { randomHistory, writeHistory } from '../../support/random-history.js';

test('holdingSince agrees with the first version read from the holding one, tombstones included; entities with no version are absent', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, randomHistory(5, 400, 30));
  const entities = [...Array.from({ length: 30 }, (_, i) => `h${i}`), 'nope'];
  let compared = 0;
  for (const [source, kind] of [['status', 'status'], ['zk.hosts', 'registration'], ['zk.missing', 'missing']] as const) {
    for (const at of [1, 2, 57, 200, ids.at(-1)!, ids.at(-1)! + 10]) {
      const since = holdingSince(db, source, kind, entities, at);
      const expected = new Map([...versionsOfEntities(db, source, kind, entities, at, at)].map(([e, versions]) => [e, versions[0]!.snapshot]));
      assert.deepEqual(since, expected, `${source} at #${at}`);
      compared += since.size;
    }
  }
  assert.ok(compared > 100, `compared ${compared} entities`);
  assert.ok(!holdingSince(db, 'status', 'status', ['nope'], ids.at(-1)!).has('nope'));
  db.$client.close();
});
