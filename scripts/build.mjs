// `npm run build`: bundles the CLI and its worker thread with esbuild, then
// writes V8's code cache of each CLI bundle. What it writes:
//
//   dist/cli/main.cjs        the CLI with every command: one CommonJS file
//   dist/cli/queries.cjs     the CLI with the queries alone (src/cli/query-main.ts)
//   dist/cli/start.cjs       how bin/treesnap starts a command: one of the two with its code cache (scripts/cli-start.cjs)
//   dist/cli/*.cjs.cache     V8's code cache of each: its bytecode, so a call does not compile it
//   dist/store/pg-sync-worker.js      the synchronous PostgreSQL session's worker thread (ESM)
//
// Every bundle sits two levels below the package root, so paths the code
// derives from import.meta.url (../../migrations, ../store/pg-sync-worker.js)
// hold in the bundles as in src/.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, rmSync } from 'node:fs';

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

// Head of the CLI bundle: import.meta.url as the bundle's own file URL.
const CLI_HEAD = 'let __treesnapModuleUrl = require("node:url").pathToFileURL(__filename).href;';

/**
 * V8's code cache of a CLI bundle (`dir/name.cache`), through dist/cli/start.cjs
 * (scripts/cli-start.cjs): one run of the bundle that parses the typical command
 * lines (src/cli/program.ts), after which the cache is written. Without a cache
 * every call compiles the bundle: slower to start, same results.
 */
function writeCodeCache(dir, name) {
  const r = spawnSync(process.execPath, [`${dir}/start.cjs`], { encoding: 'utf8', env: { ...process.env, TREESNAP_BUILDING_CODE_CACHE: name } });
  if (r.status !== 0 || !existsSync(`${dir}/${name}.cache`)) {
    process.stderr.write(`build: the code cache of ${dir}/${name} was not written (exit ${r.status}); every call will compile the bundle:\n${r.stderr}`);
  }
}

/** A CLI bundle: one CommonJS file from `entry`, run by dist/cli/start.cjs. */
function cliBundle(entry, outfile) {
  return build({
    ...common,
    entryPoints: [entry],
    outfile,
    format: 'cjs',
    // import.meta.resolve is called only when running from source (src/util/spawn-worker.ts).
    define: { ...common.define, 'import.meta.url': '__treesnapModuleUrl', 'import.meta.resolve': 'undefined' },
    banner: { js: CLI_HEAD },
    // Minified: every call reads the whole script, and V8 checks and deserializes its
    // code cache (1.24 -> 0.63 MB of JavaScript). keepNames: error names, class names and
    // stack frames read as in the source; the linked map (main.cjs.map) gives source lines
    // to `NODE_OPTIONS=--enable-source-maps treesnap ...`.
    minify: true,
    keepNames: true,
    sourcemap: 'linked',
    metafile: true,
  });
}

rmSync('dist', { recursive: true, force: true });
const [cli, queries] = await Promise.all([
  cliBundle('src/cli/main.ts', 'dist/cli/main.cjs'),
  cliBundle('src/cli/query-main.ts', 'dist/cli/queries.cjs'),
  // The synchronous PostgreSQL session's worker (src/store/postgres/pg-sync.ts): one connection, for the queries.
  build({
    ...common,
    entryPoints: ['src/store/postgres/pg-sync-worker.ts'],
    outfile: 'dist/store/pg-sync-worker.js',
    format: 'esm',
    // Bundled CommonJS calls require().
    banner: { js: "import { createRequire as __treesnapRequire } from 'node:module'; const require = __treesnapRequire(import.meta.url);" },
  }),
]);
copyFileSync('scripts/cli-start.cjs', 'dist/cli/start.cjs');
writeCodeCache('dist/cli', 'main.cjs');
writeCodeCache('dist/cli', 'queries.cjs');
if (process.argv.includes('--analyze')) for (const b of [cli, queries]) process.stdout.write(await (await import('esbuild')).analyzeMetafile(b.metafile));
