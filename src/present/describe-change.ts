// One change as a subject and a phrase, for diff groups, history and
// timeline rows (pure).
import type { HiddenChangesEvent } from '../query/hidden-changes.js';
import { formatEndpoint } from '../model/ids.js';
import type { ChangeCategory, ChangeItem } from '../query/classify-change.js';
import { formatValue } from './format-value.js';
import { isAgentUnknown, type AgentRoleValue } from '../snapshot/agent-facts.js';

export const CATEGORY_TITLES: Record<ChangeCategory, string> = {
  leaf_added: 'leaves added',
  leaf_removed: 'leaves removed',
  leaf_owner_changed: 'leaf owners changed',
  leaf_address_changed: 'leaf addresses changed',
  host_added: 'hosts added',
  host_removed: 'hosts removed',
  host_moved: 'hosts moved between leaves',
  host_address_changed: 'host addresses changed',
  registration_added: 'registrations added',
  registration_removed: 'registrations removed',
  host_config_changed: 'HostConfig changes',
  missing_added: 'reported missing',
  missing_removed: 'no longer missing',
  leader_changed: 'leader changes',
  member_added: 'members added',
  member_removed: 'members removed',
  member_changed: 'members changed',
  status_changed: 'status flips',
  agent_role_changed: "agents' roles changed",
  agent_hosts_changed: "agents' host lists changed",
  node_error_added: 'nodes became unreadable',
  node_error_removed: 'nodes readable again',
  node_error_changed: 'node errors changed',
};

const status = (s: string | null) => s ?? 'not probed';

/** "+h7 −h2": what a list gained and lost. */
function listChange(before: readonly string[], after: readonly string[]): string {
  const added = after.filter((x) => !before.includes(x)).map((x) => `+${x}`);
  const removed = before.filter((x) => !after.includes(x)).map((x) => `−${x}`);
  return [...added, ...removed].join(' ');
}

/** "holds leaf-2", "holds no role", "unknown (timeout)", "not asked". */
export function agentHeld(v: AgentRoleValue | null): string {
  if (v === null) return 'not asked';
  if (isAgentUnknown(v)) return `unknown (${v.unknown.kind})`;
  return v.leaf === null ? 'holds no role' : `holds ${v.leaf}`;
}

/** What the change did, without its subject (the id). */
export function changePhrase(c: ChangeItem): string {
  switch (c.category) {
    case 'leaf_added':
      return `leaf added, owner ${c.after.owner ?? '(none)'} ${formatEndpoint(c.after.address)}`;
    case 'leaf_removed':
      return `leaf removed (owner was ${c.before.owner ?? '(none)'})`;
    case 'leaf_owner_changed':
      return `leaf owner ${c.before ?? '(none)'} → ${c.after ?? '(none)'}`;
    case 'leaf_address_changed':
      return `leaf address ${formatEndpoint(c.before)} → ${formatEndpoint(c.after)}`;
    case 'host_added':
      return `placed in ${c.after.leaf} ${formatEndpoint(c.after.address)}`;
    case 'host_removed':
      return `removed from ${c.before.leaf}`;
    case 'host_moved':
      return `moved ${c.before} → ${c.after}`;
    case 'host_address_changed':
      return `address ${formatEndpoint(c.before)} → ${formatEndpoint(c.after)}`;
    case 'registration_added':
      return `registered ${formatEndpoint(c.after.address)}`;
    case 'registration_removed':
      return `unregistered (was ${formatEndpoint(c.before.address)})`;
    case 'host_config_changed':
      return c.fields.map((f) => `${f} ${formatValue(c.before[f])} → ${formatValue(c.after[f])}`).join('; ');
    case 'missing_added':
      return 'reported missing';
    case 'missing_removed':
      return 'no longer missing';
    case 'leader_changed':
      return `leader ${c.before ? formatEndpoint(c.before) : '(none)'} → ${c.after ? formatEndpoint(c.after) : '(none)'}`;
    case 'member_added':
      return `member added ${formatEndpoint(c.after.address)}`;
    case 'member_removed':
      return 'member removed';
    case 'member_changed':
      return `member ${formatEndpoint(c.before.address)} → ${formatEndpoint(c.after.address)}${c.after.error ? ` (${c.after.error})` : ''}`;
    case 'status_changed':
      return `${status(c.before)} → ${status(c.after)}`;
    case 'agent_role_changed':
      return `agent ${agentHeld(c.before)} → ${agentHeld(c.after)}`;
    case 'agent_hosts_changed':
      return `agent's ${c.leaf} hosts ${listChange(c.before, c.after)}`;
    case 'node_error_added':
      return `unreadable: ${c.after.kind}: ${c.after.message}`;
    case 'node_error_removed':
      return 'readable again';
    case 'node_error_changed':
      return `unreadable: ${c.after.kind}: ${c.after.message}`;
  }
}

/** "changed 4 times in ZooKeeper, 2 seen" for changes that happened and reverted between two collections. */
export function hiddenPhrase(e: HiddenChangesEvent): string {
  const times = `${e.changes} time${e.changes === 1 ? '' : 's'}`;
  const what = e.recreated ? `deleted and created again (${times} in ZooKeeper)` : `changed ${times} in ZooKeeper`;
  return `${what}, ${e.seen} seen: ${e.changes - e.seen} change${e.changes - e.seen === 1 ? '' : 's'} not seen`;
}
