// What a fact's summary keeps (src/snapshot/fact-summary.ts): a registration's
// address and zone (the tree views and the blast radius read nothing else of
// it), a probe's verdict; every other kind is its own summary.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson } from '../../../src/snapshot/canonical-json.js';
import { summarizeValue } from '../../../src/snapshot/fact-summary.js';

const HOST_CONFIG = canonicalJson({
  address: { host: '10.0.0.7', port: 8835 },
  availabilityZone: 'az-2',
  cpuCount: 32,
  datastores: [{ id: 'ds-1', name: 'local', tags: [], type: 'LOCAL_VMFS' }],
  deploymentId: null,
  esxVersion: '6.0.0',
  imageDatastoreIds: ['ds-1'],
  managementOnly: false,
  memoryMb: 131072,
  networks: [{ id: 'VM Network', types: ['VM'] }],
});

test("a registration's summary is its address and zone, as canonical JSON", () => {
  assert.equal(summarizeValue('registration', HOST_CONFIG), '{"address":{"host":"10.0.0.7","port":8835},"availabilityZone":"az-2"}');
  const noZone = canonicalJson({ ...JSON.parse(HOST_CONFIG), availabilityZone: '' });
  assert.equal(summarizeValue('registration', noZone), '{"address":{"host":"10.0.0.7","port":8835},"availabilityZone":""}');
});

test("a probe's summary is its verdict; other kinds are their own", () => {
  assert.equal(summarizeValue('status', '{"address":{"host":"10.0.0.7","port":8835},"message":"refused","status":"OFFLINE"}'), '{"status":"OFFLINE"}');
  const placement = '{"address":{"host":"10.0.0.7","port":8835},"leaf":"leaf-1"}';
  assert.equal(summarizeValue('placement', placement), placement);
});
