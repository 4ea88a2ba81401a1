import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildReport } from '../../../src/report/build-report.js';
import { renderHtml } from '../../../src/report/render-html.js';
import { renderMarkdown } from '../../../src/report/render-markdown.js';
import { renderReport } from '../../../src/report/render-report.js';
import { cell, OPEN_LIMIT, tableGroup, type ReportDocument } from '../../../src/report/report-document.js';
import { reportDocument } from '../../../src/report/report-sections.js';
import { htmlTables, markdownTables } from '../../support/report-tables.js';
import { collection, driftEpisode, missingEpisode, reportInput, snapshotOverview, sourceDiff, statusFlip, treeView } from './fixtures.js';

function tinyDocument(): ReportDocument {
  const chips = cell('2 hosts');
  chips.chips = [cell('h1'), cell('h2', 'changed', 'moved L1 → L2')];
  return {
    title: 'T <x>',
    subtitle: 'S',
    maxRows: 2,
    sections: [
      {
        id: 's1',
        title: 'One',
        notes: ['a | b'],
        groups: [
          tableGroup('G', ['A', 'B'], [[cell('x'), cell('y', 'changed')], [cell('1'), chips], [cell('z'), cell('w')]], 2),
          tableGroup('Big', ['A'], Array.from({ length: OPEN_LIMIT + 1 }, (_, i) => [cell(`r${i}`)]), 100),
        ],
      },
    ],
  };
}

test('Markdown: headed tables, escaped cells, changes in bold, the cap said', () => {
  const md = renderMarkdown(tinyDocument());
  const big = Array.from({ length: OPEN_LIMIT + 1 }, (_, i) => `| r${i} |`).join('\n');
  assert.equal(
    md,
    `# T \\<x\\>

S

## One

a \\| b

**G**

| A | B |
|---|---|
| x | **y** |
| 1 | 2 hosts: h1, **h2** |

_1 more not shown (2 of 3); raise --max-rows to see them._

**Big**

| A |
|---|
${big}
`,
  );
});

