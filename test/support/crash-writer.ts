// Child process for the crash test: writes snapshots of a 5,000-host cluster
// with churn, forever, printing "<id> <digest>" after each commit. The test
// kills it with SIGKILL at random moments.
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { observation } from './observation.js';
import { snapshotDigest } from './snapshot-digest.js';

const [path, seedText] = process.argv.slice(2);
const db = openDatabase(path!);
let seed = Number(seedText ?? 1);
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2 ** 31;
  return seed / 2 ** 31;
}

const leaves: Record<string, string[]> = {};
for (let i = 0; i < 5000; i++) (leaves[`L${Math.floor(i / 32)}`] ??= []).push(`h${i}`);

for (let n = 0; ; n++) {
  // 10% churn: move hosts to the last leaf, mark some missing / offline
  const moved = structuredClone(leaves);
  const missing: string[] = [];
  const offline: string[] = [];
  for (let i = 0; i < 500; i++) {
    const h = `h${Math.floor(random() * 5000)}`;
    if (random() < 0.5) missing.push(h);
    else offline.push(h);
  }
  moved[`X${n % 7}`] = [`h${5000 + n}`];
  const w = writeSnapshot(db, observation({ leaves: moved, missing: [...new Set(missing)], offline, at: Date.now() }));
  process.stdout.write(`${w.snapshotId} ${snapshotDigest(db, w.snapshotId)}\n`);
}
