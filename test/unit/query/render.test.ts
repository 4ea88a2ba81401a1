import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderDiffText } from '../../../src/cli/render/diff-text.js';
import { renderDriftText } from '../../../src/present/drift-text.js';
import { renderMissingText } from '../../../src/cli/render/missing-text.js';
import { formatBetween, formatDurationBounds } from '../../../src/present/time-bounds.js';
import { computeDrift, driftChecks } from '../../../src/query/drift.js';
import { clusterFactsFrom } from '../../../src/query/cluster-facts.js';
import { allKnown } from '../../../src/query/source-knowledge.js';
import { mark } from './marks.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });

test('time bounds read as "between A and B", the date dropped when it repeats', () => {
  assert.equal(formatBetween({ after: mark(0), by: mark(1) }), 'between 2026-11-25T03:00:00Z and 03:05:00Z');
  assert.equal(formatBetween({ after: null, by: mark(1) }), 'at or before 2026-11-25T03:05:00Z');
  assert.equal(formatBetween({ after: mark(0), by: mark(288) }), 'between 2026-11-25T03:00:00Z and 2026-11-26T03:00:00Z');
  assert.equal(formatDurationBounds({ minMs: 0, maxMs: 600_000 }), '0s–10m');
  assert.equal(formatDurationBounds({ minMs: 5_400_000, maxMs: null }), '≥ 1h30m');
});

test('diff text: per source, grouped and counted, unknown ends noted', () => {
  const unknown = { known: false as const, error: { kind: 'unreachable', message: 'ECONNREFUSED' }, lastOkSnapshot: 7 };
  const text = renderDiffText({
    from: mark(1),
    to: mark(9),
    total: 3,
    sources: [
      {
        source: 'zk.roles',
        from: { known: true },
        to: { known: true },
        total: 3,
        counts: { leaf_added: 1, host_moved: 2 },
        changes: [
          { category: 'leaf_added', id: 'L9', before: null, after: { owner: 'h17', address: ep(17) } },
          { category: 'host_moved', id: 'h2', before: 'L1', after: 'L2' },
          { category: 'host_moved', id: 'h15', before: 'L3', after: 'L9' },
        ],
      },
      { source: 'chairman', from: { known: true }, to: unknown, total: 0, counts: {}, changes: [] },
      { source: 'status', from: { known: true }, to: { known: true }, total: 0, counts: {}, changes: [] },
    ],
  });
  assert.equal(
    text,
    [
      'Diff #1 2026-11-25T03:05:00Z → #9 2026-11-25T03:45:00Z: 3 changes',
      '',
      'zk.roles (3)',
      '  leaves added (1)',
      '    L9  leaf added, owner h17 127.0.0.1:17',
      '  hosts moved between leaves (2)',
      '    h2   moved L1 → L2',
      '    h15  moved L3 → L9',
      '',
      'chairman (0)',
      '  UNKNOWN at #9 (unreachable: ECONNREFUSED); as last read in #7',
      '',
      'No changes: status',
    ].join('\n'),
  );
});

test('drift text: grouped by kind with what each source says', () => {
  const facts = clusterFactsFrom([
    { source: 'zk.roles', kind: 'leaf', entity: 'L1', value: { owner: 'h1', address: ep(1) } },
    { source: 'chairman', kind: 'leaf', entity: 'L1', value: { owner: 'h2', address: ep(2) } },
    { source: 'root', kind: 'child', entity: 'L1', value: { owner: 'h2', address: ep(2) } },
    { source: 'zk.services', kind: 'member', entity: 'chairman/c1', value: { address: ep(3), error: null } },
    { source: 'zk.services', kind: 'member', entity: 'root-scheduler/r1', value: { address: ep(4), error: null } },
  ]);
  const knowledge = allKnown();
  const r = computeDrift(facts, knowledge);
  const text = renderDriftText({ snapshot: mark(3), sources: knowledge, checks: driftChecks(knowledge), total: r.drift.length, counts: {}, ...r });
  assert.equal(text, ['Snapshot #3 2026-11-25T03:15:00Z: 1 drift item', '', 'Same leaf, different owner (1)', '  L1  zk.roles: h1   chairman: h2'].join('\n'));
});

