// The sources a table keyed by (cluster, source, ...) holds for the current
// cluster, as the subquery of `source IN (...)`: each found by a skip along
// the key, one index seek per source, so that a condition on a later key
// column (a snapshot range) can be read as a range of the key per source
// rather than a scan of the table (SQLite's plans: test/unit/query/query-plans.test.ts).
type KeyedBySource = 'snapshot_sources' | 'fact_versions';

export function sourcesNamedIn(table: KeyedBySource): string {
  return `WITH RECURSIVE named(source) AS (
    SELECT (SELECT min(source) FROM ${table} WHERE cluster = current_cluster())
    UNION ALL
    SELECT (SELECT min(source) FROM ${table} WHERE cluster = current_cluster() AND source > named.source)
    FROM named WHERE named.source IS NOT NULL)
  SELECT source FROM named WHERE source IS NOT NULL`;
}
