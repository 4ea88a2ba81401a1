// What opening the PostgreSQL reader costs (pg-reader.ts openPgReader: the
// session's worker starts, connects, checks the schema and finds the cluster),
// against opening the async store: N opens each, wall per open, on TREESNAP_PG.
// The first open of a process is the cold one a CLI command pays (loading pg);
// `first` runs only that one, of the one named: run it in fresh processes.
//   npx tsx scripts/with-postgres.ts npx tsx bench/storage/pg-reader-open.ts [N | first store|reader]
import { openHistoryStore } from '../../src/store/history-store.js';
import { openPgReader } from '../../src/store/postgres/pg-reader.js';

const N = Number(process.argv[2] ?? 10);
const url = process.env.TREESNAP_PG;
if (!url) throw new Error('TREESNAP_PG is not set (run under scripts/with-postgres.ts)');
if (process.argv[2] === 'first') {
  const t = performance.now();
  const h = process.argv[3] === 'reader' ? await openPgReader(url) : await openHistoryStore(url);
  process.stdout.write(`${process.argv[3]}: first open ${(performance.now() - t).toFixed(0)} ms\n`);
  await h.close();
  process.exit(0);
}
await (await openHistoryStore(url)).close();

async function timed(label: string, open: () => Promise<{ close(): Promise<void> }>): Promise<void> {
  const walls: number[] = [];
  for (let i = 0; i < N; i++) {
    const t = performance.now();
    const h = await open();
    walls.push(performance.now() - t);
    await h.close();
  }
  walls.sort((a, b) => a - b);
  process.stdout.write(`${label}: open ${walls[0]!.toFixed(0)}-${walls.at(-1)!.toFixed(0)} ms (median ${walls[N >> 1]!.toFixed(0)}, ${N} opens)\n`);
}

await timed('async store', () => openHistoryStore(url));
await timed('sync reader', () => openPgReader(url));
