import assert from 'node:assert/strict';
import { test } from 'node:test';
import { probeTargets } from '../../../src/collect/probe-targets.js';
import { err, ok } from '../../../src/model/result.js';
import { observation, registration } from '../../support/observation.js';

test('every node any source knows is probed; /hosts addresses win', () => {
  const obs = observation({ leaves: { L1: ['h1', 'h2'] }, chairmanLeaves: { L1: ['h1', 'h2', 'h9'] } });
  const regs = [{ ...registration({ leaves: {} }, 'h1'), address: { host: '10.0.0.1', port: 1 } }];
  const t = probeTargets({
    rootAddress: { host: 'r', port: 2 },
    zkTree: obs.roles.result.ok ? ok({ tree: obs.roles.result.value.tree }) : err('x'),
    registrations: ok({ hosts: regs }),
    chairmanTree: obs.chairman.result,
  });
  assert.ok(t);
  assert.deepEqual([...t.keys()].sort(), ['ROOT', 'h1', 'h2', 'h9']);
  assert.deepEqual(t.get('h1'), { host: '10.0.0.1', port: 1 });
  assert.deepEqual(t.get('ROOT'), { host: 'r', port: 2 });
});

test('no node-listing source readable: the node set is unknown, not empty', () => {
  const t = probeTargets({ rootAddress: null, zkTree: err('a'), registrations: err('b'), chairmanTree: err('c') });
  assert.equal(t, null);
});
