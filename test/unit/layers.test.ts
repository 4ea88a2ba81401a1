// The layering of src/ (README "Layout"), checked on every unit run: imports
// between top folders run downward only, and no files import each other in a loop.
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { checkLayers, importCycles, importEdges, layerViolations, LAYERS, ownershipViolations, topFolder } from '../../scripts/check-layers.js';

test('src/ imports run downward through the layers, with no import loop', () => {
  const edges = importEdges(resolve('src'));
  assert.ok(edges.length > 300, 'the imports of src/ are read');
  assert.deepEqual(checkLayers(resolve('src')), []);
});

test('every top folder of src/ has a layer', () => {
  const folders = new Set(importEdges(resolve('src')).flatMap((e) => [topFolder(e.from), topFolder(e.to)]));
  for (const f of folders) assert.ok(LAYERS.some((l) => l.includes(f)), f);
});

test('an upward import, a sideways one, an unknown folder and a loop are each reported', () => {
  const edges = [
    { from: 'store/a.ts', to: 'query/b.ts' },
    { from: 'query/b.ts', to: 'store/a.ts' },
    { from: 'report/r.ts', to: 'daemon/d.ts' },
    { from: 'cli/c.ts', to: 'nowhere/n.ts' },
    { from: 'query/x.ts', to: 'query/y.ts' },
    { from: 'query/y.ts', to: 'query/z.ts' },
    { from: 'query/z.ts', to: 'query/x.ts' },
  ];
  assert.deepEqual(layerViolations(edges), [
    'store/a.ts -> query/b.ts: store may not import query (upward)',
    'report/r.ts -> daemon/d.ts: report may not import daemon (same layer)',
    'cli/c.ts -> nowhere/n.ts: folder nowhere has no layer in scripts/check-layers.ts',
  ]);
  assert.deepEqual(importCycles(edges).sort(), ['import loop: query/b.ts, store/a.ts', 'import loop: query/x.ts, query/y.ts, query/z.ts']);
});

test('the raw SQLite client and the exit status are used only by their owners', () => {
  const files = new Map([
    ['store/open.ts', "import Database from 'better-sqlite3';\nexport const close = (db) => db.$client.close();"],
    ['verify/v.ts', 'db.$client.pragma("quick_check");'],
    ['query/q.ts', "import Database from 'better-sqlite3';"],
    ['cli/commands/c.ts', 'process.exitCode = 3;'],
    ['cli/program.ts', 'process.exitCode = code;'],
    ['store/postgres/connect.ts', "const pg = (await import('pg')).default;"],
    ['store/history.ts', "import type { Pool } from 'pg';"],
  ]);
  assert.deepEqual(ownershipViolations(files), [
    'verify/v.ts: uses the raw SQLite client ($client), which only its owner may',
    'query/q.ts: uses better-sqlite3, which only its owner may',
    'cli/commands/c.ts: uses process.exitCode, which only its owner may',
    'store/history.ts: uses pg, which only its owner may',
  ]);
});
