// The scheduler tree as persisted in ZooKeeper: root (address given by the
// caller, from the root-scheduler leader) and one leaf per /roles child.
//
// Original rules kept: a Roles value that does not hold exactly one scheduler
// is skipped (reported in `skipped`, not as an error); a node deleted between
// list and read is skipped. Added: a value that does not decode is a NodeError
// (never dropped silently), and whether /roles exists at all is reported, since
// an absent /roles and an empty one both mean "no leaves" to the original.
// And the leaves are read as one state that existed (settled-read.ts): a node
// that kept changing while being read is a NodeError, its leaf kept as last known.
import type { Endpoint } from '../../model/ids.js';
import { ok, type Result } from '../../model/result.js';
import type { NodeError, SourceError } from '../../model/source-error.js';
import type { LeafNode, SchedulerTree } from '../../model/tree.js';
import { decodeRoles } from './decode.js';
import { readChildrenSettled } from './settled-read.js';
import { roleToLeaf } from './role-to-leaf.js';
import type { ZkReader } from './zk-reader.js';

export const ROLES_PATH = '/roles';

export interface SkippedRole {
  path: string;
  /** How many schedulers the Roles value held (the rule wants exactly one). */
  schedulerCount: number;
}

export interface ZkTreeReading {
  tree: SchedulerTree;
  /** /roles children whose value could not be read or decoded. */
  errors: NodeError[];
  rolesPathPresent: boolean;
  skipped: SkippedRole[];
}

export async function readZkTree(zk: ZkReader, rootAddress: Endpoint | null): Promise<Result<ZkTreeReading, SourceError>> {
  const read = await readChildrenSettled(zk, ROLES_PATH);
  if (!read.ok) return read;
  const leaves: LeafNode[] = [];
  const errors: NodeError[] = [];
  const skipped: SkippedRole[] = [];
  const unsettled = new Set(read.value.unsettled);
  for (const child of read.value.children) {
    if (unsettled.has(child.path)) {
      // Kept as last known (an unreadable /roles node), so drift never sees a tree that never existed.
      const message = `changed while being read (${read.value.passes} reads): not a state that existed`;
      errors.push({ path: child.path, kind: 'zookeeper', message });
      continue;
    }
    if ('error' in child) {
      errors.push(child.error);
      continue;
    }
    const roles = decodeRoles(child.data);
    if (!roles.ok) {
      errors.push({ path: child.path, ...roles.error });
      continue;
    }
    const [only, ...more] = roles.value.schedulers;
    if (!only || more.length > 0) {
      skipped.push({ path: child.path, schedulerCount: roles.value.schedulers.length });
      continue;
    }
    leaves.push(roleToLeaf(child.name, only));
  }
  return ok({ tree: { rootAddress, leaves }, errors, rolesPathPresent: read.value.parentPresent, skipped });
}
