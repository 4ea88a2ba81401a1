// Section 4: `treesnap run` in steady state against the largest simulated
// cluster: RSS and CPU of the daemon process, sampled at each tick's log
// line, over `ticks` collections; and the V8 heap of its thread (the
// collection runs in it), scraped from the daemon's own metrics endpoint at
// the same moments (issue 17: steady RSS, peak RSS and CPU per tick against
// their targets, bench/targets.ts).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { CLI, ROOT, cleanEnv, stopProcess, waitForLine } from '../processes.js';
import { sampleProcess, type ProcSample } from '../proc-stats.js';
import type { SimProcess } from '../sim-process.js';
import { median, slope, summarize, type Summary } from '../stats.js';
import { table } from '../table.js';

export interface TickSample extends ProcSample {
  tick: number;
  outcome: string;
  durationMs: number;
  /** nodejs_heap_used_bytes of the main thread, MiB (NaN when the scrape failed). */
  heapUsedMiB: number;
  /** nodejs_heap_total_bytes: the main thread's heap reserved, garbage included. */
  heapTotalMiB: number;
}

export interface DaemonResult {
  hosts: number;
  cron: string;
  intervalS: number;
  ticksWanted: number;
  ticks: number;
  /** Stopped by the wall-clock cap before `ticksWanted`. */
  cappedAt: number | null;
  outcomes: Record<string, number>;
  tickMs: Summary;
  rssMiB: { tick1: number; tick10: number; last: number; min: number; max: number; peak: number };
  /** Median RSS of the second quarter of the ticks (after warm-up) vs the last quarter, and the least-squares slope after tick 10. */
  rssGrowth: { earlyMedianMiB: number; lateMedianMiB: number; slopeKiBPerTick: number };
  /** Per tenth of the ticks: median and lowest RSS (the lowest is closest to what survives garbage collection), and the lowest main-thread heap in use. */
  rssByTenth: { medianMiB: number; minMiB: number; minHeapMiB: number }[];
  /** Average cores used over the run, and CPU seconds per tick (of which in the kernel). */
  cpu: { cores: number; secondsPerTick: number; systemSecondsPerTick: number };
  /** Steady state: medians over the ticks after the first tenth (warm-up). */
  steady: { rssMiB: number; heapUsedMiB: number; heapTotalMiB: number };
  samples: TickSample[];
}

interface LogRecord {
  msg: string;
  tick?: number;
  outcome?: string;
  durationMs?: number;
  metrics?: string;
}

type Heaps = Pick<TickSample, 'heapUsedMiB' | 'heapTotalMiB'>;

const NO_HEAPS: Heaps = { heapUsedMiB: NaN, heapTotalMiB: NaN };

function metricMiB(text: string, series: string): number {
  const at = text.split('\n').find((l) => l.startsWith(`${series} `));
  return at ? Number(at.slice(series.length + 1)) / 2 ** 20 : NaN;
}

async function heaps(metricsUrl: string): Promise<Heaps> {
  try {
    const text = await (await fetch(metricsUrl, { signal: AbortSignal.timeout(2000) })).text();
    return {
      heapUsedMiB: metricMiB(text, 'nodejs_heap_used_bytes'),
      heapTotalMiB: metricMiB(text, 'nodejs_heap_total_bytes'),
    };
  } catch {
    return NO_HEAPS;
  }
}

function medianOf(samples: readonly TickSample[], pick: (s: TickSample) => number): number {
  const xs = samples.map(pick).filter((x) => !Number.isNaN(x));
  return xs.length ? median(xs) : NaN;
}

