import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/errors.js';
import { acceptRules, globToRegExp, matchIgnoreRules, parseIgnoreRules, type IgnoreRule } from '../../../src/query/ignore-rules.js';

const KINDS = ['leaf_owner_differs', 'agent_role_differs'];
const rule = (over: Partial<IgnoreRule> = {}): IgnoreRule => ({
  kind: 'agent_role_differs',
  ids: 'leaf-1,*',
  reason: 'migrating',
  owner: 'ops',
  until: '2026-12-31',
  ...over,
});

test('a rule hides exactly its items and lists them apart with the rule', () => {
  const items = [
    { kind: 'agent_role_differs', ids: ['leaf-1', 'h1'] },
    { kind: 'agent_role_differs', ids: ['leaf-10', 'h2'] },
    { kind: 'leaf_owner_differs', ids: ['leaf-1'] },
  ];
  const r = matchIgnoreRules(items, [rule()], '2026-12-03');
  assert.deepEqual(r.kept, [items[1], items[2]]);
  assert.deepEqual(r.ignored, [{ item: items[0], rule: rule() }]);
  assert.deepEqual(r.expiredRules, []);
});

test('an expired rule is reported and stops matching; the expiry day itself still matches', () => {
  const items = [{ kind: 'agent_role_differs', ids: ['leaf-1', 'h1'] }];
  assert.equal(matchIgnoreRules(items, [rule()], '2026-12-31').ignored.length, 1);
  const r = matchIgnoreRules(items, [rule()], '2027-01-01');
  assert.deepEqual(r.kept, items);
  assert.deepEqual(r.expiredRules, [rule()]);
});

test('globs: * any run, ? one char, regex characters literal', () => {
  assert.ok(globToRegExp('h?').test('h1'));
  assert.ok(!globToRegExp('h?').test('h10'));
  assert.ok(globToRegExp('/hosts/*').test('/hosts/a.b'));
  assert.ok(!globToRegExp('a.b').test('axb'));
});

test('parsing: a good file, and one-line UsageErrors for bad ones', () => {
  const good = JSON.stringify({ rules: [rule()] });
  assert.deepEqual(parseIgnoreRules(good, 'r.json', KINDS), [rule()]);
  const bad: [string, RegExp][] = [
    ['{', /r\.json: not JSON/],
    ['[]', /expected \{"rules": \[\.\.\.\]\}/],
    [JSON.stringify({ rules: [rule({ kind: 'x' })] }), /rules\[0\]\.kind 'x' is not a drift kind/],
    [JSON.stringify({ rules: [rule({ until: '31.12.2026' })] }), /rules\[0\]\.until must be YYYY-MM-DD/],
    [JSON.stringify({ rules: [{ ...rule(), reason: '' }] }), /rules\[0\]\.reason must be a non-empty string/],
  ];
  for (const [text, msg] of bad) {
    assert.throws(
      () => parseIgnoreRules(text, 'r.json', KINDS),
      (e: unknown) => e instanceof UsageError && msg.test(e.message) && !e.message.includes('\n'),
    );
  }
});

test('accept turns drift items into rules that then ignore exactly those items', () => {
  const items = [
    { kind: 'leaf_owner_differs', ids: ['leaf-1'] },
    { kind: 'leaf_owner_differs', ids: ['leaf-1'] },
    { kind: 'agent_role_differs', ids: ['leaf-2', 'h3'] },
  ];
  const doc = acceptRules(items, { reason: 'baseline', owner: 'me', until: '2027-01-31' });
  assert.equal(doc.rules.length, 2);
  const reparsed = parseIgnoreRules(JSON.stringify(doc), 'gen', KINDS);
  const later = [...items, { kind: 'leaf_owner_differs', ids: ['leaf-3'] }];
  const r = matchIgnoreRules(later, reparsed, '2026-12-03');
  assert.deepEqual(r.kept, [{ kind: 'leaf_owner_differs', ids: ['leaf-3'] }]);
  const odd = { kind: 'leaf_owner_differs', ids: ['leaf*1'] };
  const oddRules = acceptRules([odd], { reason: 'x', owner: 'me', until: '2027-01-01' }).rules;
  assert.deepEqual(oddRules.map((r) => r.ids), ['leaf?1']);
  assert.equal(matchIgnoreRules([odd], oddRules, '2026-12-03').ignored.length, 1);
  assert.throws(() => acceptRules(items, { reason: 'x', owner: 'me', until: 'tomorrow' }), UsageError);
  assert.throws(() => acceptRules(items, { reason: ' ', owner: 'me', until: '2027-01-01' }), UsageError);
});
