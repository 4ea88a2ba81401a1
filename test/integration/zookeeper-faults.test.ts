// The ZooKeeper source when the session goes wrong under it: the connection
// cut in the middle of a read (through a TCP relay we control) and the session
// expired by the server. Real server (TREESNAP_ZK), real sockets.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, describe, it, type TestContext } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import photon from '../../src/generated/thrift/photon_types.js';
import { connectZookeeper } from '../../src/sources/zookeeper/connection.js';
import { readRegisteredHosts } from '../../src/sources/zookeeper/read-registered-hosts.js';
import { ClientZkReader } from '../../src/sources/zookeeper/zk-client-reader.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { connectWriter } from '../support/zk-write.js';
import { freshChroot, zkBase } from '../support/zookeeper.js';

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Relay {
  port: number;
  /** Cuts every connection once the client has sent `bytes` more bytes; resolves when cut. */
  cutAfter(bytes: number): Promise<void>;
  /** Cuts every connection now and hangs up on new ones until restore(). */
  cut(): void;
  restore(): void;
}

/** A TCP relay to the ZooKeeper server whose connections the test can cut. */
async function startRelay(target: { host: string; port: number }): Promise<Relay> {
  const pairs = new Set<[net.Socket, net.Socket]>();
  let budget = Infinity;
  let blocked = false;
  let onCut: () => void = () => {};
  const cut = (): void => {
    blocked = true;
    for (const [a, b] of pairs) (a.destroy(), b.destroy());
    pairs.clear();
    onCut();
  };
  const server = net.createServer((down) => {
    if (blocked) return void down.destroy();
    const up = net.connect(target.port, target.host);
    const pair: [net.Socket, net.Socket] = [down, up];
    pairs.add(pair);
    down.on('data', (chunk: Buffer) => {
      budget -= chunk.length;
      if (budget > 0) up.write(chunk);
      else cut();
    });
    up.on('data', (chunk: Buffer) => down.write(chunk));
    for (const s of pair) s.on('error', () => {}).on('close', () => (down.destroy(), up.destroy(), pairs.delete(pair)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    cut();
    server.close();
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    cutAfter(bytes) {
      budget = bytes;
      return new Promise((resolve) => (onCut = resolve));
    },
    cut,
    restore() {
      budget = Infinity;
      blocked = false;
    },
  };
}

function zkTarget(): { host: string; port: number } {
  const [host, port] = zkBase().split(':');
  return { host: host!, port: Number(port) };
}

function hostConfigBytes(id: string): Buffer {
  return encodeBinary(
    new photon.HostConfig({
      agent_id: id,
      availability_zone: 'az',
      datastores: [],
      address: new photon.ServerAddress({ host: '127.0.0.1', port: 1 }),
    }),
  );
}

describe('connection lost in the middle of a read', () => {
  it('fails the whole read fast instead of returning part of /hosts', async (t: TestContext) => {
    const { connectString, chroot } = await freshChroot('zkf');
    const w = await connectWriter(connectString);
    cleanups.push(() => w.close());
    await w.put('/hosts');
    const n = 3000;
    await w.putMany(Array.from({ length: n }, (_, i) => [`/hosts/h${i}`, hostConfigBytes(`h${i}`)] as const));

    const relay = await startRelay(zkTarget());
    // Long enough that ending before it proves the read ended on the lost connection, however loaded the machine.
    const requestTimeoutMs = 10_000;
    const connected = await connectZookeeper(`127.0.0.1:${relay.port}${chroot}`, { connectTimeoutMs: 3000, requestTimeoutMs });
    assert.ok(connected.ok);
    const zk = connected.value;
    cleanups.push(() => zk.close());

    // Each getData request is about 40 bytes: cut after a few hundred of them.
    const cut = relay.cutAfter(16_000);
    const t0 = performance.now();
    const r = await readRegisteredHosts(zk);
    const ms = performance.now() - t0;
    await cut;
    assert.equal(r.ok, false, 'a read cut in the middle must not return a partial list');
    assert.equal(r.ok ? '' : r.error.kind, 'unreachable');
    assert.ok(ms < requestTimeoutMs, `took ${ms} ms: the reader waited for requests it had already lost`);
    t.diagnostic(`failed after ${ms.toFixed(0)} ms: ${r.ok ? '' : r.error.message}`);

    // While disconnected, a request waits in the client's queue: it ends by its own deadline.
    const t1 = performance.now();
    const later = await zk.children('/hosts');
    assert.equal(later.ok ? '' : later.error.kind, 'timeout');
    // Not before its deadline; the upper bound only catches a hang.
    const waited = performance.now() - t1;
    assert.ok(waited >= requestTimeoutMs - 5 && waited < requestTimeoutMs + 30_000, `waited ${waited.toFixed(0)} ms`);
  });
});

describe('session expired', () => {
  it('is visible on the reader, and every later call fails with session_expired', async () => {
    const { connectString, chroot } = await freshChroot('zke');
    const w = await connectWriter(connectString);
    cleanups.push(() => w.close());
    await w.put('/hosts/h1', hostConfigBytes('h1'));

    const relay = await startRelay(zkTarget());
    const client = zookeeper.createClient(`127.0.0.1:${relay.port}${chroot}`, { sessionTimeout: 4000, retries: 0 });
    await new Promise<void>((resolve) => {
      client.once('connected', () => resolve());
      client.connect();
    });
    const zk = new ClientZkReader(client, 3000);
    cleanups.push(() => zk.close());
    const before = await readRegisteredHosts(zk);
    assert.ok(before.ok);
    assert.equal(zk.expired, false);

    // With the reader held off, a second client takes over its session and
    // closes it; when the reader gets back, the server tells it the session
    // is gone.
    relay.cut();
    const thief = zookeeper.createClient(connectString, {
      sessionTimeout: 4000,
      sessionId: client.getSessionId(),
      sessionPassword: client.getSessionPassword(),
    } as Partial<zookeeper.Option>);
    await new Promise<void>((resolve) => {
      thief.once('connected', () => resolve());
      thief.connect();
    });
    await new Promise<void>((resolve) => {
      thief.once('disconnected', () => resolve());
      thief.close();
    });
    relay.restore();

    const deadline = Date.now() + 10_000;
    while (!zk.expired && Date.now() < deadline) await new Promise((res) => setTimeout(res, 50));
    assert.equal(zk.expired, true);
    const children = await zk.children('/hosts');
    assert.equal(children.ok ? '' : children.error.kind, 'session_expired');
    const hosts = await readRegisteredHosts(zk);
    assert.equal(hosts.ok ? '' : hosts.error.kind, 'session_expired');
  });
});
