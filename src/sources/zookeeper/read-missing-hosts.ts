// The hosts reported missing: the child names of /missing (their values are
// empty and ignored). An absent /missing means none, as in the original tool.
import type { HostId } from '../../model/ids.js';
import { ok, type Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import type { ZkReader } from './zk-reader.js';

export const MISSING_PATH = '/missing';

/** Sorted host ids. */
export async function readMissingHosts(zk: ZkReader): Promise<Result<HostId[], SourceError>> {
  const listed = await zk.children(MISSING_PATH);
  if (!listed.ok) return listed;
  return ok([...(listed.value ?? [])].sort());
}
