// `treesnap report` end to end: an incident played on the simulator (real
// ZooKeeper, real Thrift), collected into a real SQLite history, rendered by
// the command, opened in headless Chromium with the network unusable, and
// checked in the DOM the browser built. The screenshot and both reports are
// kept under artifacts/ to look at.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yargs from 'yargs';
import { reportCommand } from '../../src/cli/commands/report.js';
import { withGlobalOptions } from '../../src/cli/shared-options.js';
import type { CollectOptions } from '../../src/collect/collect.js';
import { runCollection } from '../../src/collect/run-collection.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { openDatabase, type Db } from '../../src/store/open-database.js';
import { dumpDom, screenshot } from '../support/chromium.js';
import { freshChroot } from '../support/zookeeper.js';
import { must } from '../support/must.js';

const ARTIFACTS = join(process.cwd(), 'artifacts');

function options(zk: string): CollectOptions {
  return { zk, connectTimeoutMs: 3000, requestTimeoutMs: 3000, probeTimeoutMs: 1000, probeConcurrency: 32, probeMode: 'connect' };
}


async function treesnapReport(args: string[]): Promise<void> {
  await withGlobalOptions(yargs(['report', ...args]))
    .command(reportCommand)
    .strict()
    .fail((msg, e) => {
      throw e ?? new Error(msg);
    })
    .parseAsync();
}

/** The inner HTML of the element with this id, from a DOM dump (sections do not nest). */
function sectionOf(dom: string, id: string): string {
  const at = dom.indexOf(`<section id="${id}"`);
  assert.ok(at >= 0, `section #${id} in the DOM`);
  return dom.slice(at, dom.indexOf('</section>', at));
}

function count(text: string, pattern: RegExp): number {
  return [...text.matchAll(pattern)].length;
}

