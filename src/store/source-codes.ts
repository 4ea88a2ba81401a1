// How the SQLite file names a source in its two biggest tables. Every version
// (fact_versions, and again in fact_versions_key_idx) and every outcome row
// (snapshot_sources, one per source per collection) holds its source; as a
// small integer instead of the name that is 11 MiB less of the bench's
// 100,000-snapshot history (migration 0009). The file lists the codes in its
// table source_codes, so SQL names a source through that table (codeOf,
// nameOf) and the file stays readable without treesnap. fact_keys and
// state_checkpoints keep the names: a row per key or per checkpoint, few.
// PostgreSQL keeps the names everywhere (its store is a server's, not a file).
import type Database from 'better-sqlite3';
import { DatabaseError } from '../errors.js';
import type { StoredSource } from '../snapshot/source-name.js';

/** A source's code, forever: written into the file, so never renumbered; a new source takes the next free one. */
export const SOURCE_CODES = {
  'zk.services': 1,
  'zk.roles': 2,
  'zk.hosts': 3,
  'zk.missing': 4,
  chairman: 5,
  root: 6,
  status: 7,
  agents: 8,
  drift: 9,
  'zk.stat': 10,
  'zk.watch': 11,
} as const satisfies Record<StoredSource, number>;

/** The code to store for a source named in a copied row (an import): a name this build does not know is stored as it is, never lost. */
export function codeToStore(name: string): number | string {
  return (SOURCE_CODES as Record<string, number>)[name] ?? name;
}

/** SQL for the code of the source that `name` (a parameter or a column holding a name) names; NULL for a name the file does not know. */
export function codeOf(name: string): string {
  return `(SELECT code FROM source_codes WHERE name = ${name})`;
}

/** SQL for the name of the source whose code `code` (a column) holds; a name stored as it was (codeToStore) is its own. */
export function nameOf(code: string): string {
  return `coalesce((SELECT name FROM source_codes WHERE code = ${code}), ${code})`;
}

/**
 * On each write-open, after the migrations: the file lists every code this
 * build writes (a source newer than the file is added), and lists none
 * differently, since the writers use SOURCE_CODES without asking the file.
 */
export function ensureSourceCodes(client: Database.Database): void {
  const wanted = Object.entries(SOURCE_CODES);
  let listed = listedCodes(client);
  if (wanted.some(([name]) => !listed.has(name))) {
    // OR IGNORE: another writer opening the file at the same time may add them first.
    const add = client.prepare('INSERT OR IGNORE INTO source_codes (code, name) VALUES (?, ?)');
    for (const [name, code] of wanted) if (!listed.has(name)) add.run(code, name);
    listed = listedCodes(client);
  }
  for (const [name, code] of wanted) {
    const has = listed.get(name);
    if (has !== code) throw new DatabaseError(`source_codes names ${name} ${has ?? 'nothing'}, where this treesnap writes ${code}: the file was changed by another program`);
  }
}

function listedCodes(client: Database.Database): Map<string, number> {
  const rows = client.prepare('SELECT code, name FROM source_codes').all() as { code: number; name: string }[];
  return new Map(rows.map((r) => [r.name, r.code]));
}
