// Every change in a window across all sources, in time order (pure): fact
// changes, service leader changes, and sources becoming unknown or readable
// again (so a quiet stretch can be told from a blind one).
import type { MemberValue } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import { changeEvents, compareEvents, type ChangeEvent, type VersionRecord } from './change-event.js';
import type { ChangeCategory } from './classify-change.js';
import { countByCategory } from './diff.js';
import { serviceLeader, serviceOfMember } from './service-leader.js';
import type { SnapshotMark, TimeBounds } from '../model/snapshot-mark.js';
import type { HiddenChangesEvent } from './hidden-changes.js';
import { withExact } from './exact-time.js';
import type { WatchTimelineEvent } from './watched-events.js';
import { pushAll } from '../util/push-all.js';

/** A source's outcome where it changed: a failed read, or the first good read after failures. */
export interface OutcomeRecord {
  snapshot: SnapshotMark;
  source: SourceName;
  ok: boolean;
  error: { kind: string; message: string } | null;
  /** For a failure: the last successful read before it; for a recovery: the last failed read. */
  before: SnapshotMark | null;
}

export interface SourceEvent {
  type: 'source_unknown' | 'source_recovered';
  at: TimeBounds;
  source: SourceName;
  /** Why it could not be read (source_unknown). */
  error: { kind: string; message: string } | null;
}

export type TimelineEvent = ChangeEvent | SourceEvent | HiddenChangesEvent | WatchTimelineEvent;

export interface Timeline {
  total: number;
  counts: Partial<Record<ChangeCategory | SourceEvent['type'] | HiddenChangesEvent['type'] | WatchTimelineEvent['type'], number>>;
  events: TimelineEvent[];
}

/** Collapses each run of failed reads into one source_unknown, and its end into source_recovered. */
export function sourceEvents(outcomes: readonly OutcomeRecord[]): SourceEvent[] {
  const failing = new Set<SourceName>();
  const out: SourceEvent[] = [];
  for (const o of [...outcomes].sort((a, b) => a.snapshot.id - b.snapshot.id)) {
    if (!o.ok && !failing.has(o.source)) {
      failing.add(o.source);
      out.push({ type: 'source_unknown', at: { after: o.before, by: o.snapshot }, source: o.source, error: o.error });
    } else if (o.ok && failing.has(o.source)) {
      failing.delete(o.source);
      out.push({ type: 'source_recovered', at: { after: o.before, by: o.snapshot }, source: o.source, error: null });
    }
  }
  return out;
}

function sameEndpoint(x: { host: string; port: number } | null, y: { host: string; port: number } | null): boolean {
  return x !== null && y !== null && x.host === y.host && x.port === y.port;
}

/** Leader changes: member versions applied snapshot by snapshot to the member set at the window start. */
export function leaderEvents(membersAtStart: ReadonlyMap<string, MemberValue>, versions: readonly VersionRecord[]): ChangeEvent[] {
  const members = new Map(membersAtStart);
  const out: ChangeEvent[] = [];
  const memberVersions = versions.filter((v) => v.source === 'zk.services' && v.kind === 'member');
  for (let i = 0; i < memberVersions.length; ) {
    const snap = memberVersions[i]!.snapshot.id;
    const group: VersionRecord[] = [];
    while (i < memberVersions.length && memberVersions[i]!.snapshot.id === snap) group.push(memberVersions[i++]!);
    const services = [...new Set(group.map((v) => serviceOfMember(v.entity)))].sort();
    const before = new Map(services.map((s) => [s, serviceLeader(members, s)]));
    for (const v of group) {
      if (v.after === null) members.delete(v.entity);
      else members.set(v.entity, v.after as MemberValue);
    }
    for (const s of services) {
      const b = before.get(s) ?? null;
      const a = serviceLeader(members, s);
      if (b?.host === a?.host && b?.port === a?.port) continue;
      // The new leader's member node, when it appeared or changed in this read, times the change.
      const node = group.find((v) => v.after !== null && serviceOfMember(v.entity) === s && sameEndpoint((v.after as MemberValue).address, a));
      out.push({
        type: 'change',
        at: withExact({ after: group[0]!.previousOk, by: group[0]!.snapshot }, node?.exact ?? null),
        source: 'zk.services',
        change: { category: 'leader_changed', id: s, before: b, after: a },
      });
    }
  }
  return out;
}

