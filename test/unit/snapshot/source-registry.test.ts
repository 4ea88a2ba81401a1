// The source registry is whole: every source has an entry whose reading is a
// field of every Observation, counts what was read, and yields facts of its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unreadObservation } from '../../../src/daemon/unread-observation.js';
import { sourceError } from '../../../src/model/source-error.js';
import { SOURCES } from '../../../src/snapshot/source-name.js';
import { readingCount, readingOf, SOURCE_REGISTRY, sourceFacts } from '../../../src/snapshot/source-registry.js';
import { observation } from '../../support/observation.js';

const obs = observation({
  leaves: { L1: ['h1', 'h2'], L2: ['h3'] },
  missing: ['h3'],
  agents: [{ host: 'h1', state: 'role', leafId: 'L1', parentId: 'ROOT', hostIds: ['h1', 'h2'] }],
});

test('every source has exactly one entry, and every entry one distinct reading', () => {
  assert.deepEqual(Object.keys(SOURCE_REGISTRY).sort(), [...SOURCES].sort());
  const fields = SOURCES.map((s) => SOURCE_REGISTRY[s].reading);
  assert.equal(new Set(fields).size, fields.length);
  const observed = Object.keys(obs).filter((k) => k !== 'startedAt' && k !== 'finishedAt');
  assert.deepEqual([...fields].sort(), observed.sort(), 'the readings are the Observation');
});

test('each entry counts its reading and yields facts of its own source', () => {
  const all = sourceFacts(obs, { zkLeaves: new Map() });
  assert.deepEqual(all.map((f) => f.source), [...SOURCES]);
  for (const sf of all) {
    assert.ok(sf.ok, sf.source);
    assert.ok(sf.facts.length > 0, `${sf.source} has facts`);
    for (const f of sf.facts) assert.equal(f.source, sf.source);
    const n = readingCount(sf.source, readingOf(obs, sf.source));
    assert.ok(typeof n === 'number' && n > 0, `${sf.source} counts what it read`);
  }
});

test('an unread collection has every source unknown, none left out', () => {
  const unread = unreadObservation(0, 10, sourceError('abandoned', 'abandoned'));
  for (const s of SOURCES) {
    assert.equal(readingOf(unread, s).result.ok, false, s);
    assert.equal(readingCount(s, readingOf(unread, s)), null);
  }
  assert.ok(sourceFacts(unread, { zkLeaves: new Map() }).every((f) => !f.ok));
});
