import assert from 'node:assert/strict';
import { test } from 'node:test';
import { statusEpisodes, statusFlips } from '../../../src/report/status-episodes.js';
import { change, mark, statusFlip } from './fixtures.js';

test('status flips are picked out of the timeline in order', () => {
  const events = [
    statusFlip(2, 'h1', 'ONLINE', 'OFFLINE'),
    change(2, 'zk.missing', { category: 'missing_added', id: 'h1', before: false, after: true }),
    statusFlip(3, 'h1', 'OFFLINE', 'ONLINE'),
  ];
  assert.deepEqual(
    statusFlips(events).map((f) => [f.node, f.at.by.id, f.before, f.after]),
    [
      ['h1', 2, 'ONLINE', 'OFFLINE'],
      ['h1', 3, 'OFFLINE', 'ONLINE'],
    ],
  );
});

test('one episode per run of a verdict other than ONLINE, with both bounds of each edge', () => {
  const episodes = statusEpisodes({
    first: mark(1),
    initial: new Map([
      ['h1', 'ONLINE'],
      ['h2', 'OFFLINE'], // already OFFLINE at the window start
      ['h3', 'ONLINE'],
      ['h4', null], // not probed
    ]),
    flips: statusFlips([
      statusFlip(1, 'h2', 'ONLINE', 'OFFLINE'), // seen at the first collection: already in `initial`
      statusFlip(3, 'h1', 'ONLINE', 'OFFLINE'),
      statusFlip(4, 'h2', 'OFFLINE', 'ONLINE'),
      { ...statusFlip(6, 'h1', 'OFFLINE', 'ERROR'), at: { after: mark(4), by: mark(6) } }, // status unread at #5
      statusFlip(7, 'h3', 'ONLINE', 'OFFLINE'),
    ]),
    lastRead: mark(8),
  });
  assert.deepEqual(episodes, [
    {
      node: 'h2',
      status: 'OFFLINE',
      start: { after: null, by: mark(1) },
      lastSeen: mark(3),
      endBy: mark(4),
      endedAs: 'ONLINE',
      duration: { minMs: 600_000, maxMs: null },
    },
    {
      node: 'h1',
      status: 'OFFLINE',
      start: { after: mark(2), by: mark(3) },
      lastSeen: mark(4),
      endBy: mark(6),
      endedAs: 'ERROR',
      duration: { minMs: 300_000, maxMs: 1_200_000 },
    },
    { node: 'h1', status: 'ERROR', start: { after: mark(4), by: mark(6) }, lastSeen: mark(8), endBy: null, duration: { minMs: 600_000, maxMs: null } },
    { node: 'h3', status: 'OFFLINE', start: { after: mark(6), by: mark(7) }, lastSeen: mark(8), endBy: null, duration: { minMs: 300_000, maxMs: null } },
  ]);
});

test('a node no longer probed ends its episode as "not probed"', () => {
  const [e] = statusEpisodes({ first: mark(1), initial: new Map([['h1', 'OFFLINE']]), flips: statusFlips([statusFlip(2, 'h1', 'OFFLINE', null)]), lastRead: mark(2) });
  assert.equal(e!.endedAs, null);
  assert.deepEqual(e!.endBy, mark(2));
});
