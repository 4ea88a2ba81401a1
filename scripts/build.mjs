// `npm run build`: bundles the CLI and the daemon's collection worker with
// esbuild into dist/. One file per command path instead of ~200 modules is
// what makes a CLI call start in about 0.2 s (README "Performance"); code that
// only some commands need (the collector, the daemon, the simulator) is split
// into chunks loaded when that command runs.
//
// Layout: every output file sits two levels below the package root
// (dist/cli/main.js, dist/daemon/collection-worker.js, dist/chunks/*.js), so
// paths the code derives from import.meta.url (../../migrations,
// ../daemon/collection-worker.js) hold wherever esbuild puts that code.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync('dist', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/main.ts', 'src/daemon/collection-worker.ts'],
  outbase: 'src',
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Loaded from node_modules at run time: the native addon, and the clients only
  // collect, run and sim use (outside node_modules, node-zookeeper-client's
  // `new Buffer()` would print Node's deprecation warning on every collection).
  external: ['better-sqlite3', 'node-zookeeper-client', 'thrift', 'node-int64', 'node-cron'],
  // yargs' help layout measures text with string-width, whose regexes take ~70 ms to compile (see the file).
  alias: { 'string-width': './src/cli/string-width.ts' },
  // Bundled CommonJS (the generated Thrift code, yargs' helpers) calls require().
  banner: { js: "import { createRequire as __treesnapRequire } from 'node:module'; const require = __treesnapRequire(import.meta.url);" },
  logLevel: 'warning',
  // The generated Thrift code repeats `case 0:` in its switch statements; harmless, and never edited by hand.
  logOverride: { 'duplicate-case': 'silent' },
  metafile: true,
}).then((r) => {
  if (process.argv.includes('--analyze')) import('esbuild').then((e) => e.analyzeMetafile(r.metafile)).then((t) => process.stdout.write(t));
});
