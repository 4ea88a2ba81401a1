// What the synchronous PostgreSQL session (src/store/postgres/pg-sync.ts)
// costs per statement: N `SELECT 1` through it, against N through the async
// store's pool (pg, awaited one at a time), on the server TREESNAP_PG names.
// Prints wall and this process's CPU (user+sys, all threads) per statement.
//   npx tsx scripts/with-postgres.ts npx tsx bench/storage/pg-sync-cost.ts [N]
import { openPgDatabase, closePgDatabase } from '../../src/store/postgres/open-pg.js';
import { openPgSync } from '../../src/store/postgres/pg-sync.js';

const N = Number(process.argv[2] ?? 1000);
const url = process.env.TREESNAP_PG;
if (!url) throw new Error('TREESNAP_PG is not set (run under scripts/with-postgres.ts)');

function cost(label: string, t0: bigint, c0: NodeJS.CpuUsage): void {
  const wall = Number(process.hrtime.bigint() - t0) / 1e3 / N;
  const c = process.cpuUsage(c0);
  process.stdout.write(`${label}: ${wall.toFixed(1)} µs wall, ${((c.user + c.system) / N).toFixed(1)} µs CPU per statement (${N})\n`);
}

const db = await openPgDatabase(url, { max: 1 });
const client = await db.pool.connect();
for (let i = 0; i < 100; i++) await client.query('SELECT 1');
let t0 = process.hrtime.bigint();
let c0 = process.cpuUsage();
for (let i = 0; i < N; i++) await client.query('SELECT 1');
cost('async pg', t0, c0);
client.release();
await closePgDatabase(db);

const session = await openPgSync(url);
for (let i = 0; i < 100; i++) session.query('SELECT 1');
t0 = process.hrtime.bigint();
c0 = process.cpuUsage();
for (let i = 0; i < N; i++) session.query('SELECT 1');
cost('sync bridge', t0, c0);
await session.close();
