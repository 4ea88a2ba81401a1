import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsRegistry, renderValue } from '../../../src/daemon/metrics-registry.js';
import { parsePrometheusText, promValue } from '../../support/prometheus-text.js';

test('renders HELP, TYPE and labelled samples that a strict reader accepts', () => {
  const r = new MetricsRegistry();
  const g = r.gauge('t_nodes', 'Nodes per status.', ['status']);
  const c = r.counter('t_errors_total', 'Errors.\nBy source.', ['source', 'kind']);
  g.set({ status: 'online' }, 3);
  g.set({ status: 'offline' }, 0);
  c.inc({ source: 'chairman', kind: 'timeout' });
  c.inc({ source: 'chairman', kind: 'timeout' }, 2);
  const text = r.render();
  const f = parsePrometheusText(text);
  assert.equal(f.get('t_nodes')?.type, 'gauge');
  assert.equal(f.get('t_errors_total')?.type, 'counter');
  assert.equal(f.get('t_errors_total')?.help, 'Errors.\\nBy source.');
  assert.equal(promValue(f, 't_nodes', { status: 'online' }), 3);
  assert.equal(promValue(f, 't_errors_total', { source: 'chairman', kind: 'timeout' }), 3);
  assert.match(text, /^# HELP t_nodes Nodes per status\.\n# TYPE t_nodes gauge\nt_nodes\{status="online"\} 3\n/);
});

test('escapes label values: backslash, quote and newline', () => {
  const r = new MetricsRegistry();
  r.gauge('t_g', 'g', ['path']).set({ path: 'a\\b"c\nd' }, 1);
  const text = r.render();
  assert.ok(text.includes('t_g{path="a\\\\b\\"c\\nd"} 1'), text);
  assert.equal(parsePrometheusText(text).get('t_g')?.samples[0]?.labels.path, 'a\\b"c\nd');
});

test('special values are written the way Prometheus reads them', () => {
  assert.equal(renderValue(NaN), 'NaN');
  assert.equal(renderValue(Infinity), '+Inf');
  assert.equal(renderValue(-Infinity), '-Inf');
  assert.equal(renderValue(0.25), '0.25');
  assert.equal(renderValue(1_700_000_000.123), '1700000000.123');
});

test('a touched counter shows 0; counters never go down', () => {
  const r = new MetricsRegistry();
  const c = r.counter('t_c_total', 'c', ['reason']);
  c.touch({ reason: 'overlap' });
  assert.equal(promValue(parsePrometheusText(r.render()), 't_c_total', { reason: 'overlap' }), 0);
  assert.throws(() => c.inc({ reason: 'overlap' }, -1), /cannot go down/);
});

test('wrong label sets and bad names are programming errors', () => {
  const r = new MetricsRegistry();
  const g = r.gauge('t_g', 'g', ['a']);
  assert.throws(() => g.set({ b: 'x' }, 1), /takes labels \[a\]/);
  assert.throws(() => r.gauge('bad-name', 'x'), /invalid metric name/);
  assert.throws(() => r.gauge('t_g', 'again'), /registered twice/);
  assert.throws(() => r.gauge('t_h', 'x', ['__reserved']), /invalid label name/);
});

test('the strict reader rejects what Prometheus rejects (so the tests above can fail)', () => {
  assert.throws(() => parsePrometheusText('x 1'), /newline/);
  assert.throws(() => parsePrometheusText('x{a=b} 1\n'), /unquoted/);
  assert.throws(() => parsePrometheusText('x one\n'), /bad value/);
  assert.throws(() => parsePrometheusText('x 1\n# TYPE x gauge\n'), /after its samples/);
  assert.throws(() => parsePrometheusText('x 1\ny 1\nx{a="1"} 2\n'), /not contiguous/);
  assert.throws(() => parsePrometheusText('x{a="1"} 1\nx{a="1"} 2\n'), /duplicate/);
});