test('HTML: escaped text, small groups open, large ones collapsed, the cap said, highlighted chips with their change', () => {
  const html = renderHtml(tinyDocument(), []);
  assert.match(html, /^<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">/);
  assert.match(html, /<title>T &#60;x&#62;<\/title>/);
  assert.match(html, /<p class="note">a \| b<\/p>/);
  assert.match(html, /<details open><summary>G<\/summary>\n<table><caption class="sr-only">G<\/caption><thead><tr><th scope="col">A<\/th><th scope="col">B<\/th><\/tr><\/thead>/);
  assert.match(html, /<tr><td>x<\/td><td class="tone-changed">y<\/td><\/tr>/);
  assert.match(html, /<td>2 hosts<span class="chips"><span class="chip">h1<\/span> <span class="chip tone-changed" title="moved L1 → L2">h2<\/span><\/span><\/td>/);
  assert.match(html, /<p class="more">1 more not shown \(2 of 3\); raise --max-rows to see them.<\/p>/);
  assert.match(html, /<details><summary>Big<\/summary>/);
  assert.doesNotMatch(html, /<script|<link|https?:|url\(/i);
  assert.doesNotMatch(html, /<svg class="chart"/, 'no section asked for the chart');
});

test('text from the history cannot inject markup in either format', () => {
  const evil = '<img src=x onerror=alert(1)>|**x**';
  const doc = tinyDocument();
  doc.sections[0]!.groups[0]!.rows[0]![0] = cell(evil);
  assert.ok(renderHtml(doc, []).includes('<td>&#60;img src=x onerror=alert(1)&#62;|**x**</td>'));
  assert.ok(renderMarkdown(doc).includes('| \\<img src=x onerror=alert(1)\\>\\|\\*\\*x\\*\\* | **y** |'));
});

function smallInput() {
  const start = treeView({ L1: ['h1', 'h2'], L2: ['h3', 'h4'] });
  const endZk = treeView({ L1: ['h1', 'h2'], L2: ['h3', 'h4'] }, { h3: 'OFFLINE' }, ['h3']);
  const endChairman = treeView({ L1: ['h1', 'h2', 'h4'], L2: ['h3'] }, { h3: 'OFFLINE' }, ['h3']);
  return reportInput({
    collections: [collection(1), collection(2, { offline: 1 }), collection(3, { offline: 1, failed: ['chairman'] }), collection(4, { offline: 1 })],
    events: [statusFlip(2, 'h3', 'ONLINE', 'OFFLINE')],
    missing: [missingEpisode('h3', 2, 3, 4, null)],
    drift: [driftEpisode('L1', 4, 4, null), driftEpisode('L2', 4, 4, null)],
    start: snapshotOverview(1, start),
    end: snapshotOverview(4, endZk, endChairman),
    diff: [
      sourceDiff('zk.missing', [{ category: 'missing_added', id: 'h3', before: false, after: true }]),
      sourceDiff('chairman', [{ category: 'host_moved', id: 'h4', before: 'L2', after: 'L1' }]),
      sourceDiff('status', [{ category: 'status_changed', id: 'h3', before: 'ONLINE', after: 'OFFLINE' }]),
    ],
  });
}

test('HTML and Markdown hold the same tables, rows and caps', () => {
  const model = buildReport(smallInput());
  for (const maxRows of [200, 1]) {
    const fromHtml = htmlTables(renderReport(model, 'html', { maxRows })).map(({ open: _, ...t }) => t);
    const fromMd = markdownTables(renderReport(model, 'md', { maxRows }));
    assert.deepEqual(fromMd, fromHtml);
    assert.ok(fromHtml.length >= 8);
  }
  const tables = htmlTables(renderReport(model, 'html'));
  const byTitle = (t: string) => tables.find((x) => x.title === t)!;
  assert.deepEqual(byTitle('Still missing (1)').keys, ['h3']);
  assert.deepEqual(byTitle('OFFLINE (refused, reset or timed out) (1)').keys, ['h3']);
  assert.deepEqual(byTitle('Same leaf, different hosts (2)').keys, ['L1', 'L2']);
  assert.deepEqual(byTitle('Per collection: 4 rows of 4 collections (a row where any value changed)').keys, ['#1', '#2', '#3', '#4']);
  assert.deepEqual(byTitle('Source outages (1)').keys, ['chairman']);
  assert.deepEqual(byTitle('chairman: hosts moved between leaves (1)').keys, ['h4']);
  // ZooKeeper's tree: h3 went missing and OFFLINE; the chairman's: that, and h4 moved.
  assert.deepEqual(
    tables.filter((t) => t.title.startsWith('Leaves that changed')).map((t) => [t.title, t.keys]),
    [
      ['Leaves that changed (1)', ['L2']],
      ['Leaves that changed (2)', ['L1', 'L2']],
    ],
  );
});

test('the trees: changed leaves first and open, hosts highlighted with what changed on both sides', () => {
  const doc = reportDocument(buildReport(smallInput()));
  const chairman = doc.sections.find((s) => s.id === 'tree-chairman')!;
  const [changed] = chairman.groups;
  assert.equal(changed!.title, 'Leaves that changed (2)');
  assert.equal(changed!.open, true);
  const l2 = changed!.rows.find((r) => r[0]!.text === 'L2')!;
  assert.deepEqual(
    l2[2]!.chips,
    [
      { text: 'h3', tone: 'changed', title: 'reported missing; status ONLINE → OFFLINE' },
      { text: 'h4', tone: 'changed', title: 'moved L2 → L1' },
    ],
    'at the start: h3 still answering, h4 still in L2, both marked with what will change',
  );
  assert.deepEqual(l2[3]!.chips, [{ text: 'h3 (OFFLINE, missing)', tone: 'changed', title: 'reported missing; status ONLINE → OFFLINE' }]);
  assert.equal(l2[4]!.text, 'h3: reported missing; h3: status ONLINE → OFFLINE; h4: moved L2 → L1');
});
