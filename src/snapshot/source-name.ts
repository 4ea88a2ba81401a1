// The sources one collection reads. ZooKeeper is split by subtree so that a
// failed /hosts read makes only the registrations unknown, not the tree.
export const SOURCES = ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing', 'chairman', 'root', 'status'] as const;
export type SourceName = (typeof SOURCES)[number];

/** What users name on the command line (`--source zk`). */
export const SOURCE_GROUPS = {
  zk: ['zk.services', 'zk.roles', 'zk.hosts', 'zk.missing'],
  chairman: ['chairman'],
  root: ['root'],
  status: ['status'],
} as const satisfies Record<string, readonly SourceName[]>;
export type SourceGroup = keyof typeof SOURCE_GROUPS;

export function isSourceGroup(s: string): s is SourceGroup {
  return Object.hasOwn(SOURCE_GROUPS, s);
}
