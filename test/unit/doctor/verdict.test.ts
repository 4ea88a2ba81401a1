import assert from 'node:assert/strict';
import { test } from 'node:test';
import { doctorReport, renderDoctorText, type CheckResult } from '../../../src/doctor/verdict.js';

const c = (check: string, verdict: CheckResult['verdict'], detail: string, durationMs: number): CheckResult => ({ check, verdict, detail, durationMs });

test('ok only when no check failed; a skip is not a failure', () => {
  assert.equal(doctorReport([c('a', 'pass', 'x', 1), c('b', 'skip', 'y', 0)]).ok, true);
  assert.equal(doctorReport([c('a', 'pass', 'x', 1), c('b', 'fail', 'y', 0)]).ok, false);
  assert.equal(doctorReport([]).ok, true);
});

test('one line per check, names in one column, times in ms or s, then the count of failures', () => {
  const text = renderDoctorText(doctorReport([
    c('zookeeper reachable', 'pass', 'session on zk1:2181', 4.4),
    c('chroot present', 'fail', 'chroot /x does not exist on zk1:2181/x', 1234),
    c('cron expression valid', 'skip', 'no --cron given', 0),
  ]));
  assert.equal(
    text,
    [
      'PASS  zookeeper reachable    session on zk1:2181 (4 ms)',
      'FAIL  chroot present         chroot /x does not exist on zk1:2181/x (1.2 s)',
      'SKIP  cron expression valid  no --cron given (0 ms)',
      '1 of 3 checks failed',
    ].join('\n'),
  );
  assert.equal(renderDoctorText(doctorReport([c('a', 'pass', 'x', 1)])), 'PASS  a  x (1 ms)\nall checks passed');
});
