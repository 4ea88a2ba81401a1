import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BytesMemo } from '../../../src/util/bytes-memo.js';

function counting() {
  const calls: string[] = [];
  const memo = new BytesMemo((b: Buffer) => {
    calls.push(b.toString());
    return { text: b.toString() };
  });
  return { memo, calls };
}

describe('BytesMemo', () => {
  it('hands back the last decoding of a key while its bytes are the same, decoding only what changed', () => {
    const { memo, calls } = counting();
    memo.round();
    const a = memo.decode('/hosts/a', Buffer.from('one'));
    const b = memo.decode('/hosts/b', Buffer.from('two'));
    memo.round();
    assert.equal(memo.decode('/hosts/a', Buffer.from('one')), a);
    const b2 = memo.decode('/hosts/b', Buffer.from('TWO'));
    assert.notEqual(b2, b);
    assert.deepEqual(b2, { text: 'TWO' });
    assert.deepEqual(calls, ['one', 'two', 'TWO']);
  });

  it('compares what the bytes were when read: bytes changed in place after the read are a change', () => {
    const { memo, calls } = counting();
    const chunk = Buffer.from('xonex');
    memo.round();
    memo.decode('k', chunk.subarray(1, 4));
    chunk.write('t', 1);
    memo.round();
    assert.deepEqual(memo.decode('k', chunk.subarray(1, 4)), { text: 'tne' });
    assert.deepEqual(calls, ['one', 'tne']);
  });

  it('forgets a key one round after the round that last read it', () => {
    const { memo, calls } = counting();
    memo.round();
    memo.decode('k', Buffer.from('v'));
    memo.round();
    memo.round();
    memo.decode('k', Buffer.from('v'));
    assert.deepEqual(calls, ['v', 'v']);
  });

  it('the same key read twice in one round is decoded once', () => {
    const { memo, calls } = counting();
    memo.round();
    const first = memo.decode('k', Buffer.from('v'));
    assert.equal(memo.decode('k', Buffer.from('v')), first);
    assert.deepEqual(calls, ['v']);
  });
});
