// The daemon's collector against real sockets: a collection past its budget,
// or one the daemon stops, is abandoned and its connections are closed at once
// (ZooKeeper's and a Thrift call's); the next collection runs as usual.
import assert from 'node:assert/strict';
import { createServer, type Socket } from 'node:net';
import { test } from 'node:test';
import { InThreadCollector, type DaemonCollectOptions } from '../../src/daemon/collector.js';

/** Accepts TCP connections and never answers: a ZooKeeper that hangs. */
async function silentServer() {
  const sockets = new Set<Socket>();
  let closed = 0;
  const server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => {
      sockets.delete(s);
      closed++;
    });
    s.on('error', () => undefined);
    s.resume(); // read (and drop) what the client sends, so its FIN is seen
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    open: () => sockets.size,
    closed: () => closed,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

function options(zk: string, connectTimeoutMs: number): DaemonCollectOptions {
  return { zk, connectTimeoutMs, requestTimeoutMs: 1000, probeTimeoutMs: 500, probeConcurrency: 4, probeMode: 'connect' };
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

test('a collection past its budget is abandoned and its sockets are closed', async () => {
  const zk = await silentServer();
  const collector = new InThreadCollector();
  try {
    const stop = new AbortController();
    const t0 = Date.now();
    const r = await collector.collect(options(`127.0.0.1:${zk.port}`, 30_000), 400, stop.signal);
    const took = Date.now() - t0;
    assert.equal(r.kind, 'abandoned');
    assert.equal(r.kind === 'abandoned' && r.reason, 'budget');
    // Not before the budget; and long before the 30 s connect timeout could have ended it (a deadline
    // that only catches a hang: on a loaded machine this takes what it takes).
    assert.ok(took >= 400 && took < 30_000, `abandoned after ${took} ms`);
    assert.ok(await until(() => zk.closed() >= 1 && zk.open() === 0, 30_000), 'the connection of the abandoned collection was closed');

    // The next collection runs and reports the dead ZooKeeper as a value.
    const next = await collector.collect(options('127.0.0.1:1', 300), 10_000, stop.signal);
    assert.equal(next.kind, 'observed');
    if (next.kind === 'observed') {
      assert.equal(next.observation.services.result.ok, false);
      assert.equal(next.observation.status.result.ok, false);
    }
  } finally {
    await collector.close();
    await zk.close();
  }
});

test('stopping abandons the running collection at once', async () => {
  const zk = await silentServer();
  const collector = new InThreadCollector();
  const stop = new AbortController();
  try {
    const pending = collector.collect(options(`127.0.0.1:${zk.port}`, 30_000), 60_000, stop.signal);
    // Stopping must abandon a collection that is really running: it has connected to ZooKeeper.
    assert.ok(await until(() => zk.open() > 0, 30_000), 'the collection connected to ZooKeeper before the stop');
    const t0 = Date.now();
    stop.abort();
    const r = await pending;
    assert.equal(r.kind === 'abandoned' && r.reason, 'stopping');
    // Left alone it would run until the 30 s connect timeout: ending well before that is the stop's doing.
    assert.ok(Date.now() - t0 < 30_000, `abandoned ${Date.now() - t0} ms after the stop`);
    assert.ok(await until(() => zk.closed() >= 1 && zk.open() === 0, 30_000), 'its connection was closed');
  } finally {
    stop.abort(); // a failed assertion above must not leave the collection (and this test) running
    await collector.close();
    await zk.close();
  }
});

test("an abandoned collection's Thrift call is closed with it, not left to its call timeout", async () => {
  const chairman = await silentServer();
  const collector = new InThreadCollector();
  try {
    // ZooKeeper refuses at once; the chairman (named directly) accepts and never answers within its 30 s call timeout.
    const o = { ...options('127.0.0.1:1', 300), requestTimeoutMs: 30_000, chairman: { host: '127.0.0.1', port: chairman.port } };
    const r = await collector.collect(o, 1500, new AbortController().signal);
    assert.equal(r.kind === 'abandoned' && r.reason, 'budget');
    // Connected before the budget passed (closed counts only accepted connections), and closed long before the call's 30 s.
    assert.ok(await until(() => chairman.closed() >= 1 && chairman.open() === 0, 10_000), 'its connection was closed');
  } finally {
    await collector.close();
    await chairman.close();
  }
});
