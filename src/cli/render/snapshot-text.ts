// Terminal rendering of one snapshot (pure): a header with each source's
// outcome, then the scheduler tree as an indented tree like the original
// introspection tool's, annotated with status and missing marks.
import { formatEndpoint } from '../../model/ids.js';
import type { NodeStatus } from '../../model/status.js';
import type { RootChild } from '../../model/tree.js';
import type { Known, SnapshotOverview, TreeExcerpt } from '../../query/snapshot-view.js';
import { formatTime } from '../../util/time.js';
import type { SourceOutcome } from '../../store/index.js';
import { isAgentUnknown, type AgentRoleValue } from '../../snapshot/agent-facts.js';
import { agentHeld } from '../../present/describe-change.js';
import { pushAll } from '../../util/push-all.js';

export function outcomeLine(o: SourceOutcome): string {
  const line = o.ok ? `${o.source} ok (${o.durationMs}ms)` : `${o.source} UNKNOWN (${o.errorKind}: ${o.errorMessage})`;
  const from = o.stats.address_from_snapshot;
  // ZooKeeper could not name the leader: say which address was read, and from when.
  return from === undefined ? line : `${line} at ${o.endpoint ?? '-'}, the leader's address as last read in #${from} (ZooKeeper unreadable)`;
}

function statusMark(s: NodeStatus | null): string {
  return s ?? 'not probed';
}

function unknownNote(k: Known<unknown>): string {
  if (k.known) return '';
  const last = k.lastOkSnapshot ? `last known from snapshot #${k.lastOkSnapshot}` : 'never read';
  return `  [UNKNOWN in this snapshot: ${k.error?.kind}: ${k.error?.message}; ${last}]`;
}

/** The owner's agent, marked on its host line only when it does not simply hold this leaf with these hosts. */
function agentMark(leaf: TreeExcerpt['leaves'][number], agents: Known<Record<string, AgentRoleValue>> | null): string {
  const v = agents?.known && leaf.owner ? agents.value[leaf.owner] : undefined;
  if (!v) return '';
  if (isAgentUnknown(v) || v.leaf !== leaf.id) return `  AGENT ${agentHeld(v).toUpperCase()}`;
  const hosts = leaf.hosts.map((h) => h.id).sort();
  return hosts.length === v.hosts.length && hosts.every((h, i) => h === v.hosts[i]) ? '' : `  AGENT HAS OTHER HOSTS (${v.hosts.join(', ')})`;
}

export function renderTree(title: string, k: Known<TreeExcerpt>, agents: Known<Record<string, AgentRoleValue>> | null = null): string[] {
  const t = k.value;
  const lines = [`${title}${unknownNote(k)}`];
  if (!k.known && !k.lastOkSnapshot) return lines;
  lines.push(`ROOT  ${formatEndpoint(t.rootAddress)}  ${statusMark(t.rootStatus)}`);
  const leaves = t.leaves;
  leaves.forEach((leaf, i) => {
    const lastLeaf = i === leaves.length - 1 && t.leavesLeftOut === 0;
    lines.push(`${lastLeaf ? '└─' : '├─'} leaf ${leaf.id}  owner ${leaf.owner ?? '(none)'}  ${formatEndpoint(leaf.address)}`);
    leaf.hosts.forEach((h, j) => {
      const marks = [statusMark(h.status), h.missing ? 'MISSING' : '', h.registered ? '' : 'NOT REGISTERED']
        .filter(Boolean)
        .join('  ');
      const owner = h.id === leaf.owner ? ' (owner)' : '';
      const agent = h.id === leaf.owner ? agentMark(leaf, agents) : '';
      lines.push(`${lastLeaf ? '   ' : '│  '}${j === leaf.hosts.length - 1 ? '└─' : '├─'} ${h.id}${owner}  ${formatEndpoint(h.address)}  ${marks}${agent}`);
    });
  });
  if (t.leavesLeftOut > 0) lines.push(`└─ … ${t.leavesLeftOut} more leaves (--all to show)`);
  return lines;
}

function renderRootChildren(k: Known<RootChild[]>): string[] {
  const lines = [`Root scheduler's children (${k.value.length})${unknownNote(k)}`];
  for (const c of k.value) lines.push(`  ${c.id}  owner ${c.owner ?? '(none)'}  ${formatEndpoint(c.address)}`);
  return lines;
}

export function renderSnapshotHeader(v: SnapshotOverview): string[] {
  const s = v.snapshot;
  const lines = [
    `Snapshot #${s.id}  ${formatTime(s.startedAt)}  (collected in ${s.finishedAt - s.startedAt}ms${s.failedSources ? `, ${s.failedSources} source(s) failed` : ''})`,
  ];
  for (const o of v.outcomes) lines.push(`  ${outcomeLine(o)}`);
  for (const svc of v.services.value) {
    const leader = svc.leader ? `leader ${formatEndpoint(svc.leader)}` : 'NO LEADER';
    lines.push(`  service ${svc.service}: ${leader} (${svc.members.length} member${svc.members.length === 1 ? '' : 's'})`);
  }
  return lines;
}

function renderAgents(k: Known<Record<string, AgentRoleValue>>): string[] {
  const entries = Object.entries(k.value);
  const lines = [`Agents' own view (get_schedulers, ${entries.length} asked)${unknownNote(k)}`];
  for (const [host, v] of entries) {
    const n = isAgentUnknown(v) ? 0 : v.hosts.length;
    const detail = isAgentUnknown(v) ? `: ${v.unknown.message}` : v.leaf ? ` (${n} host${n === 1 ? '' : 's'})` : '';
    lines.push(`  ${host}  ${agentHeld(v)}${detail}`);
  }
  return lines;
}

export interface ShowTextOptions {
  sources: readonly ('zk' | 'chairman' | 'root' | 'agents')[];
}

export function renderSnapshotText(v: SnapshotOverview, opts: ShowTextOptions): string {
  const lines = renderSnapshotHeader(v);
  if (opts.sources.includes('zk')) pushAll(lines, ['', ...renderTree('ZooKeeper tree (/roles)', v.zkTree, v.agents)]);
  if (opts.sources.includes('chairman') && v.chairmanTree) pushAll(lines, ['', ...renderTree("Chairman's tree (get_schedulers)", v.chairmanTree)]);
  if (opts.sources.includes('root') && v.rootChildren) pushAll(lines, ['', ...renderRootChildren(v.rootChildren)]);
  if (opts.sources.includes('agents')) pushAll(lines, ['', ...renderAgents(v.agents)]);
  if (v.missing.value.length) lines.push('', `Missing (/missing): ${v.missing.value.join(', ')}${unknownNote(v.missing)}`);
  if (v.nodeErrors.length) {
    lines.push('', 'Unreadable ZooKeeper nodes:');
    for (const e of v.nodeErrors) lines.push(`  ${e.path}: ${e.kind}: ${e.message}`);
  }
  return lines.join('\n');
}
