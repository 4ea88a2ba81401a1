// Reading a parent's children as one consistent state. One collection reads
// many nodes across many zxids, so a change made in the middle (a host moved
// from leaf A to leaf B between the reads of /roles/A and /roles/B) can yield
// a tree that never existed: the host placed twice, or nowhere.
//
// Double collect: after reading, check every node's Stat again. Any write
// bumps a node's mzxid and any child created or deleted its parent's pzxid,
// so when every mzxid (and the pzxid) is unchanged, no node changed between
// its read and its check, and at the instant between the last read and the
// first check every node held the value read: a state that existed. When
// something changed, read again, up to SETTLE_PASSES times; what still moves
// is reported as read across a change, so that no one concludes from it.
import { ok, type Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import { mapPool } from '../../util/map-pool.js';
import { readChildrenData, READ_CONCURRENCY, type ChildrenData } from './read-children-data.js';
import type { ZkReader } from './zk-reader.js';

export const SETTLE_PASSES = 3;

export interface SettledChildren extends ChildrenData {
  /** Paths that kept changing while being read: their values are not a state that existed. */
  unsettled: string[];
  /** Reads made (1 when nothing changed during the first). */
  passes: number;
}

/** Each node's mzxid (the parent's pzxid) as the read saw it. */
function versionsRead(zk: ZkReader, parent: string, data: ChildrenData): Map<string, string> {
  const seen = zk.seenStats();
  const out = new Map<string, string>([[parent, seen.get(parent)?.pzxid ?? '']]);
  for (const c of data.children) out.set(c.path, seen.get(c.path)?.mzxid ?? '');
  return out;
}

/** Paths whose Stat moved since it was read (a deleted node, a new child, a write). */
async function movedSince(zk: ZkReader, parent: string, read: Map<string, string>): Promise<Result<string[], SourceError>> {
  const paths = [...read.keys()];
  const now = await mapPool(paths, READ_CONCURRENCY, (p) => zk.stat(p));
  const moved: string[] = [];
  for (let i = 0; i < paths.length; i++) {
    const r = now[i]!;
    if (!r.ok) return r;
    const current = r.value === null ? null : paths[i] === parent ? r.value.pzxid : r.value.mzxid;
    if (current !== read.get(paths[i]!)) moved.push(paths[i]!);
  }
  return ok(moved);
}

export async function readChildrenSettled(zk: ZkReader, parent: string): Promise<Result<SettledChildren, SourceError>> {
  let moved: string[] = [];
  for (let pass = 1; ; pass++) {
    const read = await readChildrenData(zk, parent);
    if (!read.ok || !read.value.parentPresent) return read.ok ? ok({ ...read.value, unsettled: [], passes: pass }) : read;
    const check = await movedSince(zk, parent, versionsRead(zk, parent, read.value));
    if (!check.ok) return check;
    moved = check.value;
    if (moved.length === 0 || pass === SETTLE_PASSES) {
      // Children created or deleted meanwhile: the listing itself is not a state that existed.
      const unsettled = moved.includes(parent) ? read.value.children.map((c) => c.path) : moved.sort();
      return ok({ ...read.value, unsettled, passes: pass });
    }
  }
}

