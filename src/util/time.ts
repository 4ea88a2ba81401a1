// Parses the times and durations users type: ISO times, "now", "2h ago",
// "1h30m ago", and durations like "90d" (pure; `now` is passed in).
import { err, ok, type Result } from '../model/result.js';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export function parseDuration(text: string): Result<number, string> {
  const s = text.trim().toLowerCase();
  if (!/^(\d+(ms|s|m|h|d|w))+$/.test(s)) {
    return err(`"${text}" is not a duration (examples: 90s, 15m, 2h, 1h30m, 7d, 2w)`);
  }
  let total = 0;
  for (const m of s.matchAll(/(\d+)(ms|s|m|h|d|w)/g)) total += Number(m[1]) * (UNIT_MS[m[2]!] ?? 0);
  if (total <= 0) return err(`"${text}" is not a positive duration`);
  return ok(total);
}

// Full ISO 8601 date-times (with or without seconds / zone) and plain dates.
const ISO = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

/** A point in time as ms since the epoch. Times without a zone are UTC. */
export function parseTime(text: string, now: number): Result<number, string> {
  const s = text.trim();
  if (s.toLowerCase() === 'now') return ok(now);
  const ago = /^(.+?)\s*ago$/i.exec(s);
  if (ago) {
    const d = parseDuration(ago[1]!.replace(/\s+/g, ''));
    return d.ok ? ok(now - d.value) : err(`"${text}": ${d.error}`);
  }
  if (ISO.test(s)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.length > 10;
    const t = Date.parse(hasZone ? s.replace(' ', 'T') : `${s.replace(' ', 'T')}${s.length > 10 ? 'Z' : 'T00:00Z'}`);
    if (!Number.isNaN(t)) return ok(t);
  }
  return err(`"${text}" is not a time (examples: 2026-11-25T03:00Z, "2h ago", now)`);
}

export function formatTime(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = Math.round(ms / 1000);
  const parts: string[] = [];
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d) parts.push(`${d}d`);
  if (h) parts.push(`${h}h`);
  if (m) parts.push(`${m}m`);
  if (sec && !d) parts.push(`${sec}s`);
  return parts.join('') || '0s';
}
