import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Observation } from '../../../src/model/observation.js';
import { startDaemon, type DaemonConfig } from '../../../src/daemon/daemon.js';
import { createLogger } from '../../../src/daemon/logger.js';
import type { TickHandlers, TickSource } from '../../../src/daemon/tick-source.js';
import type { CollectOutcome, Collector } from '../../../src/daemon/collector.js';
import { openDatabase, type Db } from '../../../src/store/open-database.js';
import { sourceOutcomes } from '../../../src/store/snapshot-index.js';
import { observation, type ClusterSpec } from '../../support/observation.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { parsePrometheusText, promValue } from '../../support/prometheus-text.js';

class ManualTicks implements TickSource {
  handlers: TickHandlers | null = null;
  stopped = false;
  start(h: TickHandlers): void {
    this.handlers = h;
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
  fire(at = new Date()): void {
    this.handlers!.tick(at);
  }
}

type Step = { spec: ClusterSpec } | { hang: true } | { crash: string };

/** Answers each collect() with the next scripted step; a hang lasts until budget or stop. */
class ScriptedCollector implements Collector {
  calls = 0;
  closed = false;
  constructor(private readonly steps: Step[]) {}
  collect(_o: unknown, budgetMs: number, stop: AbortSignal): Promise<CollectOutcome> {
    const step = this.steps[this.calls++] ?? this.steps[this.steps.length - 1]!;
    const startedAt = Date.now();
    if ('spec' in step) return Promise.resolve({ kind: 'observed', observation: observation({ ...step.spec, at: startedAt }) as Observation });
    if ('crash' in step) return Promise.resolve({ kind: 'crashed', message: step.crash, startedAt, endedAt: Date.now() });
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve({ kind: 'abandoned', reason: 'budget', startedAt, endedAt: Date.now() }), budgetMs);
      stop.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve({ kind: 'abandoned', reason: 'stopping', startedAt, endedAt: Date.now() });
      });
    });
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

function config(overrides: Partial<DaemonConfig> = {}): DaemonConfig {
  return {
    schedule: { expression: '*/2 * * * * *', intervalMs: 2000 },
    budgetMs: 200,
    stopTimeoutMs: 100,
    retainMs: null,
    collect: { zk: 'unused:1', connectTimeoutMs: 1, requestTimeoutMs: 1, probeTimeoutMs: 1, probeConcurrency: 1, probeMode: 'connect' },
    metrics: null,
    backoff: { after: 0, maxSkip: 3 },
    ...overrides,
  };
}

interface Logged {
  msg: string;
  level: string;
  [k: string]: unknown;
}

async function harness(steps: Step[], overrides: Partial<DaemonConfig> = {}) {
  const db = openDatabase(':memory:');
  const lines: Logged[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(JSON.parse(l) as Logged) });
  const ticks = new ManualTicks();
  const collector = new ScriptedCollector(steps);
  const daemon = await startDaemon(config(overrides), { db, logger, collector, ticks });
  const collections = () => lines.filter((l) => l.msg === 'collection');
  // Waits for an event, never for a time: a loaded machine runs a timer late, not an event out of order.
  const until = async (what: string, check: () => boolean) => {
    const end = Date.now() + 30_000;
    while (!check()) {
      if (Date.now() > end) throw new Error(`waited 30 s for ${what}`);
      await new Promise((r) => setTimeout(r, 1));
    }
  };
  const recorded = (n: number) => until(`${n} collection(s) recorded`, () => collections().length >= n);
  return { db, lines, ticks, collector, daemon, collections, until, recorded };
}

const healthy: Step = { spec: { leaves: { L1: ['h1', 'h2'] } } };

function outcomes(db: Db, id: number) {
  return Object.fromEntries(sourceOutcomes(db, id).map((o) => [o.source, o.ok ? 'ok' : o.errorKind]));
}

test('each tick is one snapshot and one log line; a tick during a collection is skipped and logged', async () => {
  const h = await harness([healthy, { hang: true }, healthy]);
  h.ticks.fire();
  await h.recorded(1);
  h.ticks.fire(); // starts the hanging collection
  await h.until('the second collection running', () => h.collector.calls === 2);
  h.ticks.fire(); // arrives while it runs
  await h.until('the third tick skipped', () => h.lines.some((l) => l.msg === 'tick skipped'));
  await h.recorded(2); // abandoned at its budget
  h.ticks.fire();
  await h.recorded(3);
  const c = h.collections();
  assert.deepEqual(c.map((l) => [l.tick, l.snapshot, l.outcome]), [[1, 1, 'complete'], [2, 2, 'abandoned'], [3, 3, 'complete']]);
  const skipped = h.lines.filter((l) => l.msg === 'tick skipped');
  assert.equal(skipped.length, 1);
  assert.equal(skipped[0]!.runningTick, 2);
  assert.deepEqual(new Set(Object.values(outcomes(h.db, 2))), new Set(['abandoned']));
  h.daemon.stop('test');
  await h.daemon.done;
  assert.ok(h.collector.closed && h.ticks.stopped);
});

