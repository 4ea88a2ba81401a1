// How one log record is written (pure): a JSON object per line for machines
// (journald, log shippers), or a short readable line for a terminal.
import type { LogLevel } from './log-level.js';

export type LogFields = Record<string, unknown>;

export interface LogRecord {
  time: number;
  level: LogLevel;
  msg: string;
  fields: LogFields;
}

export type LogFormat = 'json' | 'text';

function jsonSafe(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

export function jsonLine(r: LogRecord): string {
  const out: LogFields = { time: new Date(r.time).toISOString(), level: r.level, msg: r.msg };
  for (const [k, v] of Object.entries(r.fields)) if (v !== undefined) out[k] = jsonSafe(v);
  return JSON.stringify(out);
}

/** A bare word stays bare; anything a reader could misparse (spaces, quotes, '=') is quoted. */
function textValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' && /^[^\s,"=]+$/.test(v))) {
    return value.length ? value.join(',') : '-';
  }
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function textLine(r: LogRecord): string {
  const parts = [new Date(r.time).toISOString(), r.level.toUpperCase().padEnd(5), r.msg];
  for (const [k, v] of Object.entries(r.fields)) if (v !== undefined) parts.push(`${k}=${textValue(v)}`);
  return parts.join(' ');
}

export function formatLogLine(format: LogFormat, r: LogRecord): string {
  return format === 'json' ? jsonLine(r) : textLine(r);
}
