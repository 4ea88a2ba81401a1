// The chairman's get_schedulers answer as a SchedulerTree. Pure.
//
// The chairman answers one entry for the root (role.id ROOT, whose
// scheduler_children list the leaves with their owner's address and
// owner_host) and one entry per leaf (role.host_children = the leaf's hosts,
// agent = the owner host id). The root entry carries no address of its own:
// the caller passes the root-scheduler leader's address (from ZooKeeper).
//
// A leaf named only by the root entry, or only by a leaf entry, is still a
// leaf: the two halves of one answer are merged, root's order first.
import type { GetSchedulersResponse } from '../../generated/thrift/photon_types.js';
import { ROOT_SCHEDULER_ID, type Endpoint, type SchedulerId } from '../../model/ids.js';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';
import type { LeafNode, SchedulerTree } from '../../model/tree.js';
import { checkSchedulersReply, type SchedulerChild, type SchedulerEntryValue } from './schedulers-reply.js';

export function chairmanTree(response: GetSchedulersResponse, rootAddress: Endpoint | null): Result<SchedulerTree, SourceError> {
  const checked = checkSchedulersReply(response, 'chairman');
  if (!checked.ok) return checked;
  const split = splitEntries(checked.value);
  if (!split.ok) return split;
  const { rootChildren, leafEntries } = split.value;

  const leafIds = [...rootChildren.keys(), ...[...leafEntries.keys()].filter((id) => !rootChildren.has(id))];
  const leaves = leafIds.map((id) => toLeaf(id, rootChildren.get(id) ?? null, leafEntries.get(id) ?? null));
  return ok({ rootAddress, leaves });
}

interface SplitEntries {
  rootChildren: Map<SchedulerId, SchedulerChild>;
  leafEntries: Map<SchedulerId, SchedulerEntryValue>;
}

function splitEntries(entries: SchedulerEntryValue[]): Result<SplitEntries, SourceError> {
  const rootChildren = new Map<SchedulerId, SchedulerChild>();
  const leafEntries = new Map<SchedulerId, SchedulerEntryValue>();
  let sawRoot = false;
  for (const entry of entries) {
    if (entry.id === ROOT_SCHEDULER_ID) {
      if (sawRoot) return protocol('two ROOT entries');
      sawRoot = true;
      for (const child of entry.schedulerChildren) {
        if (rootChildren.has(child.id)) return protocol(`leaf ${child.id} listed twice under ROOT`);
        rootChildren.set(child.id, child);
      }
      continue;
    }
    if (leafEntries.has(entry.id)) return protocol(`two entries for scheduler ${entry.id}`);
    leafEntries.set(entry.id, entry);
  }
  return ok({ rootChildren, leafEntries });
}

function toLeaf(id: SchedulerId, rootChild: SchedulerChild | null, entry: SchedulerEntryValue | null): LeafNode {
  const hostChildren = entry?.hostChildren ?? [];
  const owner = entry?.agent ?? rootChild?.ownerHost ?? null;
  const ownerChild = owner === null ? undefined : hostChildren.find((h) => h.id === owner);
  return {
    id,
    owner,
    // The leaf runs on its owner's agent: the owner's own entry first, root's copy of it second.
    address: ownerChild?.address ?? rootChild?.address ?? null,
    hosts: hostChildren.map((h) => ({ id: h.id, address: h.address })),
  };
}

function protocol(message: string): Result<never, SourceError> {
  return err(sourceError('protocol', `chairman reply: ${message}`));
}
