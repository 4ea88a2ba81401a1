// Kills a real writer process with SIGKILL in the middle of collections and
// checks the database afterwards: integrity ok, every committed snapshot
// reads back exactly as it was committed.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { snapshotDigest } from '../support/snapshot-digest.js';

function runAndKill(path: string, seed: number, killAfterMs: number): Promise<Map<number, string>> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/crash-writer.ts', path, String(seed)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed = new Map<number, string>();
    let buffer = '';
    child.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        const [id, digest] = line.split(' ');
        committed.set(Number(id), digest!);
      }
    });
    setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', () => resolve(committed));
  });
}

test('SIGKILL at random points leaves an intact database and every committed snapshot unchanged', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-crash-'));
  const path = join(dir, 'history.db');
  const all = new Map<number, string>();
  try {
    for (let round = 0; round < 6; round++) {
      const committed = await runAndKill(path, round + 1, 1500 + Math.floor(Math.random() * 2500));
      for (const [id, digest] of committed) all.set(id, digest);
      const db = openDatabase(path);
      assert.equal(db.$client.pragma('integrity_check', { simple: true }), 'ok');
      for (const [id, digest] of all) assert.equal(snapshotDigest(db, id), digest, `snapshot #${id} changed`);
      db.$client.close();
    }
    assert.ok(all.size >= 3, `expected several committed snapshots, got ${all.size}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
