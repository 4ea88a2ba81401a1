// An agent's AgentControl.get_schedulers answer as the leaf it runs, if any. Pure.
// OK with no schedulers: the agent owns no leaf (null). Otherwise schedulers[0]
// is its leaf role, and the leaf runs on this very agent.
import type { GetSchedulersResponse } from '../../generated/thrift/photon_types.js';
import type { Endpoint } from '../../model/ids.js';
import { ok, type Result } from '../../model/result.js';
import type { SourceError } from '../../model/source-error.js';
import type { LeafNode } from '../../model/tree.js';
import { checkSchedulersReply } from './schedulers-reply.js';

/** `agentAddress` is where the answer came from: the leaf's (and its owner's) address. */
export function agentLeaf(response: GetSchedulersResponse, agentAddress: Endpoint): Result<LeafNode | null, SourceError> {
  const checked = checkSchedulersReply(response, 'agent');
  if (!checked.ok) return checked;
  const entry = checked.value[0];
  if (!entry) return ok(null);
  // Without `agent`, the owner is the host child listening where we asked.
  const owner =
    entry.agent ??
    entry.hostChildren.find((h) => h.address.host === agentAddress.host && h.address.port === agentAddress.port)?.id ??
    null;
  return ok({
    id: entry.id,
    owner,
    address: agentAddress,
    hosts: entry.hostChildren.map((h) => ({ id: h.id, address: h.address })),
  });
}
