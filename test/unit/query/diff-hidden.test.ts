// diff's hidden changes: what ZooKeeper counted between the two snapshots
// beyond the diff's own changes, and how much of it the watcher saw.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ZkStat } from '../../../src/model/zk-stat.js';
import { diffHiddenChanges } from '../../../src/query/hidden-changes.js';
import { diffHiddenPhrase } from '../../../src/cli/render/diff-text.js';

const stat = (cversion: number, version = 0): ZkStat => ({ ctime: 1, mtime: 1, czxid: 'a', mzxid: 'b', pzxid: 'c', version, cversion, ephemeralOwner: '0' });
const ends = { previous: { id: 1, startedAt: 1000 }, snapshot: { id: 9, startedAt: 9000 } };

test('counted beyond the diff, and the part the watcher saw', () => {
  const missing = { path: '/missing', before: stat(3), after: stat(7), ...ends };
  const added = { source: 'zk.missing' as const, kind: 'missing' as const, entity: 'h1', before: null, after: {} };
  const h = diffHiddenChanges(missing, [added], 2);
  assert.deepEqual(h, { source: 'zk.missing', path: '/missing', changes: 4, seen: 1, watched: 2, recreated: false });
  assert.equal(diffHiddenPhrase(h!), 'changed 4 times in ZooKeeper, 1 in this diff: 2 watched (see timeline), 1 not watched');
  assert.equal(diffHiddenChanges(missing, [added], 9)?.watched, 3, 'never more than what the diff does not show');
  assert.equal(diffHiddenChanges({ ...missing, after: stat(4) }, [added], 0), null, 'the diff shows it all');
  assert.equal(diffHiddenPhrase(diffHiddenChanges(missing, [], 0)!), 'changed 4 times in ZooKeeper, 0 in this diff: 4 not watched');
});
