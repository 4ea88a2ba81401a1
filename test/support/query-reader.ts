// Child process for the concurrent-readers test: runs queries in a loop on a
// history file that another process is writing, for a fixed time, and checks
// what it reads as it goes: every snapshot it can see has an outcome row for
// every source (never half a snapshot), and a snapshot's fingerprint never
// changes once seen. Prints one JSON line at the end:
//   {"iterations":n,"opens":n,"fingerprints":{"<id>":"<hex>"},"errors":["..."]}
// Usage: node --import tsx test/support/query-reader.ts <db path> <duration ms>
import { loadDriftHistory } from '../../src/query/load-drift-history.js';
import { loadMissing } from '../../src/query/load-missing.js';
import { loadTimeline } from '../../src/query/load-timeline.js';
import { SOURCES } from '../../src/snapshot/source-name.js';
import { openDatabase, type SqliteHistory } from '../../src/store/open-database.js';
import { sourceOutcomes } from '../../src/store/snapshot-index.js';
import { snapshotFingerprint } from './snapshot-fingerprint.js';

const [path, durationText] = process.argv.slice(2);
const until = Date.now() + Number(durationText);
const MIN_LOOPS = 10;
const fingerprints = new Map<number, string>();
const errors: string[] = [];
let iterations = 0;
let opens = 0;

function note(e: unknown): void {
  if (errors.length < 20) errors.push(e instanceof Error ? `${e.name}: ${e.message}` : String(e));
}

function readOnce(db: SqliteHistory): void {
  const ids = db.$client.prepare('SELECT id FROM snapshots ORDER BY id').pluck().all() as number[];
  for (const id of ids) {
    if (fingerprints.has(id)) continue;
    const outcomes = sourceOutcomes(db, id).length;
    if (outcomes !== SOURCES.length) errors.push(`half a snapshot: #${id} has ${outcomes} of ${SOURCES.length} source outcomes`);
    fingerprints.set(id, snapshotFingerprint(db, id));
  }
  // Look again at one seen earlier: it must read back exactly the same.
  if (ids.length > 0) {
    const id = ids[iterations % ids.length]!;
    const again = snapshotFingerprint(db, id);
    if (again !== fingerprints.get(id)) errors.push(`snapshot #${id} changed after it was committed`);
  }
  loadMissing(db, {});
  loadTimeline(db, { since: 0 });
  loadDriftHistory(db, {});
}

async function main(): Promise<void> {
  let db: SqliteHistory | null = null;
  // At least MIN_LOOPS however loaded the machine: the test checks what was read, not how fast.
  while (Date.now() < until || iterations < MIN_LOOPS) {
    try {
      // A long-lived connection, reopened now and then (opening while a writer commits is a case too).
      if (!db || iterations % 10 === 0) {
        db?.$client.close();
        db = openDatabase(path!, { readonly: true });
        opens += 1;
      }
      readOnce(db);
    } catch (e) {
      note(e);
    }
    iterations += 1;
    await new Promise((r) => setImmediate(r));
  }
  db?.$client.close();
  process.stdout.write(`${JSON.stringify({ iterations, opens, fingerprints: Object.fromEntries(fingerprints), errors })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`query-reader: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