describe('treesnap report from a simulated incident', () => {
  let cluster: SimulatedCluster;
  let dir: string;
  let dbPath: string;
  let db: Db;
  const ids = { first: 0, last: 0, since: '', until: '' };
  let lost: [string, string];
  let diverged: string;
  let divergedLeaves: [string, string];

  before(async () => {
    const { connectString } = await freshChroot('report');
    cluster = await startSimulatedCluster({ zk: connectString, hosts: 16, fanout: 4 });
    dir = mkdtempSync(join(tmpdir(), 'treesnap-report-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    dbPath = join(dir, 'history.db');
    db = openDatabase(dbPath);
    const collect = async () => (await runCollection(db, options(cluster.zk))).snapshotId;

    const leaves = cluster.truth().tree.leaves;
    lost = [leaves[0]!.hosts[1]!.id, leaves[0]!.hosts[2]!.id];
    diverged = leaves[2]!.hosts[1]!.id;
    divergedLeaves = [leaves[2]!.id, leaves[3]!.id];

    // The window starts at the second collection: a report is about part of a
    // longer history, and facts before the window must carry into it.
    await collect();
    ids.first = await collect(); // all well
    for (const h of lost) await must(cluster.stopAgent(h));
    await collect(); // agents stopped: OFFLINE
    await must(cluster.reportMissing(lost));
    await collect(); // and reported missing
    await cluster.stopChairman();
    await collect(); // chairman down: unknown, no chairman leader
    await must(cluster.startChairman());
    await collect();
    await must(cluster.divergeChairman(diverged, divergedLeaves[1]));
    await collect(); // the chairman's memory drifts from ZooKeeper
    const second = await must(cluster.addSecondMember('root-scheduler'));
    await collect(); // two root-scheduler members: no leader
    await must(cluster.removeMember(second));
    await collect();
    for (const h of lost) await must(cluster.startAgent(h));
    await must(cluster.reportResurrected(lost));
    ids.last = await collect(); // recovered, except the drift
    const row = (id: number) => db.$client.prepare('SELECT started_at AS t FROM snapshots WHERE id = ?').get(id) as { t: number };
    ids.since = new Date(row(ids.first).t).toISOString();
    ids.until = new Date(row(ids.last).t).toISOString();
  });

  after(async () => {
    db?.$client.close();
    await cluster?.stop({ clean: true });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the HTML report loads offline in Chromium with the episodes, the chart and its markers', async () => {
    const html = join(dir, 'incident.html');
    await treesnapReport(['--db', dbPath, '--since', ids.since, '--until', ids.until, '-o', html]);
    const text = readFileSync(html, 'utf8');

    // Self-contained: nothing to fetch, and a policy that forbids fetching anything.
    assert.doesNotMatch(text, /<script/i);
    assert.doesNotMatch(text, /<link\b/i);
    assert.doesNotMatch(text, /\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    assert.doesNotMatch(text, /url\(/i);
    assert.doesNotMatch(text, /https?:\/\//i);
    assert.match(text, /<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);

    const dom = await must(dumpDom(html));
    assert.match(dom, /<title>treesnap report /);

    const chart = sectionOf(dom, 'timeline');
    assert.equal(count(chart, /<svg class="chart"/g), 1);
    for (const s of ['missing', 'offline', 'drift']) {
      assert.match(chart, new RegExp(`<path class="series series-${s}" d="M[^"]+L[^"]+"`), `a ${s} line`);
      assert.equal(count(chart, new RegExp(`class="point point-${s}"`, 'g')), 9, `a ${s} point per collection`);
    }
    assert.equal(count(chart, /class="marker marker-failed marker-partial"/g), 2, 'no chairman; two root schedulers (no leader to ask)');
    assert.equal(count(chart, /class="marker marker-leader"/g), 4, 'chairman gone and back, root scheduler gone and back');
    assert.match(chart, /<title>#\d+ [^<]*: hosts in \/missing 2<\/title>/);
    assert.match(chart, /<ul class="legend"/);

    const missing = sectionOf(dom, 'missing');
    for (const h of lost) assert.match(missing, new RegExp(`<td class="tone-bad">${h}</td>`), `${h} in the missing-episode table`);
    assert.match(missing, /Back \(2\)/);

    const status = sectionOf(dom, 'status');
    assert.match(status, /OFFLINE \(refused, reset or timed out\) \(2\)/);
    for (const h of lost) assert.match(status, new RegExp(`<td class="tone-bad">${h}</td>`));

    const drift = sectionOf(dom, 'drift');
    assert.match(drift, /Same leaf, different hosts/);
    for (const l of divergedLeaves) assert.match(drift, new RegExp(`<td class="tone-warn">${l}</td>`));
    assert.match(drift, /Service with several members \(1\)/);
    assert.match(drift, /In \/missing but still placed in a leaf \(2\)/);

    const sources = sectionOf(dom, 'sources');
    assert.match(sources, /<td class="tone-bad">chairman<\/td><td>#\d+ [^<]+<\/td><td>#\d+ [^<]+<\/td><td>1<\/td><td>no_leader: 0 members/);
    assert.match(sources, /<td class="tone-bad">root<\/td><td>#\d+ [^<]+<\/td><td>#\d+ [^<]+<\/td><td>1<\/td><td>no_leader: 2 members/);
    assert.equal(count(sources, /<td class="tone-warn">chairman<\/td>/g), 2);
    assert.equal(count(sources, /<td class="tone-warn">root-scheduler<\/td>/g), 2);

    // The host the chairman moved is highlighted in its tree, and listed as a difference.
    const tree = sectionOf(dom, 'tree-chairman');
    assert.match(tree, /Leaves that changed \(2\)/);
    assert.match(tree, new RegExp(`<span class="chip tone-changed" title="moved ${divergedLeaves[0]} → ${divergedLeaves[1]}">${diverged}</span>`));
    assert.match(sectionOf(dom, 'tree-zk-roles'), /Unchanged leaves \(4\)/);
    assert.match(sectionOf(dom, 'differences'), new RegExp(`chairman: hosts moved between leaves \\(1\\)[\\s\\S]*${diverged}`));

    const png = join(ARTIFACTS, 'report-incident.png');
    rmSync(png, { force: true });
    await must(screenshot(html, png, { width: 1400, height: 2400 }));
    assert.ok(statSync(png).size > 50_000, 'a screenshot with content');
    copyFileSync(html, join(ARTIFACTS, 'report-incident.html'));
  });

  test('the Markdown report states the same facts as tables', async () => {
    const md = join(dir, 'incident.md');
    await treesnapReport(['--db', dbPath, '--since', ids.since, '--until', ids.until, '-o', md]);
    const text = readFileSync(md, 'utf8');
    copyFileSync(md, join(ARTIFACTS, 'report-incident.md'));
    assert.match(text, /^# treesnap report /);
    const section = (title: string) => {
      const at = text.indexOf(`\n## ${title}\n`);
      assert.ok(at >= 0, `## ${title}`);
      const next = text.indexOf('\n## ', at + 1);
      return text.slice(at, next < 0 ? undefined : next);
    };
    const missing = section('Missing hosts');
    assert.match(missing, /\| Host \| Listed missing \| Back \| Duration \| Probes meanwhile \|/);
    // Listed missing at the ctime of its /missing node (ZooKeeper's record); back only between two collections.
    for (const h of lost) assert.match(missing, new RegExp(`^\\| ${h} \\| \\S+ \\(ZooKeeper: ctime of /missing/${h}\\) \\| between .+ \\|`, 'm'));
    const status = section('Status flips');
    for (const h of lost) assert.match(status, new RegExp(`^\\| ${h} \\| between .+ \\| ONLINE \\|$`, 'm'));
    const drift = section('Drift between sources');
    for (const l of divergedLeaves) assert.match(drift, new RegExp(`^\\| ${l} \\| zk.roles: `, 'm'));
    const sources = section('Sources and leaders');
    assert.match(sources, /^\| chairman \| 8 of 9 \| 1 \| no\\_leader ×1 \|$/m);
    // Four leader changes: three known between two collections; the chairman's return timed by its new member node.
    assert.equal(count(sources, /^\| (chairman|root-scheduler) \| between /gm), 3);
    assert.equal(count(sources, /^\| chairman \| \S+ \(ZooKeeper: mtime of \/services\/chairman\/[^)]+\) /gm), 1);
    const tree = section("Chairman's tree at start and end");
    assert.match(tree, new RegExp(`\\*\\*${diverged}\\*\\*`), 'the moved host in bold');
    const timeline = section('Timeline');
    assert.match(timeline, /^\| #\d+ \| \S+ \| partial \| chairman \| 2 \| 2 \| \d+ \| chairman \|$/m);
  });
});
