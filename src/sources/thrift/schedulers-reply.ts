// A GetSchedulersResponse (chairman, root scheduler or agent) checked into
// plain data: the result code turned into an outcome, required fields present,
// endpoints usable. Pure.
//
// The thrift runtime does not enforce `required` on read (an absent field
// reads as null), so the checks are made here; a reply that breaks them is a
// 'protocol' failure of the whole answer, never a silently shorter tree.
import photon from '../../generated/thrift/photon_types.js';
import type { ChildInfo, GetSchedulersResponse, SchedulerEntry } from '../../generated/thrift/photon_types.js';
import type { Endpoint, HostId, SchedulerId } from '../../model/ids.js';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';

export interface SchedulerChild {
  id: string;
  address: Endpoint;
  ownerHost: HostId | null;
}

export interface SchedulerEntryValue {
  id: SchedulerId;
  /** The owner host id (SchedulerEntry.agent). */
  agent: HostId | null;
  /** role.parent_id; null for the root (unset). */
  parentId: SchedulerId | null;
  schedulerChildren: SchedulerChild[];
  hostChildren: SchedulerChild[];
}

const Code = photon.GetSchedulersResultCode;

/** `source` names the answering service in messages ("chairman", "root scheduler", "agent"). */
export function checkSchedulersReply(
  response: GetSchedulersResponse,
  source: string,
): Result<SchedulerEntryValue[], SourceError> {
  const code: unknown = response.result;
  if (typeof code !== 'number') return err(sourceError('protocol', `${source} reply has no result code`));
  if (code !== Code.OK) return err(codeError(code, response.error, source));
  const entries: unknown = response.schedulers ?? [];
  if (!Array.isArray(entries)) return err(sourceError('protocol', `${source} reply: schedulers is not a list`));
  const values: SchedulerEntryValue[] = [];
  for (const [i, entry] of (entries as SchedulerEntry[]).entries()) {
    const value = toEntry(entry, `schedulers[${i}]`);
    if (!value.ok) return err(sourceError('protocol', `${source} reply: ${value.error}`));
    values.push(value.value);
  }
  return ok(values);
}

function codeError(code: number, text: string | null | undefined, source: string): SourceError {
  const detail = typeof text === 'string' && text !== '' ? `: ${text}` : '';
  if (code === Code.NOT_LEADER || code === Code.NOT_IN_MAJORITY) {
    return sourceError('not_leader', `${source} answered ${Code[code]}${detail}`);
  }
  const name = code === Code.SYSTEM_ERROR ? 'SYSTEM_ERROR' : `result code ${code}`;
  return sourceError('system_error', `${source} answered ${name}${detail}`);
}

function toEntry(entry: SchedulerEntry | null, field: string): Result<SchedulerEntryValue, string> {
  const role = entry?.role;
  if (!role) return err(`${field}.role is missing`);
  if (typeof role.id !== 'string') return err(`${field}.role.id is missing`);
  const schedulerChildren = toChildren(role.scheduler_children, `${field}.role.scheduler_children`);
  if (!schedulerChildren.ok) return schedulerChildren;
  const hostChildren = toChildren(role.host_children, `${field}.role.host_children`);
  if (!hostChildren.ok) return hostChildren;
  return ok({
    id: role.id,
    agent: typeof entry.agent === 'string' ? entry.agent : null,
    parentId: typeof role.parent_id === 'string' ? role.parent_id : null,
    schedulerChildren: schedulerChildren.value,
    hostChildren: hostChildren.value,
  });
}

function toChildren(children: ChildInfo[] | null | undefined, field: string): Result<SchedulerChild[], string> {
  const values: SchedulerChild[] = [];
  for (const [i, child] of (children ?? []).entries()) {
    const value = toChild(child, `${field}[${i}]`);
    if (!value.ok) return value;
    values.push(value.value);
  }
  return ok(values);
}

// An empty host or a port outside 1..65535 cannot be probed (net.connect
// throws on a bad port and takes an empty host for localhost): rejected.
function toChild(child: ChildInfo | null, field: string): Result<SchedulerChild, string> {
  if (!child) return err(`${field} is missing`);
  if (typeof child.id !== 'string') return err(`${field}.id is missing`);
  if (typeof child.address !== 'string' || child.address === '') return err(`${field}.address is missing or empty`);
  const port: unknown = child.port;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    return err(`${field}.port ${String(port)} is not a port (1..65535)`);
  }
  return ok({
    id: child.id,
    address: { host: child.address, port },
    ownerHost: typeof child.owner_host === 'string' ? child.owner_host : null,
  });
}
