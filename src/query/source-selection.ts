// The sources a `--source zk|chairman|root|status` selection means (pure);
// none given means all of them, in the store's order.
import { SOURCE_GROUPS, SOURCES, type SourceGroup, type SourceName } from '../snapshot/source-name.js';

export function sourcesOf(groups: readonly SourceGroup[] | undefined): SourceName[] {
  if (!groups?.length) return [...SOURCES];
  const wanted = new Set<SourceName>(groups.flatMap((g) => SOURCE_GROUPS[g]));
  return SOURCES.filter((s) => wanted.has(s));
}
