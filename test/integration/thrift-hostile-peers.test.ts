// Every client against peers that misbehave: each call returns the right
// SourceError kind within its deadline, never throws, never leaves a socket
// open. An uncaught exception or unhandled rejection would fail the run.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import type { Endpoint } from '../../src/model/ids.js';
import type { Result } from '../../src/model/result.js';
import type { SourceError, SourceErrorKind } from '../../src/model/source-error.js';
import { getHostConfig, getLeafScheduler, pingAgent } from '../../src/sources/thrift/agent-client.js';
import { getChairmanSchedulers } from '../../src/sources/thrift/chairman-client.js';
import type { RpcOptions } from '../../src/sources/thrift/rpc-connection.js';
import { getRootSchedulers } from '../../src/sources/thrift/root-scheduler-client.js';
import {
  refusedEndpoint,
  startHostilePeer,
  startUnacceptingListener,
  type HostileBehaviour,
} from '../support/hostile-peers.js';

const CALL_TIMEOUT_MS = 300;
const RPC: RpcOptions = { connectTimeoutMs: 1000, callTimeoutMs: CALL_TIMEOUT_MS };
// Deadlines only catch a hang: how fast a call fails is the bench's business, and a loaded
// machine may run a timer late by seconds. What the tests prove is the kind of failure, and
// that a timeout never fires before its time.
const HANG_MS = 30_000;

const clients: Array<[string, (ep: Endpoint, o: RpcOptions) => Promise<Result<unknown, SourceError>>]> = [
  ['Chairman.get_schedulers', getChairmanSchedulers],
  ['RootScheduler.get_schedulers', getRootSchedulers],
  ['AgentControl.get_schedulers', getLeafScheduler],
  ['AgentControl.ping', pingAgent],
  ['Host.get_host_config', (ep, o) => getHostConfig(ep, o)],
];

const cases: Array<[HostileBehaviour, SourceErrorKind, RegExp]> = [
  ['silent', 'timeout', /no reply within 300 ms/],
  ['drip', 'timeout', /no reply within 300 ms/],
  ['garbage', 'protocol', /frame of 1213486160 bytes exceeds/],
  ['garbage-frame', 'protocol', /undecodable reply: Bad protocol identifier/],
  ['close-mid-frame', 'protocol', /stream ended inside a frame/],
  ['huge-frame', 'protocol', /frame of 4294967280 bytes exceeds the 67108864-byte limit/],
  ['wrong-seqid', 'protocol', /reply with unknown seqid 9999/],
  ['truncated-reply', 'protocol', /undecodable reply: message ends before its frame does/],
  ['hang-up', 'unreachable', /closed by peer/],
  ['reset', 'unreachable', /ECONNRESET|closed by peer/],
];

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const c of cleanups) await c();
});

async function eventually(check: () => boolean, what: string, withinMs = 2000): Promise<void> {
  const deadline = performance.now() + withinMs;
  while (!check()) {
    if (performance.now() > deadline) assert.fail(`not within ${withinMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

for (const [behaviour, kind, message] of cases) {
  test(`peer '${behaviour}': every client fails with ${kind}, never before its timeout, and closes its socket`, async () => {
    const peer = await startHostilePeer(behaviour);
    cleanups.push(() => peer.close());
    for (const [name, call] of clients) {
      const startedAt = performance.now();
      const r = await call(peer.endpoint, RPC);
      const elapsed = performance.now() - startedAt;
      assert.ok(!r.ok, `${name}: succeeded against '${behaviour}'`);
      assert.equal(r.error.kind, kind, `${name}: ${r.error.message}`);
      assert.match(r.error.message, message, name);
      assert.ok(elapsed < HANG_MS, `${name}: took ${elapsed.toFixed(0)} ms`);
      if (kind === 'timeout') assert.ok(elapsed >= CALL_TIMEOUT_MS - 5, `${name}: gave up early (${elapsed.toFixed(0)} ms)`);
    }
    assert.equal(peer.accepted, clients.length);
    await eventually(() => peer.openConnections === 0, `'${behaviour}' peer still holds ${peer.openConnections} connection(s)`);
  });
}

test('a refused port is unreachable', async () => {
  const ep = await refusedEndpoint();
  for (const [name, call] of clients) {
    const startedAt = performance.now();
    const r = await call(ep, RPC);
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'unreachable', name);
    assert.match(r.error.message, /ECONNREFUSED/);
    assert.ok(performance.now() - startedAt < HANG_MS);
  }
});

test('a listener that never accepts (SYN dropped) is a connect timeout', async () => {
  const listener = await startUnacceptingListener();
  cleanups.push(() => listener.close());
  const startedAt = performance.now();
  const r = await getChairmanSchedulers(listener.endpoint, { connectTimeoutMs: 300, callTimeoutMs: 5000 });
  const elapsed = performance.now() - startedAt;
  assert.ok(!r.ok);
  assert.equal(r.error.kind, 'timeout');
  assert.match(r.error.message, /no connection within 300 ms/);
  assert.ok(elapsed >= 295 && elapsed < HANG_MS, `took ${elapsed.toFixed(0)} ms`);
});

test('unusable addresses and unknown host names are unreachable, without throwing', async () => {
  for (const ep of [
    { host: '127.0.0.1', port: 70000 },
    { host: '127.0.0.1', port: 0 },
    { host: '', port: 8835 },
    { host: 'no-such-host.invalid', port: 8835 },
  ]) {
    const r = await pingAgent(ep, RPC);
    assert.ok(!r.ok);
    assert.equal(r.error.kind, 'unreachable', JSON.stringify(ep));
  }
});

test('many hostile calls at once: all settle, nothing stays open', async () => {
  const peers = await Promise.all((['silent', 'garbage', 'close-mid-frame', 'huge-frame'] as const).map(startHostilePeer));
  cleanups.push(async () => {
    await Promise.all(peers.map((p) => p.close()));
  });
  const calls = Array.from({ length: 200 }, (_, i) => getChairmanSchedulers(peers[i % peers.length]!.endpoint, RPC));
  const results = await Promise.all(calls);
  assert.equal(results.filter((r) => r.ok).length, 0);
  assert.deepEqual(
    [...new Set(results.map((r) => (r.ok ? 'ok' : r.error.kind)))].sort(),
    ['protocol', 'timeout'],
  );
  for (const p of peers) await eventually(() => p.openConnections === 0, 'peer still holds connections');
});
