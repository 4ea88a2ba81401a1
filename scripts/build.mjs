// `npm run build`: bundles the CLI and its two worker threads with
// esbuild, then makes a V8 startup snapshot of the CLI. What it writes:
//
//   dist/cli/main.cjs       the CLI: one CommonJS file (a snapshot is built from one script)
//   dist/cli/main.blob      its V8 startup snapshot: every module already loaded and initialized
//   dist/cli/main.blob.node how to run it: the path of the node binary that built it,
//                           which alone can load it, and the V8 flags it was built with
//   dist/cli/main.blob.mtime an empty file with that binary's mtime (bin/treesnap compares
//                           the two with the shell's test builtins, without a fork)
//   dist/daemon/collection-worker.js  the daemon's worker thread (ESM)
//   dist/store/pg-sync-worker.js      the synchronous PostgreSQL session's worker thread (ESM)
//
// bin/treesnap runs the CLI from the snapshot when the node on PATH is the one
// that built it, and as a plain script otherwise. Starting from the snapshot
// skips reading, compiling and initializing ~700 KB of JavaScript on every
// call (README "Performance").
//
// Both bundles sit two levels below the package root, so paths the code
// derives from import.meta.url (../../migrations, ../daemon/collection-worker.js)
// hold in the bundles as in src/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';

const version = JSON.parse(readFileSync('package.json', 'utf8')).version;

// Loaded from node_modules at run time: the clients only collect, run and sim
// use (outside node_modules, node-zookeeper-client's `new Buffer()` would print
// Node's deprecation warning on every collection). better-sqlite3's JavaScript
// is bundled; its native addon loads at run time (src/store/sqlite-driver.ts).
// pg likewise: only a PostgreSQL history loads it (src/store/postgres/connect.ts).
const external = ['node-zookeeper-client', 'thrift', 'node-int64', 'node-cron', 'pg'];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external,
  // yargs' help layout measures text with string-width, whose regexes take ~70 ms to compile (see the file).
  alias: { 'string-width': './src/cli/string-width.ts' },
  define: { TREESNAP_VERSION: JSON.stringify(version) },
  logLevel: 'warning',
  // The generated Thrift code repeats `case 0:` in its switch statements; harmless, and never edited by hand.
  logOverride: { 'duplicate-case': 'silent' },
};

// Head of the CLI bundle. While a snapshot is built, require() loads only
// Node's built-in modules and __filename is the build's path; the snapshot is
// then loaded by later calls, maybe from another directory. So require() and
// import.meta.url go through two variables that a deserialize callback points
// at this run's main.cjs (bin/treesnap passes its path as argv[1]). Modules
// from node_modules, and the native addon, are required only when a command
// runs (src/store/sqlite-driver.ts, and the collector behind dynamic imports).
const SNAPSHOT_GLUE = `let __treesnapRequire = require;
let __treesnapModuleUrl = require("node:url").pathToFileURL(__filename).href;
require = (id) => __treesnapRequire(id);
if (require("node:v8").startupSnapshot.isBuildingSnapshot()) {
  require("node:v8").startupSnapshot.addDeserializeCallback(() => {
    const main = __treesnapRequire("node:path").resolve(process.argv[1] ?? __filename);
    __treesnapRequire = __treesnapRequire("node:module").createRequire(main);
    __treesnapModuleUrl = __treesnapRequire("node:url").pathToFileURL(main).href;
  });
}`;

// V8 flags the snapshot is built with; a run from it must pass the same ones
// (bin/treesnap reads them from main.blob.node). A young generation of 16 MiB
// from the start: a query's first tens of megabytes of facts are then not
// copied by one scavenge after another (10 ms of a 300 ms `show`).
const SNAPSHOT_FLAGS = ['--min-semi-space-size=16'];

function buildSnapshot(script, blob) {
  const r = spawnSync(process.execPath, [...SNAPSHOT_FLAGS, '--snapshot-blob', blob, '--build-snapshot', script], { encoding: 'utf8' });
  if (r.status !== 0) {
    // bin/treesnap then runs the plain bundle: slower to start, same results.
    process.stderr.write(`build: the startup snapshot of ${script} failed (exit ${r.status}); the plain bundle will run:\n${r.stderr}`);
    rmSync(blob, { force: true });
    return;
  }
  writeFileSync(`${blob}.node`, `${process.execPath}\n${SNAPSHOT_FLAGS.join(' ')}\n`);
  writeFileSync(`${blob}.mtime`, '');
  // touch -r copies the mtime to the nanosecond (fs.utimesSync takes float seconds).
  const touched = spawnSync('touch', ['-r', process.execPath, `${blob}.mtime`], { encoding: 'utf8' });
  if (touched.status !== 0) {
    process.stderr.write(`build: touch -r ${process.execPath} failed (${touched.stderr.trim()}); the plain bundle will run\n`);
    rmSync(`${blob}.node`, { force: true });
  }
}

rmSync('dist', { recursive: true, force: true });
const [cli] = await Promise.all([
  build({
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli/main.cjs',
    format: 'cjs',
    // import.meta.resolve is called only when running from source (src/daemon/worker-collector.ts).
    define: { ...common.define, 'import.meta.url': '__treesnapModuleUrl', 'import.meta.resolve': 'undefined' },
    banner: { js: SNAPSHOT_GLUE },
    // Minified: the startup snapshot holds the whole script's source and what its modules
    // build, and every call reads, copies and deserializes all of it before our code runs
    // (node::SnapshotData::FromFile and V8's deserializer: about half of a `--version`'s
    // CPU beyond a bare `node -e 0`). Minified, the blob is 7.5 → 5.6 MB: 1,300 fewer page
    // faults and ~30 ms less CPU per call (README "Performance"). keepNames: error names,
    // class names and stack frames read as in the source; the linked map (main.cjs.map)
    // gives source lines to `NODE_OPTIONS=--enable-source-maps treesnap ...`.
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
  }),
  build({
    ...common,
    entryPoints: ['src/daemon/collection-worker.ts'],
    outfile: 'dist/daemon/collection-worker.js',
    format: 'esm',
    // Bundled CommonJS (the generated Thrift code) calls require().
    banner: { js: "import { createRequire as __treesnapRequire } from 'node:module'; const require = __treesnapRequire(import.meta.url);" },
  }),
  // The synchronous PostgreSQL session's worker (src/store/postgres/pg-sync.ts): one connection, for the queries.
  build({
    ...common,
    entryPoints: ['src/store/postgres/pg-sync-worker.ts'],
    outfile: 'dist/store/pg-sync-worker.js',
    format: 'esm',
    banner: { js: "import { createRequire as __treesnapRequire } from 'node:module'; const require = __treesnapRequire(import.meta.url);" },
  }),
]);
buildSnapshot('dist/cli/main.cjs', 'dist/cli/main.blob');
if (process.argv.includes('--analyze')) process.stdout.write(await (await import('esbuild')).analyzeMetafile(cli.metafile));
