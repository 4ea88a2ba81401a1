// versionsOverSpans reads, for each span of an entity's history, the version
// holding at its first snapshot and those after it up to its last: the same
// versions, once each and in order, as filtering the entity's whole history.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabase } from '../../../src/store/open-database.js';
import { versionsOfEntities, versionsOverSpans, type EntitySpan, type EntityVersion } from '../../../src/store/version-reads.js';
import { randomHistory, writeHistory } from '../../support/random-history.js';

/** The oracle: each entity's whole history, kept where some span of it asks for the version. */
function expected(whole: Map<string, EntityVersion[]>, spans: readonly EntitySpan[]): Map<string, EntityVersion[]> {
  const out = new Map<string, EntityVersion[]>();
  for (const [entity, versions] of whole) {
    const mine = spans.filter(([e]) => e === entity);
    const kept = versions.filter((v, i) =>
      mine.some(([, first, last]) => {
        const holding = v.snapshot <= first && (versions[i + 1] === undefined || versions[i + 1]!.snapshot > first);
        return (holding || v.snapshot > first) && v.snapshot <= last;
      }),
    );
    if (kept.length) out.set(entity, kept);
  }
  return out;
}

test('each span: the version holding at its start and those after it to its end; shared versions once, in order', () => {
  const db = openDatabase(':memory:');
  const ids = writeHistory(db, randomHistory(7, 300, 20));
  const last = ids.at(-1)!;
  const entities = [...Array.from({ length: 20 }, (_, i) => `h${i}`), 'nope'];
  let rows = 0;
  for (const [source, kind] of [['status', 'status'], ['zk.hosts', 'registration'], ['zk.missing', 'missing']] as const) {
    const whole = versionsOfEntities(db, source, kind, entities, last);
    const cases: EntitySpan[][] = [
      [],
      entities.map((e, i) => [e, 10 * i, 10 * i + 40]),
      // Overlapping and touching spans of one entity share versions; one before any version; one past the end.
      entities.flatMap((e): EntitySpan[] => [[e, 0, 3], [e, 3, 90], [e, 50, 120], [e, 200, last + 50]]),
      // A span that ends before it starts holds only the version holding at its start (if it was written by its end).
      entities.map((e): EntitySpan => [e, 150, 100]),
    ];
    for (const spans of cases) {
      const got = versionsOverSpans(db, source, kind, spans);
      assert.deepEqual(got, expected(whole, spans), `${source}: ${JSON.stringify(spans).slice(0, 80)}`);
      rows += [...got.values()].reduce((n, v) => n + v.length, 0);
    }
  }
  assert.ok(rows > 500, `compared ${rows} versions`);
  db.$client.close();
});