test('stop waits for the running collection, abandons it past the stop timeout, records it, closes the database', async () => {
  const h = await harness([{ hang: true }], { budgetMs: 60_000, stopTimeoutMs: 50 });
  h.ticks.fire();
  await h.until('the collection running', () => h.collector.calls === 1);
  // The budget is a minute: the abandonment below can only be the stop timeout's doing.
  h.daemon.stop('SIGTERM');
  await h.daemon.done;
  const last = h.collections().at(-1)!;
  assert.equal(last.outcome, 'abandoned');
  assert.match(String(last.error), /treesnap stopped/);
  assert.deepEqual(h.lines.slice(-1).map((l) => l.msg), ['stopped']);
  assert.throws(() => h.db.$client.prepare('SELECT 1').get(), /not open/);
});

test('a second stop abandons at once', { timeout: 30_000 }, async () => {
  const h = await harness([{ hang: true }], { budgetMs: 60_000, stopTimeoutMs: 60_000 });
  h.ticks.fire();
  await h.until('the collection running', () => h.collector.calls === 1);
  // Budget and stop timeout are a minute each: only the second stop can end it within the test's timeout.
  h.daemon.stop('SIGTERM');
  h.daemon.stop('SIGINT');
  await h.daemon.done;
  assert.equal(h.collections().at(-1)!.outcome, 'abandoned');
});

test('backoff ticks are recorded as unknown with error "backoff"; recovery is recorded at the next attempt', async () => {
  const down: Step = { spec: { leaves: {}, failed: Object.fromEntries(['services', 'roles', 'hosts', 'missing', 'chairman', 'root', 'status'].map((s) => [s, { kind: 'timeout', message: 'zk down' }])) } };
  const h = await harness([down, down, healthy], { backoff: { after: 2, maxSkip: 3 } });
  for (let i = 0; i < 4; i++) {
    h.ticks.fire();
    await h.recorded(i + 1);
  }
  assert.deepEqual(h.collections().map((l) => l.outcome), ['unavailable', 'unavailable', 'backoff', 'complete']);
  assert.deepEqual(new Set(Object.values(outcomes(h.db, 3))), new Set(['backoff']));
  assert.equal(h.collector.calls, 3, 'the backoff tick did not collect');
  h.daemon.stop('test');
  await h.daemon.done;
});

test('abandoned collections do not start backoff: slow is not unreachable', async () => {
  const h = await harness([{ hang: true }, { hang: true }, { hang: true }, healthy], { budgetMs: 20, backoff: { after: 2, maxSkip: 3 } });
  for (let i = 0; i < 4; i++) {
    h.ticks.fire();
    await h.recorded(i + 1);
  }
  assert.deepEqual(h.collections().map((l) => l.outcome), ['abandoned', 'abandoned', 'abandoned', 'complete']);
  assert.equal(h.collector.calls, 4);
  h.daemon.stop('test');
  await h.daemon.done;
});

test('a crashed collection is recorded as its own outcome, every source unknown with the reason; the next tick collects again', async () => {
  const h = await harness([{ crash: 'TypeError: boom' }, healthy]);
  h.ticks.fire();
  await h.recorded(1);
  h.ticks.fire();
  await h.recorded(2);
  assert.deepEqual(h.collections().map((l) => l.outcome), ['crashed', 'complete']);
  const outcomes = sourceOutcomes(h.db, 1);
  assert.equal(outcomes.length, SOURCES.length);
  for (const o of outcomes) assert.equal(o.errorMessage, 'abandoned: the collection failed (TypeError: boom)');
  h.daemon.stop('test');
  await h.daemon.done;
});

test('drift gauges judge the snapshot as `treesnap drift` does: a new disagreement is settling, then drift once older than the window; a rule moves it to ignored', async () => {
  const moved: Step = { spec: { leaves: { L1: ['h1', 'h2'] }, chairmanLeaves: { L1: ['h1'] } } };
  const rules = [{ kind: 'host_placement_differs', ids: 'h2', reason: 'known', owner: 'ops', until: '2999-12-31' }];
  const h = await harness([healthy, moved, moved], { metrics: { host: '127.0.0.1', port: 0 }, drift: { settle: { defaultMs: 1000, perKind: {} }, rules } });
  const gauge = async (name: string, kind: string) => promValue(parsePrometheusText(await (await fetch(h.daemon.metricsUrl!)).text()), name, { kind });
  try {
    h.ticks.fire();
    await h.recorded(1);
    h.ticks.fire(new Date(Date.now() + 1));
    await h.recorded(2);
    // Seen once, just now: converging, not drift.
    assert.equal(await gauge('treesnap_drift_settling_items', 'leaf_hosts_differ'), 1);
    assert.equal(await gauge('treesnap_drift_items', 'leaf_hosts_differ'), 0);
    await new Promise((r) => setTimeout(r, 1100)); // the third snapshot starts past the 1 s window
    h.ticks.fire();
    await h.recorded(3);
    assert.equal(await gauge('treesnap_drift_items', 'leaf_hosts_differ'), 1);
    assert.equal(await gauge('treesnap_drift_settling_items', 'leaf_hosts_differ'), 0);
    assert.equal(await gauge('treesnap_drift_items', 'host_placement_differs'), 0, 'the rule takes it out of drift');
    assert.equal(await gauge('treesnap_drift_ignored_items', 'host_placement_differs'), 1);
  } finally {
    h.daemon.stop('test');
    await h.daemon.done;
  }
});
