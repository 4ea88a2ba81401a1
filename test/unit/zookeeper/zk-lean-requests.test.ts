// The lean request classes (zk-lean-requests.ts) write the bytes the library's
// own jute classes write, for any path, watch flag, chroot and xid.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import jute from 'node-zookeeper-client/lib/jute/index.js';
import { LEAN_REQUESTS, LIBRARY_REQUESTS } from '../../../src/sources/zookeeper/zk-lean-requests.js';

type Classes = Record<string, new (...args: unknown[]) => object>;
type Payload = { path?: string; watch: boolean; setChrootPath(p: string): void };
const PATH_REQUESTS = ['GetDataRequest', 'GetChildren2Request', 'ExistsRequest'] as const;

function bytes(classes: Classes, name: string, type: number, xid: number, path: string, watch: boolean, chroot: string | null): string {
  const header = new classes.RequestHeader!() as { xid: number; type: number };
  header.type = type;
  header.xid = xid;
  const payload = new classes[name]!() as Payload;
  payload.path = path;
  payload.watch = watch;
  // As ConnectionManager.queue does when the connect string has a chroot.
  if (chroot) payload.setChrootPath(chroot);
  return new jute.Request(header, payload).toBuffer().toString('hex');
}

const path = fc.oneof(fc.constant('/'), fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`));
const chroot = fc.oneof(fc.constant(null), path.filter((p) => p !== '/'));

describe('lean ZooKeeper requests', () => {
  for (const name of PATH_REQUESTS) {
    it(`${name}: the library's bytes, with and without a chroot`, () => {
      fc.assert(
        fc.property(path, fc.boolean(), chroot, fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), (p, watch, root, xid) => {
          const type = jute.OP_CODES.GET_DATA!;
          assert.equal(bytes(LEAN_REQUESTS, name, type, xid, p, watch, root), bytes(LIBRARY_REQUESTS, name, type, xid, p, watch, root));
        }),
        { numRuns: 300 },
      );
    });
  }

  it("a header built with its xid and type (the library's ping) is written as the library's", () => {
    const ping = (classes: Classes) => new jute.Request(new classes.RequestHeader!(-2, jute.OP_CODES.PING), null).toBuffer().toString('hex');
    assert.equal(ping(LEAN_REQUESTS), ping(LIBRARY_REQUESTS));
    assert.equal(ping(LEAN_REQUESTS), `00000008fffffffe0000000b`);
  });
});
