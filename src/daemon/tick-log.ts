// The one log line per tick (pure): outcome, duration, which sources failed
// and why, and what changed. Lists of hosts are counted, not spelled out: a
// first collection of 5,000 hosts must not write a 5,000-name line.
import type { LogFields } from './log-line.js';
import type { LogLevel } from './log-level.js';
import type { TickReport } from './run-tick.js';

export function tickLogLevel(r: TickReport): LogLevel {
  if (!r.recorded) return 'error';
  return r.outcome === 'complete' ? 'info' : 'warn';
}

function errorFields(r: Extract<TickReport, { recorded: true }>): LogFields {
  const failed = r.summary.sources.filter((s) => !s.ok);
  if (failed.length === 0) return {};
  const messages = new Set(failed.map((s) => s.error));
  // One cause for all (ZooKeeper down, abandoned): say it once.
  if (messages.size === 1) return { failed: failed.map((s) => s.source), error: [...messages][0] };
  return { failed: failed.map((s) => s.source), errors: Object.fromEntries(failed.map((s) => [s.source, s.error])) };
}

export function tickLogFields(r: TickReport): LogFields {
  if (!r.recorded) {
    return { tick: r.tick.seq, outcome: r.outcome, durationMs: Math.round(r.durationMs), recorded: false, error: r.error };
  }
  const s = r.summary;
  const changes = Object.values(r.written.changes).reduce((n, c) => n + c, 0);
  const fields: LogFields = {
    tick: r.tick.seq,
    snapshot: s.snapshotId,
    outcome: r.outcome,
    durationMs: Math.round(s.durationMs),
    ...errorFields(r),
    changes,
  };
  if (s.newlyMissing.length) fields.newlyMissing = s.newlyMissing.length;
  if (s.noLongerMissing.length) fields.noLongerMissing = s.noLongerMissing.length;
  if (s.newlyOffline.length) fields.newlyOffline = s.newlyOffline.length;
  if (s.backOnline.length) fields.backOnline = s.backOnline.length;
  return fields;
}
