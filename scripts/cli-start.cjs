// dist/cli/start.cjs, copied here by `npm run build`: how bin/treesnap starts a
// query. It runs a CLI bundle with V8's code cache of it (written by the build):
// the bundle is then not compiled on every call, only checked and deserialized.
// V8 refuses a cache that another V8 version, other V8 flags or another source
// made, and the bundle is then compiled as a plain script, with the same answers
// (docs/performance-log.md: a startup snapshot, used before, cost more than
// compiling it saved).
//
// Which bundle: a query command (QUERIES) starts from queries.cjs, which holds
// the queries and none of the collector, daemon, simulator or upkeep code, so
// a call reads and deserializes about half the code (docs/performance-log.md,
// "Queries", 2026-12-07 afternoon); anything else (another command, an option
// first, --help, --version), or a copy without queries.cjs, from main.cjs,
// which has every command.
//
// With TREESNAP_BUILDING_CODE_CACHE=<bundle> (the build, only) that bundle's
// cache is written when the process exits, after it has parsed its typical
// command lines (src/cli/program.ts), so it holds their bytecode too.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

// V8 checks a code cache's version, flags and source length, but its contents
// only with this flag: a damaged cache would otherwise crash the process
// (SIGSEGV). Set here, before the cache is made or read, so that both agree.
setFlagsFromString('--verify-snapshot-checksum');

/** src/cli/query-commands.ts's commands (test/unit/cli/query-commands.test.ts keeps the two alike). */
const QUERIES = new Set(['snapshots', 'diff', 'drift', 'history', 'missing', 'timeline', 'report', 'show']);

const building = process.env.TREESNAP_BUILDING_CODE_CACHE;

/** The bundle to run and its text: queries.cjs for a query, when there is one; main.cjs otherwise. */
function chooseBundle() {
  const read = (name) => ({ file: `${__dirname}/${name}`, source: readFileSync(`${__dirname}/${name}`, 'utf8') });
  if (building) return read(building);
  if (QUERIES.has(process.argv[2])) {
    try {
      return read('queries.cjs');
    } catch (e) {
      if (e.code !== 'ENOENT') throw e;
    }
  }
  return read('main.cjs');
}

const { file, source } = chooseBundle();
const cacheFile = `${file}.cache`;

function readCache() {
  if (building || process.env.TREESNAP_NO_CODE_CACHE) return undefined;
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new Script(Module.wrap(source), { filename: file, cachedData });
// For TREESNAP_DEBUG's start-up line (src/cli/program.ts).
globalThis.__treesnapCodeCache = cachedData === undefined ? 'none' : script.cachedDataRejected ? 'rejected' : 'used';
if (building) {
  process.once('exit', () => {
    writeFileSync(`${cacheFile}.tmp`, script.createCachedData());
    renameSync(`${cacheFile}.tmp`, cacheFile);
  });
}
const main = new Module(file, null);
main.filename = file;
script.runInThisContext().call(main.exports, main.exports, Module.createRequire(file), main, file, __dirname);
