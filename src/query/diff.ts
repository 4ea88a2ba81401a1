// What changed between two snapshots, per source, grouped by category and
// counted (pure). Input is only the facts that changed between the two
// (their value at each end), so the work follows the size of the change.
import type { MemberValue } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import { classifyChange, compareChanges, type ChangeCategory, type ChangeItem, type FactDelta } from './classify-change.js';
import { serviceLeader, serviceNames } from './service-leader.js';
import { SERVICES } from './snapshot-view.js';
import type { Knowledge, SourceKnowledge } from './source-knowledge.js';
import type { ExactTime } from '../model/snapshot-mark.js';
import { pushAll } from '../util/push-all.js';

export interface SourceDiff {
  source: SourceName;
  /** Whether the source was read in each snapshot; when not, its state there is as last known. */
  from: SourceKnowledge;
  to: SourceKnowledge;
  total: number;
  counts: Partial<Record<ChangeCategory, number>>;
  changes: TimedChangeItem[];
}

/** A change with, where ZooKeeper's Stat proves it, when its later value was written. */
export type TimedChangeItem = ChangeItem & { exact?: ExactTime };

export interface DiffResult {
  total: number;
  sources: SourceDiff[];
}

export interface DiffInput {
  /** The sources to report, in order. */
  sources: readonly SourceName[];
  /** Facts whose value differs, or may differ, between the two snapshots. */
  deltas: readonly FactDelta[];
  /** Every zk.services member at each end (a leader depends on the whole member set); null to skip leaders. */
  members: { before: ReadonlyMap<string, MemberValue>; after: ReadonlyMap<string, MemberValue> } | null;
  knowledge: { from: Knowledge; to: Knowledge };
}

function leaderChanges(members: NonNullable<DiffInput['members']>): ChangeItem[] {
  const out: ChangeItem[] = [];
  const names = new Set([...serviceNames(members.before, SERVICES), ...serviceNames(members.after, SERVICES)]);
  for (const service of [...names].sort()) {
    const before = serviceLeader(members.before, service);
    const after = serviceLeader(members.after, service);
    const same = before?.host === after?.host && before?.port === after?.port;
    if (!same) out.push({ category: 'leader_changed', id: service, before, after });
  }
  return out;
}

export function countByCategory(changes: readonly ChangeItem[]): Partial<Record<ChangeCategory, number>> {
  const counts: Partial<Record<ChangeCategory, number>> = {};
  for (const c of changes) counts[c.category] = (counts[c.category] ?? 0) + 1;
  return counts;
}

export function diffFacts(input: DiffInput): DiffResult {
  const bySource = new Map<SourceName, TimedChangeItem[]>(input.sources.map((s) => [s, []]));
  for (const d of input.deltas) {
    const items = classifyChange(d);
    const exact = d.exact;
    const list = bySource.get(d.source);
    if (list) pushAll(list, exact ? items.map((c) => ({ ...c, exact })) : items);
  }
  const services = bySource.get('zk.services');
  if (services && input.members) services.push(...leaderChanges(input.members));
  const sources = input.sources.map((source): SourceDiff => {
    const changes = bySource.get(source)!.sort(compareChanges);
    return {
      source,
      from: input.knowledge.from[source],
      to: input.knowledge.to[source],
      total: changes.length,
      counts: countByCategory(changes),
      changes,
    };
  });
  return { total: sources.reduce((n, s) => n + s.total, 0), sources };
}
