// The floor under every treesnap query on this machine, run as a whole call
// beside `node -e 0` (queries.ts startupRows): Node starts, loads
// better-sqlite3 (its JavaScript and native addon), opens the history
// read-only, reads the latest snapshot through its primary key (one seek) and
// prints it. No treesnap code runs: a query call can cost no less than this,
// so issue 17's whole-call target (<= 1.3x `node -e 0`) leaves a query only
// what is left above this row for parsing its arguments, its own reads and
// its output.
//
// Usage: node bench/query-floor.cjs HISTORY.db
'use strict';
const Database = require('better-sqlite3');

const db = new Database(process.argv[2], { readonly: true, fileMustExist: true });
const latest = db.prepare('SELECT cluster, id, started_at AS startedAt FROM snapshots ORDER BY cluster DESC, id DESC LIMIT 1').get();
db.close();
process.stdout.write(`${JSON.stringify(latest ?? null)}\n`);
