// The hosts reported missing: the child names of /missing (their values are
// empty and ignored). An absent /missing means none, as in the original tool.
// Each child's Stat is checked too, for the time ZooKeeper created it (when
// the host was reported missing); that check is evidence, not the answer, so
// a child whose check fails is still listed, its time left to the bounds.
import type { HostId } from '../../model/ids.js';
import { ok, type Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import { mapPool } from '../../util/map-pool.js';
import { childPath } from './read-children-data.js';
import type { ZkReader } from './zk-reader.js';

export const MISSING_PATH = '/missing';

const STAT_CONCURRENCY = 64;

/** Sorted host ids. */
export async function readMissingHosts(zk: ZkReader): Promise<Result<HostId[], SourceError>> {
  const listed = await zk.children(MISSING_PATH);
  if (!listed.ok) return listed;
  const ids = [...(listed.value ?? [])].sort();
  await mapPool(ids, STAT_CONCURRENCY, (id) => zk.stat(childPath(MISSING_PATH, id)));
  return ok(ids);
}
