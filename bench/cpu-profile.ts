// Where a process's time went, from a V8 .cpuprofile (node --cpu-prof):
// self time by area and the heaviest functions (pure over the parsed file).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { table, type Cell } from './table.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  byArea: { area: string; ms: number; share: number }[];
  topFunctions: { fn: string; ms: number; share: number }[];
}

const CODE = (dir: string) => new RegExp(`/(src|dist)/${dir}/`);

const AREAS: [string, (f: CallFrame) => boolean][] = [
  ['idle (waiting for I/O)', (f) => f.functionName === '(idle)'],
  ['garbage collection', (f) => f.functionName === '(garbage collector)'],
  [
    'module loading (startup)',
    (f) => /node:internal\/(modules|deps\/cjs-module-lexer|url)|tsx|esbuild/.test(f.url) || /^(compileSourceTextModule|openFileHandle|internalModuleStat|readFileUtf8)$/.test(f.functionName),
  ],
  ['ZooKeeper client (node-zookeeper-client, readers)', (f) => /node-zookeeper-client/.test(f.url) || CODE('sources/zookeeper').test(f.url)],
  ['Thrift (runtime, generated code, RPC clients)', (f) => /node_modules\/thrift/.test(f.url) || CODE('(generated|sources/thrift|wire)').test(f.url)],
  ['store (SQLite, drizzle, planning, canonical JSON)', (f) => /better-sqlite3|drizzle-orm/.test(f.url) || CODE('(store|snapshot)').test(f.url)],
  ['queries (src/query)', (f) => CODE('query').test(f.url)],
  ['CLI: yargs, rendering, writing the output', (f) => /yargs|cliui|string-width|wrap-ansi|y18n/.test(f.url) || CODE('cli').test(f.url) || /^(writeUtf8String|handleWriteReq)$/.test(f.functionName)],
  ['probes (src/sources/probe)', (f) => CODE('sources/probe').test(f.url)],
  [
    'sockets and buffers (node:net, streams, syscalls)',
    (f) => /node:net|node:internal\/(streams|stream_base|net)|node:buffer|node:internal\/buffer|node:events/.test(f.url) || (f.url === '' && /write|close|connect|read|Buffer/i.test(f.functionName)),
  ],
];

function area(f: CallFrame): string {
  return AREAS.find(([, test]) => test(f))?.[0] ?? 'other';
}

export function summarizeProfile(profile: CpuProfile, top = 15): ProfileSummary {
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const f = frames.get(id)!;
    total += us;
    byArea.set(area(f), (byArea.get(area(f)) ?? 0) + us);
    const where = f.url ? `${f.url.replace(/^.*\/(node_modules\/|src\/|bench\/)/, '$1')}:${f.lineNumber + 1}` : '(native)';
    const fn = `${f.functionName || '(anonymous)'} ${where}`;
    byFn.set(fn, (byFn.get(fn) ?? 0) + us);
  }
  const rows = <K extends string>(m: Map<string, number>, key: K) =>
    [...m].sort((a, b) => b[1] - a[1]).map(([k, us]) => ({ [key]: k, ms: us / 1000, share: us / total }) as { [P in K]: string } & { ms: number; share: number });
  return { totalMs: total / 1000, byArea: rows(byArea, 'area'), topFunctions: rows(byFn, 'fn').slice(0, top) };
}

/** The largest .cpuprofile in `dir` (the main thread's, when workers wrote their own). */
export function summarizeProfileDir(dir: string): ProfileSummary | null {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(dir, f));
  if (!files.length) return null;
  const largest = files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
  return summarizeProfile(JSON.parse(readFileSync(largest, 'utf8')) as CpuProfile);
}

export function profileTable(title: string, p: ProfileSummary): string {
  const areas = table(`${title}: ${p.totalMs.toFixed(0)} ms of samples, self time by area`, ['area', 'ms', 'share %'], p.byArea.map((a): Cell[] => [a.area, a.ms, a.share * 100]));
  const fns = table('heaviest functions (self time)', ['function', 'ms', 'share %'], p.topFunctions.map((f): Cell[] => [f.fn, f.ms, f.share * 100]));
  return `${areas}\n${fns}`;
}
