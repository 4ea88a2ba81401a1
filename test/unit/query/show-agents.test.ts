// `show` without `--source agents` reads only the roles of the owners of the
// leaves it prints (the tree marks an owner whose agent disagrees); what it
// prints is what it prints with every agent's role read.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { showParts } from '../../../src/cli/commands/show.js';
import { renderSnapshotText } from '../../../src/cli/render/snapshot-text.js';
import { loadSnapshotOverview } from '../../../src/query/load-snapshot.js';
import { openDatabase } from '../../../src/store/open-database.js';
import { writeSnapshot } from '../../../src/store/write-snapshot.js';
import { observation } from '../../support/observation.js';

const dir = mkdtempSync(join(tmpdir(), 'treesnap-show-agents-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test("show reads only the roles of the printed leaves' owners, and prints the same", () => {
  const db = openDatabase(join(dir, 'agents.db'));
  // 55 leaves: show prints the first 50. Agents of owners within them (one holding another leaf), of one beyond, and of a host that owns none.
  const leaves: Record<string, string[]> = {};
  for (let i = 1; i <= 55; i++) leaves[`L${String(i).padStart(2, '0')}`] = [`h${i}`, `g${i}`];
  writeSnapshot(
    db,
    observation({
      leaves,
      agents: [
        { host: 'h2', state: 'role', leafId: 'L07', parentId: null, hostIds: ['h2', 'g2'] },
        { host: 'h3', state: 'no_role' },
        { host: 'g4', state: 'no_role' },
        { host: 'h52', state: 'no_role' },
      ],
      at: Date.UTC(2026, 0, 1),
    }),
  );
  const snapshot = db.resolveSnapshot({ kind: 'latest', back: 0 });
  const parts = showParts(['zk'], false);
  const shown = loadSnapshotOverview(db, snapshot, parts);
  const every = loadSnapshotOverview(db, snapshot, { ...parts, agents: true });
  assert.deepEqual(Object.keys(every.agents.value), ['g4', 'h2', 'h3', 'h52']);
  assert.deepEqual(Object.keys(shown.agents.value), ['h2', 'h3'], 'owners of the first 50 leaves only');
  assert.deepEqual(shown.agents.value.h2, every.agents.value.h2);
  const text = renderSnapshotText(shown, { sources: ['zk'] });
  assert.equal(text, renderSnapshotText({ ...shown, agents: every.agents }, { sources: ['zk'] }));
  assert.ok(text.includes('h2 (owner)  127.0.0.1:20002  ONLINE  AGENT HOLDS L07'), text);
  assert.ok(text.includes('h3 (owner)  127.0.0.1:20003  ONLINE  AGENT HOLDS NO ROLE'), text);
  assert.deepEqual(Object.keys(loadSnapshotOverview(db, snapshot, showParts(['zk', 'agents'], false)).agents.value), ['g4', 'h2', 'h3', 'h52']);
  db.$client.close();
});
