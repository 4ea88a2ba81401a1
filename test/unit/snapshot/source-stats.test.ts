// The probes' stats as an outcome row keeps them: each verdict counted under
// its name in lower case, in the order the verdicts first appear, then the
// latencies' percentiles over the nodes that have one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '../../../src/model/observation.js';
import { ok } from '../../../src/model/result.js';
import type { StatusProbe } from '../../../src/model/status.js';
import { statusFacts } from '../../../src/snapshot/source-facts.js';
import { sourceStats } from '../../../src/snapshot/source-stats.js';

function statsOf(probes: Record<string, StatusProbe>): string {
  const obs = { roles: { result: ok({}) }, hosts: { result: ok({}) }, status: { durationMs: 1, endpoint: null, result: ok(probes) } } as unknown as Observation;
  return JSON.stringify(sourceStats(statusFacts(obs)));
}

const probe = (status: StatusProbe['status'], latencyMs: number | null): StatusProbe => ({ address: null, status, latencyMs });

test('probe stats: verdicts by first appearance, then percentiles of the latencies known', () => {
  const probes: Record<string, StatusProbe> = {
    a: probe('OFFLINE', 2000),
    b: probe('ONLINE', 3.456),
    c: probe('ONLINE', 0.5),
    d: probe('UNKNOWN', null),
    e: probe('ONLINE', 12),
    f: probe('OFFLINE', 7),
  };
  assert.equal(
    statsOf(probes),
    '{"nodes":6,"offline":2,"online":3,"unknown":1,"latency_p50_ms":7,"latency_p99_ms":2000,"latency_max_ms":2000}',
  );
});

test('probe stats: no node, or no latency known, gives zeros', () => {
  assert.equal(statsOf({}), '{"nodes":0,"latency_p50_ms":0,"latency_p99_ms":0,"latency_max_ms":0}');
  assert.equal(statsOf({ a: probe('UNKNOWN', null) }), '{"nodes":1,"unknown":1,"latency_p50_ms":0,"latency_p99_ms":0,"latency_max_ms":0}');
});

test('probe stats: 5,000 latencies sorted as numbers, not as text', () => {
  const probes: Record<string, StatusProbe> = {};
  for (let i = 0; i < 5000; i++) probes[`h${i}`] = probe('ONLINE', ((i * 7919) % 5000) / 10);
  assert.equal(statsOf(probes), '{"nodes":5000,"online":5000,"latency_p50_ms":249.9,"latency_p99_ms":494.9,"latency_max_ms":499.9}');
});