/**
 * Watched events (already in interval, then zxid order) merged into the
 * others: those of an interval come before the changes its closing snapshot
 * saw, since they are how the snapshot's state came about. Then, within each
 * interval, a change with an exact time goes among the watched events by that
 * time (timedInOrder).
 */
export function mergeWatched(events: readonly TimelineEvent[], watched: readonly WatchTimelineEvent[]): TimelineEvent[] {
  const out: TimelineEvent[] = [];
  let w = 0;
  for (const e of events) {
    while (w < watched.length && watched[w]!.at.by.id <= e.at.by.id) out.push(watched[w++]!);
    out.push(e);
  }
  while (w < watched.length) out.push(watched[w++]!);
  return timedInOrder(out);
}

/** An event's own time: a change's exact time, a watched event's (its Stat's or its arrival); none for the rest. */
function ownTime(e: TimelineEvent): number | null {
  if (e.type === 'watched') return e.time.at;
  if (e.type === 'change') return e.at.exact?.at ?? null;
  return null;
}

/**
 * Within each interval, the events with a time of their own take the places
 * such events held: the watched ones in their order (ZooKeeper's zxid order,
 * the true order of the writes), each change with an exact time before the
 * first watched event whose time is later than its own; events known only by
 * their bounds keep their places. The collection that saw a write and the
 * watcher that saw it arrive could otherwise list it after a later event (a
 * watched children event of /missing at 02:15:09.642 before "reported
 * missing" at ctime 02:15:09.630).
 */
export function timedInOrder(events: readonly TimelineEvent[]): TimelineEvent[] {
  const out = [...events];
  for (let i = 0; i < out.length; ) {
    let j = i;
    while (j < out.length && out[j]!.at.by.id === out[i]!.at.by.id) j++;
    const slots: number[] = [];
    for (let k = i; k < j; k++) if (ownTime(out[k]!) !== null) slots.push(k);
    const watched = slots.map((k) => out[k]!).filter((e) => e.type === 'watched');
    const changes = slots.map((k) => out[k]!).filter((e) => e.type !== 'watched').sort((a, b) => ownTime(a)! - ownTime(b)!);
    const merged: TimelineEvent[] = [];
    for (const w of watched) {
      while (changes.length && ownTime(changes[0]!)! < ownTime(w)!) merged.push(changes.shift()!);
      merged.push(w);
    }
    pushAll(merged, changes);
    slots.forEach((k, n) => (out[k] = merged[n]!));
    i = j;
  }
  return out;
}

/** `versions` in snapshot order; `watched` as watchTimelineEvents orders them. */
export function timeline(
  versions: readonly VersionRecord[],
  outcomes: readonly OutcomeRecord[],
  membersAtStart: ReadonlyMap<string, MemberValue>,
  hidden: readonly HiddenChangesEvent[] = [],
  watched: readonly WatchTimelineEvent[] = [],
): Timeline {
  const changes = [...versions.flatMap(changeEvents), ...leaderEvents(membersAtStart, versions)];
  const sorted = [...changes, ...sourceEvents(outcomes), ...hidden].sort(compareEvents);
  const events = mergeWatched(sorted, watched);
  const counts: Timeline['counts'] = countByCategory(changes.map((c) => c.change));
  for (const e of events) if (e.type !== 'change') counts[e.type] = (counts[e.type] ?? 0) + 1;
  return { total: events.length, counts, events };
}
