// Section queries-pg: the queries section's in-process calls on PostgreSQL,
// beside SQLite's on the same generated history (history-cache.ts and
// pg-history-cache.ts; both written through the store's delta API). Each query
// runs as the CLI answers it on either store: through the history's reader
// (src/store/history-reader.ts), SQLite's file or PostgreSQL's synchronous
// session. A row without a PostgreSQL figure would say it is not served there,
// never show a number that was not measured.
import { openDatabase } from '../../src/store/open-database.js';
import { openPostgresReader } from '../../src/store/history-store.js';
import type { HistoryReader } from '../../src/store/history-reader.js';
import { historySpec, type HistorySpec } from '../history/generate-history.js';
import { historyFile } from '../history/history-cache.js';
import { pgHistory } from '../history/pg-history-cache.js';
import { databaseBytes, type BenchPostgres } from '../postgres.js';
import { table, type Cell } from '../table.js';
import { CASES, targets, timeCalls, type Iterations, type QueryTiming, type Targets } from './queries.js';

export interface EngineRow {
  name: string;
  sqlite: QueryTiming;
  postgres: QueryTiming;
}

export interface QueriesPgResult {
  spec: HistorySpec;
  sqlite: { reused: boolean; generationMs: number; bytes: number };
  postgres: { origin: BenchPostgres['origin']; reused: boolean; generationMs: number; restoreMs: number | null; dumpBytes: number; databaseBytes: number };
  rows: EngineRow[];
}

export interface QueriesPgOptions extends Iterations {
  hosts: number;
  snapshots: number;
  cacheDir: string;
  log: (line: string) => void;
}

/** Both stores hold the same generated history: the same last snapshot, at the same time (else the comparison is void). */
function sameHistory(db: HistoryReader, t: Targets): void {
  const last = db.resolveSnapshot({ kind: 'latest', back: 0 });
  if (last.id !== t.last.id || last.startedAt !== t.last.startedAt) {
    throw new Error(`queries-pg: PostgreSQL's history ends at #${last.id} (${last.startedAt}), SQLite's at #${t.last.id} (${t.last.startedAt}): not the same history`);
  }
}

export async function benchQueriesPg(pg: BenchPostgres, o: QueriesPgOptions): Promise<QueriesPgResult> {
  const spec = historySpec(o.hosts, o.snapshots);
  const file = historyFile(o.cacheDir, spec, (done) => o.log(`  SQLite: generated ${done}/${spec.snapshots} snapshots`));
  o.log(file.reused ? `  SQLite: reusing ${file.path}` : `  SQLite: generated in ${(file.generated.ms / 1000).toFixed(1)} s`);
  const onPg = await pgHistory(pg.url, o.cacheDir, spec, (done) => o.log(`  PostgreSQL: written ${done}/${spec.snapshots} snapshots`));
  o.log(onPg.reused ? `  PostgreSQL: restored the cached dump in ${(onPg.restoreMs! / 1000).toFixed(1)} s` : `  PostgreSQL: written through the delta API in ${(onPg.generated.ms / 1000).toFixed(1)} s`);
  const db = openDatabase(file.path, { readonly: true });
  const reader = await openPostgresReader(onPg.url);
  try {
    const t = targets(db);
    sameHistory(reader, t);
    const rows: EngineRow[] = [];
    for (const c of CASES) {
      o.log(`  in process, both stores: ${c.name}`);
      const sqlite = await timeCalls(c.name, (p) => c.inProcess(db, t, p), o);
      const postgres = await timeCalls(c.name, (p) => c.inProcess(reader, t, p), o);
      rows.push({ name: c.name, sqlite, postgres });
    }
    return {
      spec,
      sqlite: { reused: file.reused, generationMs: file.generated.ms, bytes: file.generated.bytes },
      postgres: { origin: pg.origin, reused: onPg.reused, generationMs: onPg.generated.ms, restoreMs: onPg.restoreMs, dumpBytes: onPg.generated.dumpBytes, databaseBytes: await databaseBytes(onPg.url) },
      rows,
    };
  } finally {
    db.$client.close();
    await reader.close();
  }
}

const MiB = 2 ** 20;

/** One row per query: its p50/p99 on each store and their ratio (pure). */
export function enginesTable(r: QueriesPgResult): string {
  const s = r.spec;
  const rows = r.rows.map((q): Cell[] => {
    const a = q.sqlite.ms;
    const b = q.postgres.ms;
    return [q.name, a.n, a.p50, a.p99, b.n, b.p50, b.p99, b.p50 / a.p50];
  });
  return table(
    `Queries in process on both stores: ${s.snapshots} snapshots of ${s.hosts} hosts (SQLite ${(r.sqlite.bytes / MiB).toFixed(0)} MiB, PostgreSQL ${(r.postgres.databaseBytes / MiB).toFixed(0)} MiB); ms, each store on the CLI's own path`,
    ['query', 'SQLite calls', 'SQLite p50', 'SQLite p99', 'PostgreSQL calls', 'PostgreSQL p50', 'PostgreSQL p99', 'p50 PG/SQLite'],
    rows,
  );
}

/** How each history came to be: generated (and how long) or reused (pure). */
export function historiesLine(r: QueriesPgResult): string {
  const sec = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const sqlite = r.sqlite.reused ? `SQLite: cached file (generated in ${sec(r.sqlite.generationMs)} when made)` : `SQLite: generated in ${sec(r.sqlite.generationMs)}`;
  const pg = r.postgres.reused
    ? `PostgreSQL (${r.postgres.origin}): restored from its pg_dump (${(r.postgres.dumpBytes / MiB).toFixed(0)} MiB) in ${sec(r.postgres.restoreMs!)}; written through the delta API in ${sec(r.postgres.generationMs)} when made`
    : `PostgreSQL (${r.postgres.origin}): written through the delta API in ${sec(r.postgres.generationMs)}, one transaction per collection`;
  return `${sqlite}; ${pg}`;
}
