// The sources one collection reads. ZooKeeper is split by subtree so that a
// failed /hosts read makes only the registrations unknown, not the tree.
// `agents` is last: it was added after the others, and outputs list sources in this order.
export const SOURCES = ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'chairman', 'root', 'status', 'agents'] as const;
export type SourceName = (typeof SOURCES)[number];

/**
 * Facts the store derives from the sources' facts rather than reads from the
 * cluster: `drift`, the disagreements between sources as they stood after
 * each snapshot (src/record/record-drift.ts). Stored and versioned like any
 * source's facts, but never collected and never unknown.
 */
export const DERIVED_SOURCES = ['drift'] as const;
export type DerivedSource = (typeof DERIVED_SOURCES)[number];

/**
 * Records the store keeps beside the sources' facts, from the same
 * collection: `zk.stat`, ZooKeeper's Stat of each node read
 * (src/snapshot/zk-stat-facts.ts). No outcome of their own: a node's Stat is
 * known exactly when its source was read. `zk.watch`, what the daemon's
 * watcher saw between two ticks, written with the snapshot that closes the
 * interval (src/snapshot/zk-watch-facts.ts).
 */
export const RECORD_SOURCES = ['zk.stat', 'zk.watch'] as const;
export type RecordSource = (typeof RECORD_SOURCES)[number];

/** Everything that has facts in the store. */
export const STORED_SOURCES = [...SOURCES, ...DERIVED_SOURCES, ...RECORD_SOURCES] as const;
export type StoredSource = SourceName | DerivedSource | RecordSource;

/** What users name on the command line (`--source zk`). */
export const SOURCE_GROUPS = {
  zk: ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing'],
  chairman: ['chairman'],
  root: ['root'],
  status: ['status'],
  agents: ['agents'],
} as const satisfies Record<string, readonly SourceName[]>;
export type SourceGroup = keyof typeof SOURCE_GROUPS;

/** The names `--source` takes. */
export const SOURCE_GROUP_NAMES = Object.keys(SOURCE_GROUPS) as SourceGroup[];
