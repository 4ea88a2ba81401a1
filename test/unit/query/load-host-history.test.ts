import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NotFoundError } from '../../../src/errors.js';
import { loadHostHistory } from '../../../src/query/load-host-history.js';
import type { ClusterSpec } from '../../support/observation.js';
import { down, storeOf } from './store-history.js';

test("a host's registration, placement, leaf ownership, missing, status and config changes, in order", () => {
  // h2 moves from L1 to L2 at #3 and comes to own L2 at #5, when h3 leaves it; /missing and status fail at #4.
  const db = storeOf([
    { leaves: { L1: ['h1', 'h2'] } },
    { leaves: { L1: ['h1', 'h2'], L2: ['h3'] } },
    { leaves: { L1: ['h1'], L2: ['h3', 'h2'] }, missing: ['h2'], offline: ['h2'] },
    { leaves: { L1: ['h1'], L2: ['h3', 'h2'] }, failed: { status: down, missing: down } },
    { leaves: { L1: ['h1'], L2: ['h2'] }, registrationOverrides: { h2: { availabilityZone: 'az9' } } },
  ] satisfies ClusterSpec[]);
  const h = loadHostHistory(db, 'h2');
  assert.deepEqual(
    h.events.map((e) => `${e.at.after?.id ?? '-'}..${e.at.by.id} ${e.source} ${e.change.category} ${e.change.id}`),
    [
      '-..1 zk.roles host_added h2',
      '-..1 zk.hosts registration_added h2',
      '-..1 chairman host_added h2',
      '-..1 status status_changed h2',
      '2..3 zk.roles host_moved h2',
      '2..3 zk.missing missing_added h2',
      '2..3 chairman host_moved h2',
      '2..3 status status_changed h2',
      '4..5 zk.roles leaf_owner_changed L2',
      '4..5 zk.roles leaf_address_changed L2',
      '4..5 zk.hosts host_config_changed h2',
      '3..5 zk.missing missing_removed h2',
      '4..5 chairman leaf_owner_changed L2',
      '4..5 chairman leaf_address_changed L2',
      '4..5 root leaf_owner_changed L2',
      '4..5 root leaf_address_changed L2',
      '3..5 status status_changed h2',
    ],
  );
  assert.deepEqual(
    h.missingEpisodes.map((e) => [e.start.after?.id, e.start.by.id, e.lastSeen.id, e.endBy?.id, e.probes.map((p) => p.status)]),
    [[2, 3, 3, 5, ['OFFLINE']]],
  );
});

test('an unknown host is not found', () => {
  const db = storeOf([{ leaves: { L1: ['h1'] } }]);
  assert.throws(() => loadHostHistory(db, 'h9'), NotFoundError);
});
