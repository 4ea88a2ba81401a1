// How a ZooKeeper client error becomes a SourceError. NO_NODE never gets here:
// the reader turns it into "absent" (null).
import zookeeper from 'node-zookeeper-client';
import { sourceError, type SourceError } from '../../model/source-error.js';

export function zkSourceError(e: unknown, what: string): SourceError {
  const code = errorCode(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (code === zookeeper.Exception.CONNECTION_LOSS) return sourceError('unreachable', `${what}: connection lost (${detail})`);
  if (code === zookeeper.Exception.SESSION_EXPIRED) return sourceError('session_expired', `${what}: session expired`);
  return sourceError('zookeeper', `${what}: ${detail}`);
}

export function isNoNode(e: unknown): boolean {
  return errorCode(e) === zookeeper.Exception.NO_NODE;
}

function errorCode(e: unknown): number | undefined {
  if (typeof e !== 'object' || e === null || !('code' in e)) return undefined;
  return typeof e.code === 'number' ? e.code : undefined;
}
