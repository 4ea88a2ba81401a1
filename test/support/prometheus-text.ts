// A strict reader of the Prometheus text exposition format (0.0.4), for tests:
// it throws on anything a Prometheus server would reject (bad names, bad label
// syntax or escapes, unparsable values, a TYPE after its samples, a family
// split in two, a duplicate series).
export interface PromSample {
  labels: Record<string, string>;
  value: number;
}

export interface PromFamily {
  name: string;
  type: string | null;
  help: string | null;
  samples: PromSample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

function parseValue(text: string, line: string): number {
  if (text === 'NaN') return NaN;
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (!/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) throw new Error(`bad value in: ${line}`);
  return Number(text);
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const eq = text.indexOf('=', i);
    if (eq < 0) throw new Error(`bad labels in: ${line}`);
    const name = text.slice(i, eq).trim();
    if (!LABEL.test(name)) throw new Error(`bad label name "${name}" in: ${line}`);
    if (Object.hasOwn(labels, name)) throw new Error(`label ${name} twice in: ${line}`);
    if (text[eq + 1] !== '"') throw new Error(`unquoted label value in: ${line}`);
    let value = '';
    let j = eq + 2;
    for (; j < text.length && text[j] !== '"'; j++) {
      if (text[j] !== '\\') {
        value += text[j];
        continue;
      }
      const next = text[++j];
      if (next === 'n') value += '\n';
      else if (next === '\\' || next === '"') value += next;
      else throw new Error(`bad escape \\${next} in: ${line}`);
    }
    if (j >= text.length) throw new Error(`unterminated label value in: ${line}`);
    labels[name] = value;
    i = j + 1;
    if (text[i] === ',') i++;
    else if (i < text.length) throw new Error(`expected , between labels in: ${line}`);
  }
  return labels;
}

function parseSample(line: string): { name: string; sample: PromSample } {
  const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)(\s+-?\d+)?$/.exec(line);
  if (!m) throw new Error(`not a sample line: ${line}`);
  return { name: m[1]!, sample: { labels: parseLabels(m[3] ?? '', line), value: parseValue(m[4]!, line) } };
}

export function parsePrometheusText(text: string): Map<string, PromFamily> {
  if (!text.endsWith('\n')) throw new Error('exposition must end with a newline');
  const families = new Map<string, PromFamily>();
  const seenSeries = new Set<string>();
  let current: string | null = null;
  const family = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: null, help: null, samples: [] }));
    return f;
  };
  for (const line of text.slice(0, -1).split('\n')) {
    if (line.trim() === '') continue;
    const meta = /^#\s+(HELP|TYPE)\s+(\S+)\s?(.*)$/.exec(line);
    if (meta) {
      const [, what, name, rest] = meta;
      if (!NAME.test(name!)) throw new Error(`bad metric name in: ${line}`);
      const f = family(name!);
      if (f.samples.length) throw new Error(`${what} for ${name} after its samples`);
      if (what === 'TYPE') {
        if (f.type !== null) throw new Error(`second TYPE for ${name}`);
        if (!TYPES.has(rest!)) throw new Error(`unknown type in: ${line}`);
        f.type = rest!;
      } else {
        if (f.help !== null) throw new Error(`second HELP for ${name}`);
        f.help = rest!;
      }
      current = name!;
      continue;
    }
    if (line.startsWith('#')) continue;
    const { name, sample } = parseSample(line);
    if (current !== name && families.get(name)?.samples.length) throw new Error(`samples of ${name} are not contiguous`);
    current = name;
    const key = `${name}${JSON.stringify(Object.entries(sample.labels).sort())}`;
    if (seenSeries.has(key)) throw new Error(`duplicate series: ${line}`);
    seenSeries.add(key);
    family(name).samples.push(sample);
  }
  return families;
}

/** The value of one series; throws when it is absent. */
export function promValue(families: Map<string, PromFamily>, name: string, labels: Record<string, string> = {}): number {
  const f = families.get(name);
  const want = Object.entries(labels);
  const s = f?.samples.find((x) => want.every(([k, v]) => x.labels[k] === v) && Object.keys(x.labels).length === want.length);
  if (!s) throw new Error(`no series ${name}${JSON.stringify(labels)}`);
  return s.value;
}
