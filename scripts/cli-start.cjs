// dist/cli/start.cjs, copied here by `npm run build`: how bin/treesnap starts a
// query. It runs the CLI bundle (main.cjs, beside it) with V8's code cache of it
// (main.cjs.cache, written by the build): the bundle's ~700 KB are then not
// compiled on every call, only checked and deserialized. V8 refuses a cache that
// another V8 version, other V8 flags or another source made, and the bundle is
// then compiled as a plain script, with the same answers (docs/performance-log.md:
// a startup snapshot, used before, cost more than compiling it saved).
//
// With TREESNAP_BUILDING_CODE_CACHE=1 (the build, only) the cache is written
// when the process exits, after main.cjs has parsed its typical command lines
// (src/cli/main.ts), so it holds their bytecode too.
'use strict';
const { readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const { setFlagsFromString } = require('node:v8');
const { Script } = require('node:vm');

// V8 checks a code cache's version, flags and source length, but its contents
// only with this flag: a damaged cache would otherwise crash the process
// (SIGSEGV). Set here, before the cache is made or read, so that both agree.
setFlagsFromString('--verify-snapshot-checksum');

const file = `${__dirname}/main.cjs`;
const cacheFile = `${file}.cache`;
const building = process.env.TREESNAP_BUILDING_CODE_CACHE === '1';

function readCache() {
  if (building || process.env.TREESNAP_NO_CODE_CACHE) return undefined;
  try {
    return readFileSync(cacheFile);
  } catch {
    return undefined;
  }
}

const cachedData = readCache();
const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
// For TREESNAP_DEBUG's start-up line (main.ts).
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
