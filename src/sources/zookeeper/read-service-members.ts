// The members of a service (/services/<name>): one ephemeral node per live
// instance, each holding its ServerAddress. The leader rule is the original
// tool's: exactly one member, whose address is then the service's address.
// Zero or several members: no leader. An absent service path means zero
// members (nobody ever registered), which is the original reading too.
import type { Endpoint } from '../../model/ids.js';
import { leaderOf } from '../../model/leader.js';
import { ok, type Result } from '../../model/result.js';
import type { NodeError, SourceError } from '../../model/source-error.js';
import { decodeServerAddress } from './decode.js';
import { readChildrenData, type ChildRead } from './read-children-data.js';
import type { ZkReader } from './zk-reader.js';

export interface ServiceMember {
  /** The member node's name (opaque; the Java services used node-<uuid>). */
  name: string;
  /** Null when the value could not be read or decoded (see error). */
  address: Endpoint | null;
  error?: NodeError;
}

export interface ServiceMembers {
  path: string;
  /** False when the service path does not exist (members is then empty). */
  pathPresent: boolean;
  /** Sorted by name; members that left between list and read are not included. */
  members: ServiceMember[];
  /** Set only when there is exactly one member and its address decoded. */
  leader: Endpoint | null;
}

export async function readServiceMembers(zk: ZkReader, servicePath: string): Promise<Result<ServiceMembers, SourceError>> {
  const read = await readChildrenData(zk, servicePath);
  if (!read.ok) return read;
  const members = read.value.children.map(toMember);
  return ok({ path: servicePath, pathPresent: read.value.parentPresent, members, leader: leaderOf(members)?.address ?? null });
}

function toMember(child: ChildRead): ServiceMember {
  if ('error' in child) return { name: child.name, address: null, error: child.error };
  const decoded = decodeServerAddress(child.data);
  if (decoded.ok) return { name: child.name, address: decoded.value };
  return { name: child.name, address: null, error: { path: child.path, ...decoded.error } };
}
