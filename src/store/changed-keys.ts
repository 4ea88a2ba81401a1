// The facts whose value differs between two snapshots (I/O), per source, the
// cheaper of two ways: from the versions written between them (cost follows
// the change), or, when the range holds more versions than the source has
// facts (a year of status flaps), by comparing the two states read from
// checkpoints (cost follows the cluster's size). Both give the same changes.
import type { FactKind } from '../snapshot/fact.js';
import type { SourceName } from '../snapshot/source-name.js';
import type { Db } from './db.js';
import { agentRoleAt } from './agent-rows.js';
import { AgentsState, splitAgentHost } from './agent-shape.js';
import { readStoredFacts, type SourceState, type StateOptions } from './read-source-state.js';
import { checkpointHead, countVersions } from './state-checkpoints.js';
import type { CheckpointHead } from './checkpoint-format.js';
import { codeOf } from './source-codes.js';
import { statement } from './statement-cache.js';
import { unpackValue, type StoredValue } from './value-codec.js';

export interface ChangedKey {
  source: SourceName;
  kind: FactKind;
  entity: string;
  /** canonical JSON at each end; null: not holding there */
  before: string | null;
  after: string | null;
}

// The keys of one source with a version in (lo, hi], then each one's value at both ends.
export const CHANGED_KEYS_SQL = `
  SELECT k.source AS source, k.kind AS kind, k.entity AS entity,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = c.key_id AND p.from_snapshot <= @a
      ORDER BY p.from_snapshot DESC LIMIT 1) AS before,
    (SELECT p.value FROM fact_versions p WHERE p.key_id = c.key_id AND p.from_snapshot <= @b
      ORDER BY p.from_snapshot DESC LIMIT 1) AS after
  FROM (SELECT DISTINCT key_id FROM fact_versions
        WHERE cluster = current_cluster() AND source = ${codeOf('@source')} AND from_snapshot > @lo AND from_snapshot <= @hi) c
  JOIN fact_keys k ON k.id = c.key_id`;

// CHANGED_KEYS_SQL's keys alone, without their values at either end.
export const CHANGED_KEY_NAMES_SQL = `
  SELECT k.kind AS kind, k.entity AS entity
  FROM (SELECT DISTINCT key_id FROM fact_versions
        WHERE cluster = current_cluster() AND source = ${codeOf('@source')} AND from_snapshot > @lo AND from_snapshot <= @hi) c
  JOIN fact_keys k ON k.id = c.key_id`;

/** What finding the changes reads, on the caller's engine. */
export interface ChangedKeyReads {
  /** CHANGED_KEYS_SQL's rows: each key of `source` with a version between a and b, with its value at both. */
  byVersions(a: number, b: number, source: SourceName): ChangedKey[];
  /** CHANGED_KEY_NAMES_SQL's rows: each key of `source` with a version in snapshots (lo, hi]. */
  keysInRange(lo: number, hi: number, source: SourceName): { kind: FactKind; entity: string }[];
  /** readStoredFacts (read-source-state.ts): the facts as the file holds them (the agents' not joined). */
  facts(source: SourceName, snapshotId: number, opts: StateOptions): SourceState;
  /** checkpointHead (state-checkpoints.ts): the latest checkpoint at or before a snapshot, its size. */
  checkpointHead(source: SourceName, atOrBefore: number): CheckpointHead;
  /** countVersions (state-checkpoints.ts): the versions of `source` in (after, upTo], counted up to `limit`. */
  countVersions(source: SourceName, after: number, upTo: number, limit: number): number;
  /** agentRoleAt (agent-rows.ts). */
  agentRoleAt(agent: string, snapshotId: number): string | null;
}

export function sqliteChangedKeyReads(db: Db): ChangedKeyReads {
  return {
    byVersions: (a, b, source) => unpackEnds(statement(db, CHANGED_KEYS_SQL).all({ a, b, lo: Math.min(a, b), hi: Math.max(a, b), source }) as ChangedKey[]),
    keysInRange: (lo, hi, source) => statement(db, CHANGED_KEY_NAMES_SQL).all({ lo, hi, source }) as { kind: FactKind; entity: string }[],
    facts: (source, id, opts) => readStoredFacts(db, source, id, opts),
    checkpointHead: (source, atOrBefore) => checkpointHead(db, source, atOrBefore),
    countVersions: (source, after, upTo, limit) => countVersions(db, source, after, upTo, limit).n,
    agentRoleAt: (agent, id) => agentRoleAt(db, agent, id),
  };
}

/** Changed keys as read, both ends' values as text (value-codec.ts). */
function unpackEnds(rows: ChangedKey[]): ChangedKey[] {
  for (const r of rows) {
    r.before = unpackValue(r.before as StoredValue);
    r.after = unpackValue(r.after as StoredValue);
  }
  return rows;
}

// A status fact's only part a diff reports is its verdict (classify-change.ts),
// which its summary holds: comparing summaries reads a fifth of the bytes.
const COMPARE_SUMMARIES: ReadonlySet<SourceName> = new Set(['status']);

