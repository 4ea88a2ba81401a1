// How query times read in a terminal (pure): a change is only known to lie
// between two collections, so both are shown ("between 03:00:00Z and
// 03:05:00Z"), and durations as the range the collections allow.
import type { DurationBounds, ExactTime, SnapshotMark, TimeBounds } from '../model/snapshot-mark.js';
import { formatDuration, formatTime } from '../util/time.js';

export function formatMark(m: SnapshotMark): string {
  return `#${m.id} ${formatTime(m.startedAt)}`;
}

/** `b` without the date when it is the same day as `a`. */
function after(a: number, b: number): string {
  const ta = formatTime(a);
  const tb = formatTime(b);
  return ta.slice(0, 10) === tb.slice(0, 10) ? tb.slice(11) : tb;
}

/** "2026-11-25T03:02:17.412Z (ZooKeeper: ctime of /missing/h3)": the time, and the record that proves it. */
export function formatExact(e: ExactTime): string {
  if (e.origin === 'arrival') return `${formatExactTime(e.at)} (${e.record})`;
  return `${formatExactTime(e.at)} (ZooKeeper: ${e.record})`;
}

export function formatBetween(b: TimeBounds): string {
  if (b.exact) return formatExact(b.exact);
  if (!b.after) return `at or before ${formatTime(b.by.startedAt)}`;
  return `between ${formatTime(b.after.startedAt)} and ${after(b.after.startedAt, b.by.startedAt)}`;
}

/** A ZooKeeper time to the millisecond, which is what it records. */
function formatExactTime(ms: number): string {
  return new Date(ms).toISOString();
}

function duration(ms: number): string {
  return ms === 0 ? '0s' : formatDuration(ms);
}

export function formatDurationBounds(d: DurationBounds): string {
  if (d.maxMs === null) return `≥ ${duration(d.minMs)}`;
  return `${duration(d.minMs)}–${duration(d.maxMs)}`;
}
