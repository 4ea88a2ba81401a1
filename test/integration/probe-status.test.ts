// Node status probes against real loopback sockets.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import type { Endpoint } from '../../src/model/ids.js';
import { probeAll, probeStatus } from '../../src/sources/probe/probe-status.js';
import { ConnectionScope } from '../../src/sources/connection-scope.js';
import { waitFor } from '../support/wait-for.js';
import { refusedEndpoint, startHostilePeer, startUnacceptingListener } from '../support/hostile-peers.js';
import { startFakeAgent, startFakeRootScheduler } from './thrift-fake-services.js';

const cleanups: Array<() => Promise<void>> = [];

after(async () => {
  for (const c of cleanups) await c();
});

async function plainListener(onConnection: () => void = () => {}): Promise<Endpoint> {
  const server = net.createServer((s) => {
    onConnection();
    s.on('error', () => {});
    s.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

const CONNECT = { timeoutMs: 500, mode: 'connect' as const };
const PING = { timeoutMs: 500, mode: 'ping' as const };

test('no address: UNKNOWN, not probed', async () => {
  assert.deepEqual(await probeStatus(null, CONNECT), { address: null, status: 'UNKNOWN', latencyMs: null });
  assert.deepEqual(await probeStatus(null, PING), { address: null, status: 'UNKNOWN', latencyMs: null });
});

test('connect mode: any listener is ONLINE, with its connect latency', async () => {
  const ep = await plainListener();
  const p = await probeStatus(ep, CONNECT);
  assert.equal(p.status, 'ONLINE');
  assert.deepEqual(p.address, ep);
  // A measured latency (its size is the bench's business: a loaded machine stretches it).
  assert.ok(p.latencyMs !== null && Number.isFinite(p.latencyMs) && p.latencyMs >= 0, String(p.latencyMs));
  assert.equal(p.message, undefined);
});

test('refused: OFFLINE, in either mode', async () => {
  const ep = await refusedEndpoint();
  for (const opts of [CONNECT, PING]) {
    const p = await probeStatus(ep, opts);
    assert.equal(p.status, 'OFFLINE');
    assert.match(p.message ?? '', /ECONNREFUSED/);
    assert.ok(p.latencyMs !== null && Number.isFinite(p.latencyMs) && p.latencyMs >= 0, String(p.latencyMs));
  }
});

test('no answer to the SYN: OFFLINE after the timeout', async () => {
  const listener = await startUnacceptingListener();
  cleanups.push(() => listener.close());
  const p = await probeStatus(listener.endpoint, { timeoutMs: 200, mode: 'connect' });
  assert.equal(p.status, 'OFFLINE');
  assert.match(p.message ?? '', /no connection within 200 ms/);
  // Never before the timeout; the upper deadline only catches a hang.
  assert.ok(p.latencyMs !== null && p.latencyMs >= 195 && p.latencyMs < 30_000, String(p.latencyMs));
});

test('ping mode: an agent that answers AgentControl.ping is ONLINE', async () => {
  const agent = await startFakeAgent({ agentId: 'a' });
  cleanups.push(() => agent.close());
  const p = await probeStatus(agent.endpoint, PING);
  assert.equal(p.status, 'ONLINE', p.message);
  assert.equal(agent.requests.get('ping')?.length, 1);
});

test('ping mode: connected but no ping answer is ERROR with the reason', async () => {
  const silent = await startHostilePeer('silent');
  const garbage = await startHostilePeer('garbage-frame');
  const root = await startFakeRootScheduler(); // serves no AgentControl
  cleanups.push(() => silent.close(), () => garbage.close(), () => root.close());

  const timedOut = await probeStatus(silent.endpoint, PING);
  assert.equal(timedOut.status, 'ERROR');
  assert.match(timedOut.message ?? '', /^timeout: .*no reply within 500 ms/);

  const bad = await probeStatus(garbage.endpoint, PING);
  assert.equal(bad.status, 'ERROR');
  assert.match(bad.message ?? '', /^protocol: /);

  const wrongService = await probeStatus(root.endpoint, PING);
  assert.equal(wrongService.status, 'ERROR');

  // The same peers are ONLINE by the original tool's rule: the connection opens.
  assert.equal((await probeStatus(silent.endpoint, CONNECT)).status, 'ONLINE');
  assert.equal((await probeStatus(root.endpoint, CONNECT)).status, 'ONLINE');
});

test('probeAll: one probe per target, in the targets order, with progress', async () => {
  const online = await plainListener();
  const refused = await refusedEndpoint();
  const targets = new Map<string, Endpoint | null>([
    ['root', online],
    ['host-x', null],
    ['host-y', refused],
    ['leaf-owner', online],
  ]);
  const progress: Array<[number, number]> = [];
  const probes = await probeAll(targets, { ...CONNECT, concurrency: 2, onProgress: (d, t) => progress.push([d, t]) });
  assert.deepEqual([...probes.keys()], ['root', 'host-x', 'host-y', 'leaf-owner']);
  assert.deepEqual(
    [...probes.values()].map((p) => p.status),
    ['ONLINE', 'UNKNOWN', 'OFFLINE', 'ONLINE'],
  );
  assert.deepEqual(progress, [
    [1, 4],
    [2, 4],
    [3, 4],
    [4, 4],
  ]);
  assert.equal((await probeAll(new Map(), CONNECT)).size, 0);
});

test('probeAll: at most `concurrency` probes in flight', async () => {
  let inFlight = 0;
  let peak = 0;
  const agent = await startFakeAgent({
    agentId: 'a',
    pingDelayMs: 10,
    onPing: (phase) => {
      inFlight += phase === 'start' ? 1 : -1;
      peak = Math.max(peak, inFlight);
    },
  });
  cleanups.push(() => agent.close());
  const targets = new Map<string, Endpoint | null>(Array.from({ length: 60 }, (_, i) => [`h${i}`, agent.endpoint]));
  const probes = await probeAll(targets, { ...PING, concurrency: 5 });
  assert.ok([...probes.values()].every((p) => p.status === 'ONLINE'));
  assert.ok(peak <= 5 && peak >= 2, `peak ${peak}`);
});

test('probeAll reuses one socket per probe in flight: each target gets its own verdict, whatever the one before it did', { timeout: 60_000 }, async () => {
  let accepted = 0;
  const online = await plainListener(() => (accepted += 1));
  const listener = await startUnacceptingListener();
  cleanups.push(() => listener.close());
  const refused = await refusedEndpoint();
  // One in flight: one socket sees every outcome in turn.
  const order: Array<[string, Endpoint]> = [
    ['a', online],
    ['b', refused],
    ['c', online],
    ['d', listener.endpoint],
    ['e', online],
    ['f', { host: '127.0.0.1', port: 0 }],
    ['g', online],
  ];
  const probes = await probeAll(new Map(order), { timeoutMs: 200, mode: 'connect', concurrency: 1 });
  const got = [...probes].map(([id, p]) => [id, p.status, p.message?.replace(/^connect [^:]+:\d+: /, '') ?? '']);
  assert.deepEqual(got.map(([id, status]) => [id, status]), [
    ['a', 'ONLINE'],
    ['b', 'OFFLINE'],
    ['c', 'ONLINE'],
    ['d', 'OFFLINE'],
    ['e', 'ONLINE'],
    ['f', 'OFFLINE'],
    ['g', 'ONLINE'],
  ]);
  assert.match(got[1]![2]!, /ECONNREFUSED/);
  assert.equal(got[3]![2], 'no connection within 200 ms');
  assert.equal(got[5]![2], 'not a usable address');
  await waitFor('the listener to accept the 4 online probes, no more', async () => accepted === 4, 5_000);
  assert.equal(accepted, 4);
});

test('probeAll: a scope ended mid-probe ends the probes in flight and refuses the rest, as OFFLINE with its reason', { timeout: 60_000 }, async () => {
  const listener = await startUnacceptingListener();
  cleanups.push(() => listener.close());
  const scope = new ConnectionScope();
  const targets = new Map<string, Endpoint | null>(Array.from({ length: 5 }, (_, i) => [`h${i}`, listener.endpoint]));
  setTimeout(() => scope.end('the collection was given up'), 100);
  // The scope's reason, not the timeout's, for the two in flight and the three after.
  const probes = await probeAll(targets, { timeoutMs: 20_000, mode: 'connect', concurrency: 2, scope });
  for (const p of probes.values()) {
    assert.equal(p.status, 'OFFLINE');
    assert.equal(p.message, 'the collection was given up');
  }
});
