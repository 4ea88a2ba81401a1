// The bench reads a process's CPU from /proc/PID/stat: user and system apart,
// counted after the command name, which may hold spaces and parentheses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cpuTimes } from '../../../bench/proc-stats.js';

test('utime and stime are fields 14 and 15, counted after the parenthesized command name', () => {
  // A real line's shape (proc(5)); utime 8312 and stime 1290 ticks of 1/100 s.
  const rest = 'S 1 4242 4242 0 -1 4194560 51234 0 12 0 8312 1290 0 0 20 0 11 0 123456 810012672 36000';
  assert.deepEqual(cpuTimes(`4243 (node) ${rest}`), { user: 83.12, system: 12.9 });
  assert.deepEqual(cpuTimes(`4243 (a (b) c) ${rest}`), { user: 83.12, system: 12.9 }, 'a name with spaces and parentheses');
});
