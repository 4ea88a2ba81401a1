import assert from 'node:assert/strict';
import { test } from 'node:test';
import { hostHistory, type KeyHistory, type KeyVersion } from '../../../src/query/host-history.js';
import { mark } from './marks.js';

const ep = (port: number) => ({ host: '127.0.0.1', port });
const v = (id: number, value: unknown, previousOk: number | null = id - 1): KeyVersion => ({
  snapshot: mark(id),
  previousOk: previousOk === null ? null : mark(previousOk),
  value,
});

test("one host's changes across sources, in time order, with both time bounds", () => {
  const reg = { address: ep(1), availabilityZone: 'az1' };
  const keys: KeyHistory[] = [
    { source: 'zk.hosts', kind: 'registration', entity: 'h1', versions: [v(1, reg, null), v(5, { ...reg, availabilityZone: 'az2' }, 3)] },
    { source: 'zk.roles', kind: 'placement', entity: 'h1', versions: [v(1, { leaf: 'L1', address: ep(1) }, null), v(6, { leaf: 'L2', address: ep(1) })] },
    { source: 'zk.roles', kind: 'leaf', entity: 'L1', versions: [v(1, { owner: 'h1', address: ep(1) }, null), v(6, { owner: 'h2', address: ep(2) })] },
    // a leaf the host never owned: its changes are not the host's
    { source: 'zk.roles', kind: 'leaf', entity: 'L2', versions: [v(1, { owner: 'h3', address: ep(3) }, null), v(3, { owner: 'h3', address: ep(4) })] },
    { source: 'status', kind: 'status', entity: 'h1', versions: [v(1, { status: 'ONLINE', address: ep(1), message: null }, null), v(4, { status: 'OFFLINE', address: ep(1), message: 'refused' })] },
  ];
  const h = hostHistory('h1', keys, []);
  assert.deepEqual(
    h.events.map((e) => [e.at.after?.id ?? null, e.at.by.id, e.source, e.change.category, e.change.id]),
    [
      [null, 1, 'zk.roles', 'leaf_added', 'L1'],
      [null, 1, 'zk.roles', 'host_added', 'h1'],
      [null, 1, 'zk.hosts', 'registration_added', 'h1'],
      [null, 1, 'status', 'status_changed', 'h1'],
      [3, 4, 'status', 'status_changed', 'h1'],
      [3, 5, 'zk.hosts', 'host_config_changed', 'h1'],
      [5, 6, 'zk.roles', 'leaf_owner_changed', 'L1'],
      [5, 6, 'zk.roles', 'leaf_address_changed', 'L1'],
      [5, 6, 'zk.roles', 'host_moved', 'h1'],
    ],
  );
  const config = h.events.find((e) => e.change.category === 'host_config_changed')!.change;
  assert.deepEqual(config, { category: 'host_config_changed', id: 'h1', fields: ['availabilityZone'], before: { availabilityZone: 'az1' }, after: { availabilityZone: 'az2' } });
});
