// Scale: 5,000 loopback listeners probed in connect mode at the default
// concurrency, the size of a large Photon deployment. Reports the time taken.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';
import type { Endpoint } from '../../src/model/ids.js';
import { DEFAULT_PROBE_CONCURRENCY, probeAll } from '../../src/sources/probe/probe-status.js';
import { mapPool } from '../../src/util/map-pool.js';

const N = 5000;
const servers: net.Server[] = [];
const accepted = new Set<net.Socket>();
// close() waits for every accepted connection to end: end them, so that a
// stray client (another process probing the same loopback ports) cannot hold
// the file open until its timeout (seen once: ten minutes).
after(async () => {
  for (const s of accepted) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
});

async function listen(): Promise<Endpoint> {
  const server = net.createServer((s) => {
    accepted.add(s);
    s.on('close', () => accepted.delete(s));
    s.on('error', () => {});
    s.resume();
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { host: '127.0.0.1', port: (server.address() as net.AddressInfo).port };
}

test(`${N} listeners probed in connect mode: all ONLINE (time reported)`, async (t) => {
  const endpoints = await mapPool(Array.from({ length: N }, (_, i) => i), 256, () => listen());
  const targets = new Map<string, Endpoint | null>(endpoints.map((ep, i) => [`host-${i}`, ep]));
  let lastProgress = 0;
  const startedAt = performance.now();
  const probes = await probeAll(targets, {
    timeoutMs: 2000,
    mode: 'connect',
    onProgress: (done) => (lastProgress = done),
  });
  const elapsedMs = performance.now() - startedAt;

  const statuses = new Map<string, number>();
  for (const p of probes.values()) statuses.set(p.status, (statuses.get(p.status) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(statuses), { ONLINE: N });
  assert.equal(lastProgress, N);
  const latencies = [...probes.values()].map((p) => p.latencyMs ?? Infinity).sort((a, b) => a - b);
  t.diagnostic(
    `${N} probes, concurrency ${DEFAULT_PROBE_CONCURRENCY}: ${elapsedMs.toFixed(0)} ms total; ` +
      `per-probe latency p50 ${latencies[N / 2]?.toFixed(2)} ms, p99 ${latencies[Math.floor(N * 0.99)]?.toFixed(2)} ms`,
  );
  // Generous: about 1 s on a 2-core machine; fails only if probes serialize or stall.
  assert.ok(elapsedMs < 30_000, `${elapsedMs.toFixed(0)} ms`);
});
