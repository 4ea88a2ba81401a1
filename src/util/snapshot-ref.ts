// The ways a user names a snapshot (pure parse): an id, `latest`, `latest~N`,
// or a time (ISO or relative), meaning the last snapshot started at or before it.
import { err, ok, type Result } from '../model/result.js';
import { parseTime } from './time.js';

export type SnapshotRef =
  | { kind: 'id'; id: number }
  | { kind: 'latest'; back: number }
  | { kind: 'time'; at: number };

export function parseSnapshotRef(text: string, now: number): Result<SnapshotRef, string> {
  const s = text.trim();
  if (/^#?\d+$/.test(s)) return ok({ kind: 'id', id: Number(s.replace('#', '')) });
  const latest = /^latest(?:~(\d+))?$/i.exec(s);
  if (latest) return ok({ kind: 'latest', back: Number(latest[1] ?? 0) });
  const t = parseTime(s, now);
  if (t.ok) return ok({ kind: 'time', at: t.value });
  return err(`"${text}" is not a snapshot reference (an id, latest, latest~N, an ISO time or "2h ago")`);
}
