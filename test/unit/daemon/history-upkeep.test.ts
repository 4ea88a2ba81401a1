import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backupName, backupsToDrop } from '../../../src/daemon/history-upkeep.js';

test('backup names sort by time, and only the newest N of ours are kept', () => {
  const a = backupName(Date.UTC(2026, 11, 3, 9, 5, 0));
  const b = backupName(Date.UTC(2026, 11, 3, 10, 0, 0));
  const c = backupName(Date.UTC(2026, 11, 4, 0, 0, 0));
  assert.equal(a, 'treesnap-20261203T090500Z.db');
  assert.deepEqual(backupsToDrop([c, 'notes.txt', a, 'other.db', b, `.${c}.tmp-1-2`], 2), [a]);
  assert.deepEqual(backupsToDrop([a, b], 7), []);
});
