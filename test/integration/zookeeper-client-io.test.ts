// How the ZooKeeper client moves many replies: replies arriving in one chunk
// are read without copying the rest of the chunk once per reply
// (zk-reply-buffer.ts), and requests queued together leave in one write
// (zk-request-writes.ts).
import assert from 'node:assert/strict';
import { Socket } from 'node:net';
import { after, it } from 'node:test';
import { connectZookeeper } from '../../src/sources/zookeeper/connection.js';
import { mapPool } from '../../src/util/map-pool.js';
import { connectWriter } from '../support/zk-write.js';
import { freshChroot } from '../support/zookeeper.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

const value = Buffer.alloc(200, 'x');
const names = Array.from({ length: 2000 }, (_, i) => `h${i}`);

/** A reader on a fresh chroot holding /n/h0 ... /n/h1999, 200 bytes each. */
async function twoThousandNodes() {
  const { connectString } = await freshChroot('replies');
  const w = await connectWriter(connectString);
  cleanups.push(() => w.close());
  await w.put('/n');
  await w.putMany(names.map((n) => [`/n/${n}`, value] as const));
  const r = await connectZookeeper(connectString, { connectTimeoutMs: 5000, requestTimeoutMs: 10_000 });
  assert.ok(r.ok);
  cleanups.push(() => r.value.close());
  return r.value;
}

it('reads 2,000 nodes in flight at once copying less than 3x the bytes received', async () => {
  const zk = await twoThousandNodes();
  const concat = Buffer.concat;
  let copied = 0;
  Buffer.concat = (list: readonly Uint8Array[], length?: number) => {
    const out = concat(list, length);
    copied += out.length;
    return out;
  };
  try {
    const reads = await mapPool(names, 2000, (n) => zk.data(`/n/${n}`));
    assert.ok(reads.every((x) => x.ok && x.value?.equals(value)));
  } finally {
    Buffer.concat = concat;
  }
  // Each reply: its 200 bytes of data, a Stat (68) and headers (~24).
  const received = names.length * (200 + 68 + 24);
  assert.ok(copied < 3 * received, `copied ${copied} bytes for about ${received} received`);
});

it('sends 2,000 reads queued together in a few socket writes, not one each', async () => {
  const zk = await twoThousandNodes();
  const proto = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => void>;
  const originals = { _write: proto._write, _writev: proto._writev };
  let writes = 0;
  for (const name of ['_write', '_writev'] as const) {
    proto[name] = function (this: Socket, ...args: unknown[]) {
      writes++;
      return originals[name].apply(this, args);
    };
  }
  try {
    const reads = await mapPool(names, 2000, (n) => zk.data(`/n/${n}`));
    assert.ok(reads.every((x) => x.ok && x.value?.equals(value)));
  } finally {
    Object.assign(proto, originals);
  }
  // Every read's request was queued in one synchronous burst.
  assert.ok(writes <= 20, `${writes} socket writes for ${names.length} reads`);
});
