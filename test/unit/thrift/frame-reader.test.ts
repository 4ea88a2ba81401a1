import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader } from '../../../src/sources/thrift/frame-reader.js';

function framed(payload: string): Buffer {
  const body = Buffer.from(payload);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(body.length, 0);
  return Buffer.concat([head, body]);
}

const text = (r: ReturnType<FrameReader['push']>) => (r.ok ? r.value.map((b) => b.toString()) : r.error);

test('one chunk holding two frames and the start of a third', () => {
  const reader = new FrameReader();
  const bytes = Buffer.concat([framed('one'), framed('two'), framed('three')]);
  assert.deepEqual(text(reader.push(bytes.subarray(0, bytes.length - 2))), ['one', 'two']);
  assert.equal(reader.pendingBytes, 4 + 5 - 2);
  assert.deepEqual(text(reader.push(bytes.subarray(bytes.length - 2))), ['three']);
  assert.equal(reader.pendingBytes, 0);
});

test('a frame delivered one byte at a time, header split too', () => {
  const reader = new FrameReader();
  const bytes = framed('hello');
  const out: string[] = [];
  for (const b of bytes) {
    const r = reader.push(Buffer.from([b]));
    assert.ok(r.ok);
    out.push(...r.value.map((f) => f.toString()));
  }
  assert.deepEqual(out, ['hello']);
});

test('an empty frame is a frame', () => {
  assert.deepEqual(text(new FrameReader().push(framed(''))), ['']);
});

test('a header over the limit fails at once, before its payload arrives', () => {
  const reader = new FrameReader(10);
  const head = Buffer.alloc(4);
  head.writeUInt32BE(11, 0);
  const r = reader.push(head);
  assert.ok(!r.ok);
  assert.match(r.error, /11 bytes exceeds the 10-byte limit/);
  assert.deepEqual(text(new FrameReader(10).push(framed('0123456789'))), ['0123456789']);
});

test('a 4 GB header (top bit set) is huge, not negative', () => {
  const head = Buffer.from([0xff, 0xff, 0xff, 0xf0]);
  const r = new FrameReader().push(head);
  assert.ok(!r.ok);
  assert.match(r.error, new RegExp(`4294967280 bytes exceeds the ${DEFAULT_MAX_FRAME_BYTES}-byte limit`));
});

test('the default limit is 64 MiB', () => {
  assert.equal(DEFAULT_MAX_FRAME_BYTES, 64 * 1024 * 1024);
});
