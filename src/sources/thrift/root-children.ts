// The root scheduler's get_schedulers answer as its children. Pure.
// schedulers[0].role is the root role; its scheduler_children are the leaves
// it was configured with (address/port = the leaf owner's, owner_host = owner).
import type { GetSchedulersResponse } from '../../generated/thrift/photon_types.js';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';
import type { RootChild } from '../../model/tree.js';
import { checkSchedulersReply } from './schedulers-reply.js';

export function rootChildren(response: GetSchedulersResponse): Result<RootChild[], SourceError> {
  const checked = checkSchedulersReply(response, 'root scheduler');
  if (!checked.ok) return checked;
  const root = checked.value[0];
  // An OK answer without the role says nothing about the children: not "none".
  if (!root) return err(sourceError('protocol', 'root scheduler reply: OK without its role (schedulers is empty)'));
  return ok(root.schedulerChildren.map((c) => ({ id: c.id, owner: c.ownerHost, address: c.address })));
}
