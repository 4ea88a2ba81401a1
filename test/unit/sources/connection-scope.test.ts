// ConnectionScope: ending it destroys what it holds, once; what is released
// is not destroyed; a hold after the end is refused and destroyed at once;
// a signal's abort ends it, and dispose() stops listening.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConnectionScope } from '../../../src/sources/connection-scope.js';

function closable() {
  const c = { destroyed: 0, destroy: () => void c.destroyed++ };
  return c;
}

test('ending destroys each held connection once, not the released ones, and refuses later holds', () => {
  const scope = new ConnectionScope();
  const [a, b, c] = [closable(), closable(), closable()];
  assert.ok(scope.hold(a) && scope.hold(b) && scope.hold(c));
  scope.release(b);
  assert.equal(scope.ended, null);
  scope.end('given up');
  scope.end('again');
  assert.deepEqual([a.destroyed, b.destroyed, c.destroyed], [1, 0, 1]);
  assert.deepEqual(scope.ended, { kind: 'abandoned', message: 'given up' });
  const late = closable();
  assert.equal(scope.hold(late), false);
  assert.equal(late.destroyed, 1);
});

test('a connection released while the scope ends is not destroyed twice', () => {
  const scope = new ConnectionScope();
  const b = closable();
  // A's destroy releases B, as a socket's close handler may release another's.
  const a = { destroy: () => scope.release(b) };
  scope.hold(a);
  scope.hold(b);
  scope.end('x');
  assert.equal(b.destroyed, 1);
});

test("a signal's abort ends the scope; after dispose it no longer does", () => {
  const c1 = new AbortController();
  const one = ConnectionScope.of(c1.signal, 'stopped');
  const held = closable();
  one.scope.hold(held);
  c1.abort();
  assert.equal(held.destroyed, 1);
  assert.equal(one.scope.ended?.message, 'stopped');

  const c2 = new AbortController();
  const two = ConnectionScope.of(c2.signal, 'stopped');
  two.dispose();
  c2.abort();
  assert.equal(two.scope.ended, null);

  const already = ConnectionScope.of(AbortSignal.abort(), 'before');
  assert.equal(already.scope.ended?.kind, 'abandoned');
  assert.equal(ConnectionScope.of(undefined, 'x').scope.ended, null);
});