export async function benchDaemon(sim: SimProcess, o: { ticks: number; intervalS: number; capMs: number; workDir: string }): Promise<DaemonResult> {
  const cron = `*/${o.intervalS} * * * * *`;
  const args = ['run', '--zk', sim.zk, '--db', join(o.workDir, 'daemon.db'), '--cron', cron, '--budget', `${o.intervalS}s`, '--log-format', 'json', '--metrics-port', '0'];
  const child = spawn(CLI, args, { cwd: ROOT, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  child.stderr.resume();
  const started = JSON.parse(await waitForLine(child, /"msg":"started"/, 60_000)) as LogRecord;
  const metricsUrl = started.metrics ?? '';
  const pid = child.pid!;
  const scrapes: Promise<void>[] = [];
  const start = sampleProcess(pid)!;
  const samples: TickSample[] = [];
  const outcomes: Record<string, number> = {};
  let cappedAt: number | null = null;
  await new Promise<void>((resolve) => {
    let buffered = '';
    const cap = setTimeout(() => {
      cappedAt = samples.length;
      resolve();
    }, o.capMs);
    child.stdout.on('data', (b: Buffer) => {
      buffered += b.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        const rec = JSON.parse(line) as LogRecord;
        if (rec.msg !== 'collection' || rec.tick === undefined) continue;
        const s = sampleProcess(pid);
        if (!s) continue;
        const sample: TickSample = { ...s, tick: rec.tick, outcome: rec.outcome ?? '?', durationMs: rec.durationMs ?? NaN, ...NO_HEAPS };
        samples.push(sample);
        scrapes.push(heaps(metricsUrl).then((h) => void Object.assign(sample, h)));
        outcomes[rec.outcome ?? '?'] = (outcomes[rec.outcome ?? '?'] ?? 0) + 1;
        if (samples.length >= o.ticks) {
          clearTimeout(cap);
          resolve();
        }
      }
    });
    child.once('exit', () => {
      clearTimeout(cap);
      resolve();
    });
  });
  await Promise.all(scrapes);
  await stopProcess(child, 20_000);
  const rss = samples.map((s) => s.rssMiB);
  const tenth = Math.max(1, Math.floor(samples.length / 10));
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const after10 = samples.slice(Math.min(10, samples.length - 1));
  const last = samples[samples.length - 1]!;
  const warm = samples.slice(Math.min(tenth, samples.length - 1));
  return {
    hosts: sim.hosts,
    cron,
    intervalS: o.intervalS,
    ticksWanted: o.ticks,
    ticks: samples.length,
    cappedAt,
    outcomes,
    tickMs: summarize(samples.map((s) => s.durationMs)),
    rssMiB: {
      tick1: rss[0]!,
      tick10: rss[Math.min(9, rss.length - 1)]!,
      last: last.rssMiB,
      min: Math.min(...rss),
      max: Math.max(...rss),
      peak: last.peakRssMiB,
    },
    rssGrowth: {
      earlyMedianMiB: median(rss.slice(quarter, 2 * quarter)),
      lateMedianMiB: median(rss.slice(-quarter)),
      slopeKiBPerTick: slope(after10.map((s) => s.tick), after10.map((s) => s.rssMiB * 1024)),
    },
    rssByTenth: Array.from({ length: Math.min(10, rss.length) }, (_, i) => {
      const part = samples.slice(i * tenth, i === 9 ? samples.length : (i + 1) * tenth);
      const heaps = part.map((x) => x.heapUsedMiB).filter((h) => !Number.isNaN(h));
      return { medianMiB: median(part.map((x) => x.rssMiB)), minMiB: Math.min(...part.map((x) => x.rssMiB)), minHeapMiB: heaps.length ? Math.min(...heaps) : NaN };
    }),
    cpu: {
      cores: (last.cpuSeconds - start.cpuSeconds) / ((last.at - start.at) / 1000),
      secondsPerTick: (last.cpuSeconds - start.cpuSeconds) / samples.length,
      systemSecondsPerTick: (last.systemSeconds - start.systemSeconds) / samples.length,
    },
    steady: {
      rssMiB: medianOf(warm, (s) => s.rssMiB),
      heapUsedMiB: medianOf(warm, (s) => s.heapUsedMiB),
      heapTotalMiB: medianOf(warm, (s) => s.heapTotalMiB),
    },
    samples,
  };
}

export function daemonTable(r: DaemonResult): string {
  const g = r.rssGrowth;
  return table(
    `Daemon steady state: treesnap run --cron "${r.cron}" against ${r.hosts} hosts, ${r.ticks} ticks${r.cappedAt !== null ? ` (stopped by the time cap; ${r.ticksWanted} wanted)` : ''}`,
    ['measure', 'value'],
    [
      ['outcomes', Object.entries(r.outcomes).map(([k, v]) => `${k} ${v}`).join(', ')],
      ['tick duration p50 / p99 ms', `${r.tickMs.p50} / ${r.tickMs.p99}`],
      ['RSS MiB at tick 1 / 10 / last', `${r.rssMiB.tick1.toFixed(0)} / ${r.rssMiB.tick10.toFixed(0)} / ${r.rssMiB.last.toFixed(0)}`],
      ['RSS MiB min / max over ticks (peak VmHWM)', `${r.rssMiB.min.toFixed(0)} / ${r.rssMiB.max.toFixed(0)} (${r.rssMiB.peak.toFixed(0)})`],
      ['RSS MiB median 2nd quarter → last quarter', `${g.earlyMedianMiB.toFixed(1)} → ${g.lateMedianMiB.toFixed(1)}`],
      ['RSS MiB median per tenth of the ticks', r.rssByTenth.map((t) => t.medianMiB.toFixed(0)).join(' ')],
      ['RSS MiB lowest per tenth of the ticks', r.rssByTenth.map((t) => t.minMiB.toFixed(0)).join(' ')],
      ['V8 heap MiB, lowest per tenth', r.rssByTenth.map((t) => t.minHeapMiB.toFixed(0)).join(' ')],
      ['steady (median after the first tenth): RSS MiB', r.steady.rssMiB.toFixed(0)],
      ['steady: V8 heap MiB used / reserved', `${r.steady.heapUsedMiB.toFixed(0)} / ${r.steady.heapTotalMiB.toFixed(0)}`],
      ['RSS slope after tick 10, KiB/tick', g.slopeKiBPerTick],
      ['CPU: cores used on average', r.cpu.cores],
      ['CPU seconds per tick', r.cpu.secondsPerTick],
      ['  of which in the kernel (system time)', r.cpu.systemSecondsPerTick],
    ],
  );
}
