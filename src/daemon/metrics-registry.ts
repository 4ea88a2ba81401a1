// A small metrics registry and its Prometheus text exposition (format 0.0.4),
// written here rather than pulled in as a dependency: the daemon needs gauges
// and counters with labels, nothing more. Pure: rendering reads no clock.
export type MetricType = 'gauge' | 'counter';
export type Labels = Record<string, string>;

interface Sample {
  labels: Labels;
  value: number;
}

interface Family {
  name: string;
  help: string;
  type: MetricType;
  labelNames: readonly string[];
  samples: Map<string, Sample>;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export interface Gauge {
  set(labels: Labels, value: number): void;
  /** Drops every sample (before re-setting a whole label set). */
  clear(): void;
}

export interface Counter {
  inc(labels: Labels, by?: number): void;
  /** Makes a series visible at 0 before its first increment. */
  touch(labels: Labels): void;
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export class MetricsRegistry {
  private readonly families = new Map<string, Family>();

  gauge(name: string, help: string, labelNames: readonly string[] = []): Gauge {
    const f = this.register(name, help, 'gauge', labelNames);
    return {
      set: (labels, value) => this.put(f, labels, value),
      clear: () => f.samples.clear(),
    };
  }

  counter(name: string, help: string, labelNames: readonly string[] = []): Counter {
    const f = this.register(name, help, 'counter', labelNames);
    return {
      inc: (labels, by = 1) => {
        if (!(by >= 0)) throw new RangeError(`counter ${name} cannot go down (inc by ${by})`);
        const key = this.key(f, labels);
        this.put(f, labels, (f.samples.get(key)?.value ?? 0) + by);
      },
      touch: (labels) => {
        if (!f.samples.has(this.key(f, labels))) this.put(f, labels, 0);
      },
    };
  }

  /** Drops a family from the exposition (a part of the daemon that does not run). */
  unregister(name: string): void {
    this.families.delete(name);
  }

  /** The exposition: families in registration order, samples in first-set order. */
  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
      for (const s of f.samples.values()) lines.push(`${f.name}${renderLabels(s.labels, f.labelNames)} ${renderValue(s.value)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  private register(name: string, help: string, type: MetricType, labelNames: readonly string[]): Family {
    // Programming errors, not runtime conditions: fail at startup, loudly.
    if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${name}`);
    if (this.families.has(name)) throw new Error(`metric ${name} registered twice`);
    for (const l of labelNames) if (!LABEL_NAME.test(l) || l.startsWith('__')) throw new Error(`invalid label name ${l}`);
    const family: Family = { name, help, type, labelNames, samples: new Map() };
    this.families.set(name, family);
    return family;
  }

  private key(f: Family, labels: Labels): string {
    const given = Object.keys(labels);
    if (given.length !== f.labelNames.length || !f.labelNames.every((l) => Object.hasOwn(labels, l))) {
      throw new Error(`metric ${f.name} takes labels [${f.labelNames.join(', ')}], got [${given.join(', ')}]`);
    }
    return f.labelNames.map((l) => labels[l]).join('\u0000');
  }

  private put(f: Family, labels: Labels, value: number): void {
    const key = this.key(f, labels);
    f.samples.set(key, { labels: { ...labels }, value });
  }
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function renderLabels(labels: Labels, names: readonly string[]): string {
  if (names.length === 0) return '';
  return `{${names.map((n) => `${n}="${escapeLabelValue(labels[n] ?? '')}"`).join(',')}}`;
}

export function renderValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}
