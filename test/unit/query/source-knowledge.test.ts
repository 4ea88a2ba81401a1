import assert from 'node:assert/strict';
import { test } from 'node:test';
import { knowledgeFromOutcomes, knownSources, unknownSources } from '../../../src/query/source-knowledge.js';
import { sourcesOf } from '../../../src/query/source-selection.js';

const ok = (source: string) => ({ source: source as never, ok: true, errorKind: null, errorMessage: null });

test('a failed source is unknown with its error and last good read; a source without an outcome was not collected', () => {
  const k = knowledgeFromOutcomes(
    [ok('zk.services'), ok('zk.roles'), ok('zk.hosts'), ok('zk.missing'), ok('root'), { source: 'chairman', ok: false, errorKind: 'timeout', errorMessage: 'no answer in 5s' }],
    (s) => (s === 'chairman' ? 41 : null),
  );
  assert.deepEqual(k.chairman, { known: false, error: { kind: 'timeout', message: 'no answer in 5s' }, lastOkSnapshot: 41 });
  assert.deepEqual(k.status, { known: false, error: { kind: 'not_collected', message: 'not collected in this snapshot' }, lastOkSnapshot: null });
  assert.deepEqual(k['zk.roles'], { known: true });
  assert.deepEqual(unknownSources(k), ['chairman', 'status', 'agents']);
  assert.deepEqual([...knownSources(k)], ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'root']);
});

test('--source groups select sources in store order; none means all', () => {
  assert.deepEqual(sourcesOf(['status', 'zk']), ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'status']);
  assert.deepEqual(sourcesOf(undefined), ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'chairman', 'root', 'status', 'agents']);
  assert.deepEqual(sourcesOf(['root', 'root']), ['root']);
});
