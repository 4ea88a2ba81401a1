// Listing a node's children and reading every child's value, concurrently.
// node-zookeeper-client pipelines requests over its one socket, so a bounded
// number in flight turns 10,000 round trips into a few hundred.
//
// Failure rules: a child deleted between list and read is skipped (the
// original tool's rule). An error confined to one node (for example NO_AUTH on
// that node) is that node's error and the rest stands. A timeout, a lost
// connection or an expired session fails the whole read at once: a partial
// list would look like hosts disappearing.
import { err, ok, type Result } from '../../model/result.js';
import type { NodeError, SourceError } from '../../model/source-error.js';
import { mapPool } from '../../util/map-pool.js';
import type { ZkReader } from './zk-reader.js';

export const READ_CONCURRENCY = 256;

/** One child node as read: its data, or why it could not be read. */
export type ChildRead =
  | { name: string; path: string; data: Buffer }
  | { name: string; path: string; error: NodeError };

export interface ChildrenData {
  /** False when the parent node does not exist (then `children` is empty). */
  parentPresent: boolean;
  /** Sorted by name; children deleted between list and read are left out. */
  children: ChildRead[];
}

export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

export async function readChildrenData(
  zk: ZkReader,
  parent: string,
  concurrency = READ_CONCURRENCY,
): Promise<Result<ChildrenData, SourceError>> {
  const listed = await zk.children(parent);
  if (!listed.ok) return listed;
  if (listed.value === null) return ok({ parentPresent: false, children: [] });
  const names = [...listed.value].sort();

  const abort: { error: SourceError | null } = { error: null };
  let signalAbort!: (e: SourceError) => void;
  const aborted = new Promise<SourceError>((resolve) => (signalAbort = resolve));
  const readOne = async (name: string): Promise<ChildRead | null> => {
    if (abort.error) return null;
    const path = childPath(parent, name);
    const r = await zk.data(path);
    if (r.ok) return r.value === null ? null : { name, path, data: r.value };
    if (r.error.kind === 'zookeeper') return { name, path, error: { path, ...r.error } };
    abort.error ??= r.error;
    signalAbort(abort.error);
    return null;
  };
  // Returns on the first source-level failure instead of waiting for the
  // requests still in flight (each settles by its own deadline regardless).
  const outcome = await Promise.race([
    mapPool(names, concurrency, readOne).then((values) => ok(values)),
    aborted.then((e) => err(e)),
  ]);
  if (!outcome.ok) return outcome;
  if (abort.error) return err(abort.error);
  return ok({ parentPresent: true, children: outcome.value.filter((v): v is ChildRead => v !== null) });
}