function byStates(reads: ChangedKeyReads, a: number, b: number, source: SourceName): ChangedKey[] {
  if (source === 'agents') return agentsByStates(reads, a, b);
  const opts = { summaries: COMPARE_SUMMARIES.has(source) };
  const atA = reads.facts(source, a, opts);
  const atB = reads.facts(source, b, opts);
  const out: ChangedKey[] = [];
  for (const kind of new Set([...atA.kinds(), ...atB.kinds()])) {
    const before = atA.ofKind(kind);
    atB.each(kind, (entity, after) => {
      const was = before.get(entity) ?? null;
      if (was !== after) out.push({ source, kind, entity, before: was, after });
      before.delete(entity);
    });
    for (const [entity, was] of before) out.push({ source, kind, entity, before: was, after: null });
  }
  return out;
}

function agentsAt(reads: ChangedKeyReads, id: number): AgentsState {
  const state = reads.facts('agents', id, {});
  const agents = new AgentsState();
  for (const kind of state.kinds()) state.each(kind, (entity, value) => agents.apply(kind, entity, value));
  return agents;
}

function sameHosts(x: ReadonlySet<string> | undefined, y: ReadonlySet<string> | undefined): boolean {
  if ((x?.size ?? 0) !== (y?.size ?? 0)) return false;
  for (const h of x ?? []) if (!y!.has(h)) return false;
  return true;
}

/**
 * The agents' two stored states compared as stored (role without hosts, one row per host):
 * only the agents whose role or hosts differ are joined, since joining one costs a parse and
 * a canonical JSON (all 5,000 of them, twice, were most of a distant diff's agents).
 */
function agentsByStates(reads: ChangedKeyReads, a: number, b: number): ChangedKey[] {
  const atA = agentsAt(reads, a);
  const atB = agentsAt(reads, b);
  const row = (entity: string): ChangedKey => ({ source: 'agents', kind: 'agent_role', entity, before: atA.joined(entity), after: atB.joined(entity) });
  // byStates' order: the agents holding a role at b, then those holding one only at a.
  const out: ChangedKey[] = [];
  for (const [agent, role] of atB.roles) if (atA.roles.get(agent) !== role || !sameHosts(atA.hosts.get(agent), atB.hosts.get(agent))) out.push(row(agent));
  for (const agent of atA.roles.keys()) if (!atB.roles.has(agent)) out.push(row(agent));
  return out;
}

/**
 * Whether reading the versions in the range would cost more than comparing
 * the two states: the range holds at least as many versions as the state at
 * its end has facts (its latest checkpoint's count; counting stops there).
 * Without a checkpoint the state is itself read from versions. A checkpoint
 * inside the range does not say so: an old one is renewed after a few hundred
 * versions (checkpoint-format.ts), and a year of 5,000 HostConfigs' ~2,000
 * versions reads in 13 ms where their two states took 81.
 */
function rangeOutweighsStateWith(reads: ChangedKeyReads, lo: number, hi: number, source: SourceName): boolean {
  const head = reads.checkpointHead(source, hi);
  return head.snapshotId > 0 && reads.countVersions(source, lo, hi, head.facts) >= head.facts;
}

export function rangeOutweighsState(db: Db, lo: number, hi: number, source: SourceName): boolean {
  return rangeOutweighsStateWith(sqliteChangedKeyReads(db), lo, hi, source);
}

const AGENTS_READ_ALONE = 24;

/**
 * The agents' host lists are stored one row per host (agent-shape.ts): by
 * versions, each agent the range touched is read whole at both ends from its
 * own keys; by states, the two joined states are compared.
 */
function agentsByVersions(reads: ChangedKeyReads, a: number, b: number): ChangedKey[] {
  // The keys alone name the agents: their values at both ends (two seeks each, a year: 64 ms against 8) are read per agent below.
  const keys = reads.keysInRange(Math.min(a, b), Math.max(a, b), 'agents');
  const agents = new Set(keys.map((r) => (r.kind === 'agent_host' ? splitAgentHost(r.entity)[0] : r.entity)));
  // Each agent costs a seek per key it ever had, twice: past a few dozen, the two states are cheaper (a year: 175 ms against 15).
  if (agents.size > AGENTS_READ_ALONE) return byStates(reads, a, b, 'agents');
  return [...agents].map((entity) => ({ source: 'agents', kind: 'agent_role', entity, before: reads.agentRoleAt(entity, a), after: reads.agentRoleAt(entity, b) }));
}

/** changedKeysOfSource on any engine (pure: the reads are the caller's). */
export function changedKeysOfSourceWith(reads: ChangedKeyReads, a: number, b: number, source: SourceName, how?: 'versions' | 'states'): ChangedKey[] {
  const useStates = how ? how === 'states' : rangeOutweighsStateWith(reads, Math.min(a, b), Math.max(a, b), source);
  const rows = useStates ? byStates(reads, a, b, source) : source === 'agents' ? agentsByVersions(reads, a, b) : reads.byVersions(a, b, source);
  // A fact changed and changed back between the two is no change.
  return rows.filter((r) => r.before !== r.after);
}

export function changedKeysOfSource(db: Db, a: number, b: number, source: SourceName, how?: 'versions' | 'states'): ChangedKey[] {
  return changedKeysOfSourceWith(sqliteChangedKeyReads(db), a, b, source, how);
}

/** Facts whose value at snapshot `a` differs from their value at snapshot `b` (either order). */
export function changedKeys(db: Db, a: number, b: number, sources: readonly SourceName[]): ChangedKey[] {
  const reads = sqliteChangedKeyReads(db);
  return sources.flatMap((source) => changedKeysOfSourceWith(reads, a, b, source));
}
