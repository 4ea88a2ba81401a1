import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseLogFormat, createLogger } from '../../../src/daemon/logger.js';
import { jsonLine, textLine } from '../../../src/daemon/log-line.js';

const at = Date.parse('2026-11-25T03:00:00.123Z');

test('JSON lines: one object per line with time, level, msg and the fields', () => {
  const line = jsonLine({ time: at, level: 'warn', msg: 'collection', fields: { snapshot: 7, failed: ['chairman'], skip: undefined } });
  assert.deepEqual(JSON.parse(line), {
    time: '2026-11-25T03:00:00.123Z',
    level: 'warn',
    msg: 'collection',
    snapshot: 7,
    failed: ['chairman'],
  });
  assert.ok(!line.includes('\n'));
});

test('text lines: readable, values with spaces quoted, lists joined', () => {
  const line = textLine({ time: at, level: 'info', msg: 'collection', fields: { outcome: 'partial', failed: ['chairman', 'root'], error: 'unreachable: ECONNREFUSED 127.0.0.1:1' } });
  assert.equal(line, '2026-11-25T03:00:00.123Z INFO  collection outcome=partial failed=chairman,root error="unreachable: ECONNREFUSED 127.0.0.1:1"');
});

test('the level filters, and the format follows the terminal unless forced', () => {
  const lines: string[] = [];
  const log = createLogger({ level: 'warn', format: 'json', write: (l) => lines.push(l), now: () => at });
  log.debug('d');
  log.info('i');
  log.warn('w');
  log.error('e', { error: new Error('boom') });
  assert.deepEqual(lines.map((l) => (JSON.parse(l) as { msg: string }).msg), ['w', 'e']);
  assert.equal((JSON.parse(lines[1]!) as { error: { message: string } }).error.message, 'boom');
  assert.ok(lines.every((l) => l.endsWith('\n')));
  assert.equal(chooseLogFormat('auto', true), 'text');
  assert.equal(chooseLogFormat('auto', false), 'json');
  assert.equal(chooseLogFormat('json', true), 'json');
});
