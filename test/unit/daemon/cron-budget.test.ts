import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkBudget, defaultBudgetMs } from '../../../src/daemon/collection-budget.js';
import { parseCronSchedule } from '../../../src/daemon/cron-schedule.js';

test('the interval of a cron expression is its shortest gap', () => {
  const every5 = parseCronSchedule('*/5 * * * *');
  assert.ok(every5.ok);
  assert.equal(every5.value.intervalMs, 5 * 60_000);
  const seconds = parseCronSchedule('*/2 * * * * *');
  assert.ok(seconds.ok);
  assert.equal(seconds.value.intervalMs, 2000);
  const twiceADay = parseCronSchedule('0 9,17 * * *');
  assert.ok(twiceADay.ok);
  assert.equal(twiceADay.value.intervalMs, 8 * 3_600_000);
});

test('a bad expression is one line naming the field', () => {
  const r = parseCronSchedule('61 * * * *');
  assert.ok(!r.ok);
  assert.match(r.error, /61 is a invalid expression for minute/);
  const fields = parseCronSchedule('every five minutes');
  assert.ok(!fields.ok);
  assert.match(fields.error, /expected 5 or 6 fields/);
});

test('the default budget is 80% of the interval; a budget past the interval is refused', () => {
  assert.equal(defaultBudgetMs(300_000), 240_000);
  assert.equal(defaultBudgetMs(2000), 1600);
  assert.deepEqual(checkBudget(240_000, 300_000), { ok: true, value: 240_000 });
  const r = checkBudget(400_000, 300_000);
  assert.ok(!r.ok);
  assert.match(r.error, /longer than the schedule's interval/);
});
