// A state checkpoint as stored (pure): every fact of one source holding at one
// snapshot, and the rule for when a new checkpoint is due.
//
// The text is a JSON object from fact kind to a flat array of strings,
// {"placement": [entity, value, entity, value, ...], ...}, values kept as
// their canonical JSON. Reading it is native JSON.parse of strings, a piece at
// a time (checkpoint-text.ts); a reader then parses only the values of the
// kinds it uses (a diff compares the text, `show` never parses a HostConfig).
//
// Stored deflated (raw DEFLATE): a state's text is mostly repeated field
// names, so it shrinks 5-14x (a 5,000-host registration state 4.2 MB ->
// 0.3 MB), and inflating it costs about what parsing it does. Histories
// written before keep their checkpoints as plain text; both read alike.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { FactKind } from '../snapshot/fact.js';
import { parseStateText } from './checkpoint-text.js';

export interface StoredFact {
  kind: FactKind;
  entity: string;
  /** canonical JSON */
  value: string;
}

/** kind → [entity, value, entity, value, ...] */
export type KindGroups = ReadonlyMap<FactKind, readonly string[]>;

export function encodeState(facts: Iterable<StoredFact>): string {
  const groups: Partial<Record<FactKind, string[]>> = {};
  for (const f of facts) (groups[f.kind] ??= []).push(f.entity, f.value);
  return JSON.stringify(groups);
}

/** What a checkpoint column holds: deflated text, or plain text from an older history. */
export type StoredState = Uint8Array | string;

export function packState(text: string): Buffer {
  return deflateRawSync(text);
}

/**
 * null: not a checkpoint this build wrote (a damaged file). A plain text from an
 * older history is read as its bytes, by the one parser (checkpoint-text.ts).
 */
export function decodeState(stored: StoredState): KindGroups | null {
  let bytes: Buffer;
  try {
    bytes = typeof stored === 'string' ? Buffer.from(stored, 'utf8') : inflateRawSync(stored);
  } catch {
    return null;
  }
  const groups = parseStateText(bytes);
  if (!groups) return null;
  for (const list of groups.values()) if (list.length % 2 !== 0) return null;
  return groups;
}

/**
 * Versions of a source a reader may have to apply after its checkpoint before
 * a new one is written. Small states still get a checkpoint now and then, so
 * reading a long history of a small cluster stays bounded too.
 */
export const MIN_VERSIONS_PER_CHECKPOINT = 512;

/**
 * A new checkpoint is due once the versions since the last one outnumber the
 * facts it held: reading then never applies more versions than the state has
 * facts, and checkpoints add at most about one fact's worth of bytes per
 * version written.
 */
export function checkpointThreshold(lastCheckpointFacts: number): number {
  return Math.max(MIN_VERSIONS_PER_CHECKPOINT, lastCheckpointFacts);
}

/**
 * Snapshots (ids) after which a checkpoint is old: a slowly changing state (a
 * year of 5,000 registrations gains ~2,000 versions) would otherwise be read
 * as its first checkpoint plus thousands of versions, so a late snapshot costs
 * twice an early one. An old checkpoint is renewed after OLD_CHECKPOINT_VERSIONS
 * versions, which costs at most a checkpoint per this many snapshots (a 5,000-host
 * state: ~40 bytes a snapshot) and never comes before the rule above in a busy state.
 * Ids are the file's: where clusters share a file they advance faster, and
 * checkpoints only come sooner.
 */
export const OLD_CHECKPOINT_SNAPSHOTS = 10_000;

/**
 * Versions after which an old checkpoint is renewed. A registration replayed
 * onto a checkpoint costs ~50 µs (inflated, then summarized), so 512 of them
 * made the slowest `show --at` of a year (359 since a checkpoint 102,000
 * snapshots old: 24 ms of 66); 128 bound that part to ~6 ms, for about one more
 * checkpoint of each slowly changing source per ~40,000 snapshots (README
 * "Storage design").
 */
export const OLD_CHECKPOINT_VERSIONS = 128;

/** Whether a checkpoint is due `versions` versions and `snapshots` snapshot ids after the last one, which held `lastFacts` facts. */
export function checkpointDue(versions: number, snapshots: number, lastFacts: number): boolean {
  return versions >= checkpointThreshold(lastFacts) || (versions >= OLD_CHECKPOINT_VERSIONS && snapshots >= OLD_CHECKPOINT_SNAPSHOTS);
}

/** The rule's numbers as one text: a generated history written under another rule is written anew (the bench's cache). */
export const CHECKPOINT_RULE = `${MIN_VERSIONS_PER_CHECKPOINT}/${OLD_CHECKPOINT_SNAPSHOTS}/${OLD_CHECKPOINT_VERSIONS}`;

/** The due check's count (COUNT_SINCE_SQL's row, either engine): versions since a checkpoint up to a limit, and the last one's snapshot (null: none). */
export interface VersionCount {
  n: number;
  last: number | null;
}

/** A source's latest checkpoint at or before some snapshot, without its state (HEAD_SQL's row, either engine). */
export interface CheckpointHead {
  snapshotId: number;
  facts: number;
}

/** The head when there is no checkpoint: snapshot 0, no facts. */
export const NO_CHECKPOINT: CheckpointHead = Object.freeze({ snapshotId: 0, facts: 0 });

/** Whether the versions counted since the checkpoint `head` make one due (both engines' upkeep asks this first). */
export function dueAfter(head: CheckpointHead, count: VersionCount): boolean {
  return checkpointDue(count.n, (count.last ?? head.snapshotId) - head.snapshotId, head.facts);
}
