// Each store's migrations hold its schema as it is now: drizzle-kit, asked to
// generate from src/store/schema.ts (SQLite) and src/store/postgres/schema.ts
// (PostgreSQL) against a copy of migrations/ and migrations-pg/, finds nothing
// to add. A schema change without its migration fails here, not on a user's history.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const STORES = [
  { dialect: 'sqlite', schema: './src/store/schema.ts', migrations: 'migrations' },
  { dialect: 'postgresql', schema: './src/store/postgres/schema.ts', migrations: 'migrations-pg' },
];

for (const store of STORES) {
  test(`${store.migrations}/ holds ${store.schema}: drizzle-kit has nothing to generate`, () => {
    // drizzle-kit takes its paths relative to the working directory: the copy lives under the checkout.
    mkdirSync('.tmp', { recursive: true });
    const dir = mkdtempSync(join('.tmp', 'migrations-'));
    try {
      const out = join(dir, 'out');
      cpSync(store.migrations, out, { recursive: true });
      const config = join(dir, 'drizzle.config.ts');
      writeFileSync(config, `export default ${JSON.stringify({ dialect: store.dialect, schema: store.schema, out: `./${relative('.', out)}` })};\n`);
      const before = readdirSync(out).sort();
      const r = spawnSync(join('node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', config], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr + r.stdout);
      assert.deepEqual(readdirSync(out).sort(), before, `drizzle-kit generated a migration:\n${r.stdout}`);
      assert.match(r.stdout, /No schema changes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
