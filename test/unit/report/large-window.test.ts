// A window with thousands of everything: 10,000 collections, 3,000 missing
// hosts, 2,500 status episodes, 2,000 drift episodes, a 5,000-host tree. The
// report groups and caps every table, collapses the large groups, merges the
// chart's points, and stays fast.
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import type { ChangeEvent } from '../../../src/query/change-event.js';
import type { ChangeItem } from '../../../src/query/classify-change.js';
import { buildReport } from '../../../src/report/build-report.js';
import { renderReport } from '../../../src/report/render-report.js';
import { htmlTables, markdownTables } from '../../support/report-tables.js';
import { change, collection, driftEpisode, missingEpisode, reportInput, snapshotOverview, sourceDiff, statusFlip, treeView } from './fixtures.js';

const COLLECTIONS = 10_000;
const pad = (i: number) => String(i).padStart(4, '0');

function largeInput() {
  const collections = Array.from({ length: COLLECTIONS }, (_, i) => collection(i + 1, i % 50 === 49 ? { failed: ['chairman'] } : { offline: i % 7 }));
  const missing = Array.from({ length: 3000 }, (_, i) => {
    const by = 2 + ((i * 3) % 9000);
    return missingEpisode(`h${pad(i)}`, by - 1, by, by + 99, i % 10 === 0 ? null : by + 100);
  });
  const events: ChangeEvent[] = [];
  for (let i = 0; i < 2500; i++) {
    const by = 2 + ((i * 3) % 9000);
    events.push(statusFlip(by, `h${pad(i)}`, 'ONLINE', 'OFFLINE'), statusFlip(by + 50, `h${pad(i)}`, 'OFFLINE', 'ONLINE'));
  }
  for (let i = 0; i < 300; i++) {
    events.push(change(10 + i * 30, 'zk.services', { category: 'leader_changed', id: 'chairman', before: null, after: null }));
  }
  events.sort((a, b) => a.at.by.id - b.at.by.id);
  const drift = Array.from({ length: 2000 }, (_, i) => driftEpisode(`L${pad(i % 160)}`, 2 + i * 4, 3 + i * 4, i % 4 === 0 ? null : 4 + i * 4));
  const leaves: Record<string, string[]> = {};
  for (let i = 0; i < 5000; i++) (leaves[`L${pad(i % 160)}`] ??= []).push(`h${pad(i)}`);
  const moves: ChangeItem[] = Array.from({ length: 1000 }, (_, i) => ({ category: 'host_moved', id: `h${pad(i * 5)}`, before: 'L0000', after: 'L0001' }));
  return reportInput({
    collections,
    events,
    missing,
    drift,
    start: snapshotOverview(1, treeView(leaves)),
    end: snapshotOverview(COLLECTIONS, treeView(leaves)),
    diff: [sourceDiff('chairman', moves)],
  });
}

test('thousands of events: grouped, capped at --max-rows, large groups collapsed, both formats alike, fast', (t) => {
  const input = largeInput();
  const t0 = performance.now();
  const model = buildReport(input);
  const t1 = performance.now();
  const html = renderReport(model, 'html');
  const t2 = performance.now();
  const md = renderReport(model, 'md');
  const t3 = performance.now();
  t.diagnostic(
    `build ${Math.round(t1 - t0)} ms, HTML ${Math.round(t2 - t1)} ms (${Math.round(html.length / 1024)} KiB), Markdown ${Math.round(t3 - t2)} ms (${Math.round(md.length / 1024)} KiB)`,
  );

  assert.equal(model.series.length, COLLECTIONS);
  assert.equal(model.missingEpisodes.length, 3000);
  assert.equal(model.statusEpisodes.length, 2500);
  assert.equal(model.summary.stillMissing.length, 300);
  assert.equal(model.leaderChanges.length, 300);

  const tables = htmlTables(html);
  for (const table of tables) assert.ok(table.keys.length <= 200, `${table.title}: ${table.keys.length} rows`);
  const get = (title: string) => {
    const found = tables.find((x) => x.title === title);
    assert.ok(found, `a table "${title}" in ${tables.map((x) => x.title).join(' / ')}`);
    return found;
  };
  const expectCapped = (title: string, total: number) => {
    const table = get(title);
    assert.deepEqual([table.keys.length, table.more, table.open], [200, total - 200, false], title);
  };
  expectCapped('Still missing (300)', 300);
  expectCapped('Back (2700)', 2700);
  expectCapped('OFFLINE (refused, reset or timed out) (2500)', 2500);
  expectCapped('Same leaf, different hosts (2000)', 2000);
  expectCapped('Leader changes (300)', 300);
  expectCapped('chairman: hosts moved between leaves (1000)', 1000);
  // Every 5th host moved in the chairman's tree: 32 leaves changed (open), the rest collapsed.
  assert.deepEqual([get('Leaves that changed (32)').keys.length, get('Leaves that changed (32)').open], [32, true]);
  assert.deepEqual([get('Unchanged leaves (128)').keys.length, get('Unchanged leaves (128)').open], [128, false]);
  assert.deepEqual([get('Unchanged leaves (160)').keys.length, get('Unchanged leaves (160)').open], [160, false]);
  assert.equal(get('Still missing (300)').keys[0], 'h0000', 'in time order');

  // Source outages: one per failed chairman read (every 50th collection): exactly the cap, nothing left out.
  assert.deepEqual([get('Source outages (200)').keys.length, get('Source outages (200)').more, get('Source outages (200)').open], [200, 0, false]);
  const perCollection = tables.find((x) => x.title.startsWith('Per collection: '))!;
  assert.equal(perCollection.keys.length, 200);
  assert.ok(perCollection.more > 0);

  const points = [...html.matchAll(/class="point point-missing"/g)].length;
  assert.equal(points, 400, 'the chart merges 10,000 collections into 400 points');

  assert.deepEqual(
    markdownTables(md),
    tables.map(({ open: _, ...x }) => x),
    'Markdown: the same tables, rows and caps',
  );
  assert.ok(html.length < 4 * 1024 * 1024, `HTML ${html.length} bytes`);
  assert.ok(t3 - t0 < 10_000, `build and render took ${Math.round(t3 - t0)} ms`);
});

test('--max-rows applies to every table', () => {
  const html = renderReport(buildReport(largeInput()), 'html', { maxRows: 5 });
  const tables = htmlTables(html);
  for (const table of tables.filter((x) => !['What happened', 'Source availability (10000 collections)'].includes(x.title))) {
    assert.ok(table.keys.length <= 5, `${table.title}: ${table.keys.length}`);
  }
  assert.match(html, /<p class="more">295 more not shown \(5 of 300\); raise --max-rows to see them.<\/p>/);
  assert.match(html, /<p class="more">2695 more not shown \(5 of 2700\); raise --max-rows to see them.<\/p>/);
  // and to the hosts shown inside one leaf
  assert.match(html, /<span class="chip tone-muted">\+27 more<\/span>/);
});
