// The daemon's side of the collector lease (src/daemon/collector-lease.ts)
// against a session that answers as told: when a standby waits for a holder's
// lease to run out, that an ex-holder sits out one tick, and that a write
// proves the fence its tick began under even after the lease is lost (the
// server, not this process, decides). The server's side is
// test/integration/daemon-failover.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CollectorLease } from '../../../src/daemon/collector-lease.js';
import { LeaseMetrics } from '../../../src/daemon/lease-metrics.js';
import { createLogger } from '../../../src/daemon/logger.js';
import { MetricsRegistry } from '../../../src/daemon/metrics-registry.js';
import type { LeaseSession, LeaseView } from '../../../src/store/index.js';
import { parsePrometheusText, promValue } from '../../support/prometheus-text.js';

const TTL = 1000;

class ToldSession implements LeaseSession {
  claims: LeaseView[] = [];
  claimed = 0;
  renewals = true;
  ended = new Promise<string>(() => {});
  async claim(): Promise<LeaseView> {
    this.claimed++;
    return this.claims.shift()!;
  }
  async renew(): Promise<boolean> {
    return this.renewals;
  }
  async release(): Promise<void> {}
  async close(): Promise<void> {}
}

function lease(session: ToldSession) {
  const lines: { msg: string; [k: string]: unknown }[] = [];
  const logger = createLogger({ level: 'debug', format: 'json', write: (l) => lines.push(JSON.parse(l)) });
  const registry = new MetricsRegistry();
  const l = new CollectorLease({ cluster: 'default', holder: 'me', ttlMs: TTL, open: async () => session, logger, metrics: new LeaseMetrics(registry, 'me') });
  return { l, lines, metric: (name: string, labels = {}) => promValue(parsePrometheusText(registry.render()), name, labels) };
}

const other = (expiresInMs: number, holderConnected = true): LeaseView => ({ held: false, holder: 'other', fence: 1, expiresInMs, holderConnected });
const mine = (fence: number): LeaseView => ({ held: true, holder: 'me', fence, expiresInMs: TTL, holderConnected: true });
const never = new AbortController().signal;

test('a standby does not wait on a holder that renews, and waits once for one that missed a renewal', async () => {
  const s = new ToldSession();
  const { l, lines, metric } = lease(s);
  s.claims = [other(TTL * 0.9)];
  assert.equal(await l.ensure(1, never), false);
  assert.equal(s.claimed, 1, 'a lease renewed a moment ago: no wait');
  assert.equal(metric('treesnap_lease_holder', { holder: 'other', self: '0' }), 1);
  s.claims = [other(TTL * 0.2), mine(2)];
  assert.equal(await l.ensure(2, never), true);
  assert.equal(s.claimed, 3, 'waited for the expiry, then took it');
  assert.equal(metric('treesnap_lease_held'), 1);
  assert.equal(metric('treesnap_lease_takeovers_total'), 1);
  assert.deepEqual(lines.filter((x) => x.level === 'info').map((x) => x.msg), ['lease held by another collector: standing by', 'lease acquired: collecting']);
  await l.close();
});

test('a lost lease: the tick keeps the claim it began under, and the daemon sits out one tick', async () => {
  const s = new ToldSession();
  const { l, lines, metric } = lease(s);
  s.claims = [mine(1)];
  assert.equal(await l.ensure(1000, never), true);
  assert.deepEqual(l.claimFor(1000), { cluster: 'default', holder: 'me', fence: 1, tickAt: 1000, ttlMs: TTL });
  l.lost('not written: the lease passed to other (fence 2)');
  assert.equal(l.claimFor(1000)?.fence, 1, 'the write still proves fence 1: the server refuses it');
  assert.equal(l.claimFor(3000), null, 'another tick has no claim');
  assert.equal(metric('treesnap_lease_held'), 0);
  assert.equal(await l.ensure(3000, never), false);
  assert.equal(s.claimed, 1, 'sat out: not even a claim');
  s.claims = [other(TTL)];
  assert.equal(await l.ensure(5000, never), false);
  assert.equal(s.claimed, 2);
  assert.ok(lines.some((x) => x.msg === 'lease lost: standing by' && x.level === 'warn'));
  await l.close();
});

test('the holder whose renewal is refused stops collecting at once', async () => {
  const s = new ToldSession();
  const { l, lines } = lease(s);
  s.claims = [mine(1)];
  assert.equal(await l.ensure(1, never), true);
  s.renewals = false;
  assert.equal(await l.ensure(2, never), false);
  assert.equal(l.held, false);
  assert.equal(lines.at(-1)?.why, 'another collector holds it now');
  await l.close();
});
