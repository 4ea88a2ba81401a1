// The connection layer itself, against real servers: reuse, routing of
// concurrent and multi-service calls, limits, timeouts and closing.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import photon from '../../src/generated/thrift/photon_types.js';
import { getChairmanSchedulers } from '../../src/sources/thrift/chairman-client.js';
import { AGENT_CONTROL_SERVICE, HOST_SERVICE } from '../../src/sources/thrift/photon-services.js';
import { openRpcConnection, type RpcConnection, type RpcOptions } from '../../src/sources/thrift/rpc-connection.js';
import { callOnce } from '../../src/sources/thrift/with-rpc-connection.js';
import type { Endpoint } from '../../src/model/ids.js';
import { mapPool } from '../../src/util/map-pool.js';
import { startHostilePeer } from '../support/hostile-peers.js';
import { startFakeAgent, startFakeChairman, type FakeService } from './thrift-fake-services.js';

const RPC = { connectTimeoutMs: 2000, callTimeoutMs: 2000 };
const started: Array<{ close(): Promise<void> }> = [];
after(async () => {
  await Promise.all(started.map((s) => s.close()));
});
async function track<T extends { close(): Promise<void> }>(s: Promise<T>): Promise<T> {
  const service = await s;
  started.push(service);
  return service;
}

async function open(endpoint: Endpoint, options: RpcOptions = RPC): Promise<RpcConnection> {
  const c = await openRpcConnection(endpoint, options);
  assert.ok(c.ok, JSON.stringify(c));
  return c.value;
}

const hostConfigOf = (c: RpcConnection, agentId: string) =>
  c.call(HOST_SERVICE, 'get_host_config', (h) => h.get_host_config(new photon.GetConfigRequest({ agent_id: agentId })));

test('1,000 sequential calls over one connection, after a warm-up (latency reported)', async (t) => {
  const agent = await track(startFakeAgent({ agentId: 'a' }));
  const c = await open(agent.endpoint);
  const warmUp = 300; // the first calls run cold (JIT), not what a collector making thousands sees
  for (let i = 0; i < warmUp; i++) assert.ok((await c.call(AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest()))).ok);
  const n = 1000;
  const startedAt = performance.now();
  for (let i = 0; i < n; i++) {
    const r = await c.call(AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest({ sequence_number: i })));
    assert.ok(r.ok);
  }
  const perCallUs = ((performance.now() - startedAt) / n) * 1000;
  c.close();
  t.diagnostic(`reused connection: ${perCallUs.toFixed(0)} µs per ping (same process, loopback)`);
  assert.equal(agent.requests.get('ping')?.length, warmUp + n);
});

test('one call per connection (open, call, close) latency reported', async (t) => {
  const chairman = await track(startFakeChairman());
  for (let i = 0; i < 300; i++) assert.ok((await getChairmanSchedulers(chairman.endpoint, RPC)).ok);
  const n = 500;
  const startedAt = performance.now();
  for (let i = 0; i < n; i++) assert.ok((await getChairmanSchedulers(chairman.endpoint, RPC)).ok);
  t.diagnostic(`fresh connection per call: ${(((performance.now() - startedAt) / n) * 1000).toFixed(0)} µs per get_schedulers`);
});

test('concurrent calls on one connection each get their own reply, whatever the reply order', async () => {
  // Later requests answer sooner, so replies come back in reverse order.
  const agent = await track(startFakeAgent({ agentId: 'a', echoDelayMs: (id) => 60 - Number(id.slice(2)) }));
  const c = await open(agent.endpoint);
  const ids = Array.from({ length: 50 }, (_, i) => `id${i}`);
  const replies = await Promise.all(ids.map((id) => hostConfigOf(c, id)));
  assert.deepEqual(
    replies.map((r) => (r.ok ? r.value.hostConfig?.agent_id : r.error.message)),
    ids,
  );
  c.close();
});

test('two services on one connection share it: replies route to the right client', async () => {
  const agent = await track(startFakeAgent({ agentId: 'a', pingDelayMs: 20 }));
  const c = await open(agent.endpoint);
  const [ping, config, leaf] = await Promise.all([
    c.call(AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest())),
    hostConfigOf(c, 'x'),
    c.call(AGENT_CONTROL_SERVICE, 'get_schedulers', (a) => a.get_schedulers(new photon.GetSchedulersRequest())),
  ]);
  assert.deepEqual(ping, { ok: true, value: undefined });
  assert.ok(config.ok && config.value.hostConfig?.agent_id === 'x');
  assert.ok(leaf.ok && leaf.value.result === photon.GetSchedulersResultCode.OK);
  c.close();
});

test('a reply larger than maxFrameBytes fails with protocol; the default limit lets it through', async () => {
  const chairman = await track(startFakeChairman());
  const small = await getChairmanSchedulers(chairman.endpoint, { ...RPC, maxFrameBytes: 64 });
  assert.ok(!small.ok);
  assert.equal(small.error.kind, 'protocol');
  assert.match(small.error.message, /exceeds the 64-byte limit/);
  assert.ok((await getChairmanSchedulers(chairman.endpoint, RPC)).ok);
});

test('a call timeout closes the connection; later calls fail at once with the same error', async () => {
  const silent = await track(startHostilePeer('silent'));
  const c = await open(silent.endpoint, { connectTimeoutMs: 1000, callTimeoutMs: 200 });
  const first = await c.call(AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest()));
  assert.ok(!first.ok);
  assert.equal(first.error.kind, 'timeout');
  assert.equal(c.isOpen, false);
  const second = await c.call(AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest()));
  assert.deepEqual(second, first);
  // At once means without trying again: no new connection reached the peer.
  assert.equal(silent.accepted, 1);
});

test('close() settles a call still waiting', async () => {
  const silent = await track(startHostilePeer('silent'));
  const c = await open(silent.endpoint);
  const pending = c.call(AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest()));
  setTimeout(() => c.close(), 20);
  const r = await pending;
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'unreachable');
  assert.match(r.error.message, /closed by the caller/);
});

test('mapPool bounds calls in flight across connections', async () => {
  let inFlight = 0;
  let peak = 0;
  const agent: FakeService = await track(
    startFakeAgent({
      agentId: 'a',
      pingDelayMs: 5,
      onPing: (phase) => {
        inFlight += phase === 'start' ? 1 : -1;
        peak = Math.max(peak, inFlight);
      },
    }),
  );
  const results = await mapPool(Array.from({ length: 120 }, (_, i) => i), 8, () =>
    callOnce(agent.endpoint, RPC, AGENT_CONTROL_SERVICE, 'ping', (a) => a.ping(new photon.PingRequest())),
  );
  assert.equal(results.filter((r) => r.ok).length, 120);
  assert.ok(peak <= 8, `peak ${peak}`);
  assert.ok(peak >= 2, `peak ${peak}: calls did not overlap`);
});