test('missing text: both bounds of each edge, flapping, probes', () => {
  const text = renderMissingText({
    window: { first: mark(1), last: mark(12) },
    lastRead: mark(12),
    unknownAtEnd: false,
    hosts: 1,
    episodes: 2,
    stillMissing: 1,
    missing: [
      {
        host: 'h4',
        stillMissing: true,
        episodes: [
          {
            host: 'h4',
            start: { after: mark(2), by: mark(3) },
            lastSeen: mark(5),
            endBy: mark(6),
            duration: { minMs: 600_000, maxMs: 1_200_000 },
            probes: [{ status: 'OFFLINE', from: mark(3) }, { status: 'ONLINE', from: mark(5) }],
            answeredProbe: true,
          },
          {
            host: 'h4',
            start: { after: mark(9), by: mark(10) },
            lastSeen: mark(12),
            endBy: null,
            duration: { minMs: 600_000, maxMs: null },
            probes: [{ status: 'OFFLINE', from: mark(10) }],
            answeredProbe: false,
          },
        ],
      },
    ],
    blastRadius: { leaves: [{ id: 'L2', affected: 1, total: 32 }], zones: [{ id: 'az1', affected: 1 }], unplaced: 0, unzoned: 0 },
  });
  assert.equal(
    text,
    [
      'Missing hosts #1 2026-11-25T03:05:00Z → #12 2026-11-25T04:00:00Z: 1 host, 2 episodes, 1 still missing',
      '  by leaf and zone: L2: 1 of 32 hosts missing; az1: 1 host missing',
      '',
      'h4: 2 episodes, flapping, still missing',
      '  missing since between 2026-11-25T03:10:00Z and 03:15:00Z  back between 2026-11-25T03:25:00Z and 03:30:00Z  10m–20m  probes: OFFLINE, ONLINE from 2026-11-25T03:25:00Z (answered while listed missing)',
      '  missing since between 2026-11-25T03:45:00Z and 03:50:00Z  still missing (as of 2026-11-25T04:00:00Z)       ≥ 10m    probes: OFFLINE',
    ].join('\n'),
  );
});

test('missing text of a page: the roll-up says it covers every host of the window, not the page', () => {
  const page = {
    window: { first: mark(1), last: mark(12) },
    lastRead: mark(12),
    unknownAtEnd: false,
    hosts: 1,
    episodes: 1,
    stillMissing: 0,
    olderEpisodes: 4,
    missing: [
      {
        host: 'h4',
        stillMissing: false,
        episodes: [
          {
            host: 'h4',
            start: { after: mark(2), by: mark(3) },
            lastSeen: mark(5),
            endBy: mark(6),
            duration: { minMs: 600_000, maxMs: 1_200_000 },
            probes: [{ status: 'OFFLINE' as const, from: mark(3) }],
            answeredProbe: false,
          },
        ],
      },
    ],
    blastRadius: { leaves: [{ id: 'L2', affected: 3, total: 32 }, { id: 'L1', affected: 1, total: 8 }], zones: [{ id: 'az1', affected: 4 }], unplaced: 1, unzoned: 1 },
  };
  const lines = renderMissingText(page).split('\n');
  assert.equal(lines[1], '  by leaf and zone (the 5 hosts with an episode in the window): L2: 3 of 32 hosts missing; L1: 1 of 8 hosts missing; az1: 4 hosts missing; 1 host in no leaf');
  assert.equal(lines[2], '  (the newest 1 episode; 4 older not shown: a larger --limit, 0 for all, or --since shows them)');
  // The whole window on one page: the counts above are the roll-up's own.
  assert.equal(renderMissingText({ ...page, olderEpisodes: 0 }).split('\n')[1], '  by leaf and zone: L2: 3 of 32 hosts missing; L1: 1 of 8 hosts missing; az1: 4 hosts missing; 1 host in no leaf');
});
