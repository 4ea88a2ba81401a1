// The list-then-read-all rules, over an in-memory ZkReader (the interface the
// readers take; the real client is exercised in test/integration).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { err, ok, type Result } from '../../../src/model/result.js';
import { sourceError, type SourceError } from '../../../src/model/source-error.js';
import { childPath, readChildrenData } from '../../../src/sources/zookeeper/read-children-data.js';
import type { ZkReader } from '../../../src/sources/zookeeper/zk-reader.js';

type DataAnswer = Buffer | null | SourceError | (() => Promise<Result<Buffer | null, SourceError>>);

function memoryReader(tree: Record<string, Record<string, DataAnswer>>, stats = { inFlight: 0, peak: 0 }): ZkReader {
  return {
    expired: false,
    close: async () => {},
    stat: async () => ok(null),
    seenStats: () => new Map(),
    async children(path) {
      const kids = tree[path];
      return ok(kids ? Object.keys(kids) : null);
    },
    async data(path) {
      const parent = path.slice(0, path.lastIndexOf('/')) || '/';
      const answer = tree[parent]?.[path.slice(path.lastIndexOf('/') + 1)];
      stats.inFlight++;
      stats.peak = Math.max(stats.peak, stats.inFlight);
      await new Promise((r) => setImmediate(r));
      stats.inFlight--;
      if (answer === undefined || answer === null) return ok(null);
      if (typeof answer === 'function') return answer();
      if (Buffer.isBuffer(answer)) return ok(answer);
      return err(answer);
    },
  };
}

describe('readChildrenData', () => {
  it('an absent parent is no children, flagged as absent', async () => {
    assert.deepEqual(await readChildrenData(memoryReader({}), '/hosts'), { ok: true, value: { parentPresent: false, children: [] } });
  });

  it('sorts by name and skips children gone before their read', async () => {
    const r = await readChildrenData(memoryReader({ '/p': { b: Buffer.from('B'), gone: null, a: Buffer.from('A') } }), '/p');
    assert.deepEqual(r, {
      ok: true,
      value: {
        parentPresent: true,
        children: [
          { name: 'a', path: '/p/a', data: Buffer.from('A') },
          { name: 'b', path: '/p/b', data: Buffer.from('B') },
        ],
      },
    });
  });

  it('keeps an error confined to one node as that node’s error', async () => {
    const noAuth = sourceError('zookeeper', 'read /p/x: Exception: NO_AUTH[-102]');
    const r = await readChildrenData(memoryReader({ '/p': { x: noAuth, y: Buffer.from('Y') } }), '/p');
    assert.ok(r.ok);
    assert.deepEqual(r.value.children[0], { name: 'x', path: '/p/x', error: { path: '/p/x', ...noAuth } });
    assert.equal(r.value.children.length, 2);
  });

  for (const kind of ['timeout', 'unreachable', 'session_expired'] as const) {
    it(`fails the whole read on ${kind}, without waiting for requests still in flight`, async () => {
      const slow = () => new Promise<Result<Buffer | null, SourceError>>((resolve) => setTimeout(() => resolve(ok(Buffer.from('late'))), 5000).unref());
      const kids: Record<string, DataAnswer> = { a: Buffer.from('A'), b: sourceError(kind, 'boom'), c: slow };
      const t0 = performance.now();
      const r = await readChildrenData(memoryReader({ '/p': kids }), '/p');
      assert.deepEqual(r, { ok: false, error: sourceError(kind, 'boom') });
      assert.ok(performance.now() - t0 < 1000);
    });
  }

  it('fails when the listing fails', async () => {
    const zk = { ...memoryReader({}), children: async () => err(sourceError('unreachable', 'down')) };
    assert.deepEqual(await readChildrenData(zk, '/p'), { ok: false, error: sourceError('unreachable', 'down') });
  });

  it('keeps at most `concurrency` reads in flight', async () => {
    const stats = { inFlight: 0, peak: 0 };
    const kids = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`n${i}`, Buffer.from([i])]));
    const r = await readChildrenData(memoryReader({ '/p': kids }, stats), '/p', 8);
    assert.ok(r.ok);
    assert.equal(r.value.children.length, 100);
    assert.equal(stats.peak, 8);
  });

  it('joins paths under the root without a double slash', () => {
    assert.equal(childPath('/', 'x'), '/x');
    assert.equal(childPath('/a', 'x'), '/a/x');
  });
});
