import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REQUIREMENTS, installHint, missingRequirements } from '../../../scripts/setup.mjs';

const table = [
  { name: 'zookeeper', check: () => true, debian: 'zookeeper' },
  { name: 'chromium', check: () => false, debian: 'chromium' },
  { name: 'thing', check: () => false, debian: 'thing-bin' },
];

test('only the named requirements whose check fails are missing', () => {
  assert.deepEqual(missingRequirements(['zookeeper', 'chromium'], table).map((r) => r.name), ['chromium']);
  assert.deepEqual(missingRequirements(['zookeeper'], table), []);
  assert.deepEqual(missingRequirements(['chromium', 'thing'], table).map((r) => r.debian), ['chromium', 'thing-bin']);
});

test('the hint names what is missing and the apt-get line that provides it', () => {
  assert.equal(
    installHint(missingRequirements(['chromium', 'thing'], table)),
    "setup: missing chromium, thing: install Debian's chromium thing-bin (sudo apt-get install chromium thing-bin), then run this again",
  );
});

test('the table covers what the tests need', () => {
  assert.deepEqual(REQUIREMENTS.map((r) => [r.name, r.debian]), [['zookeeper', 'zookeeper'], ['chromium', 'chromium'], ['postgresql', 'postgresql']]);
});
