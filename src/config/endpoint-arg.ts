// host:port as typed on the command line (pure validation).
import type { Endpoint } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';

export function parseEndpoint(text: string): Result<Endpoint, string> {
  const m = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(text.trim());
  if (!m) return err(`"${text}" is not host:port`);
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return err(`"${text}": port must be 1-65535`);
  return ok({ host: m[1]!.replace(/^\[|\]$/g, ''), port });
}
