// A simulated cluster in a process of its own (`treesnap sim`): the collector
// under test must not share an event loop with the 5,000 agents it probes.
import { spawn } from 'node:child_process';
import type { Endpoint } from '../src/model/ids.js';
import { CLI, ROOT, cleanEnv, stopProcess, waitForLine } from './processes.js';

export interface SimProcess {
  /** Connect string, chroot included. */
  zk: string;
  hosts: number;
  pid: number;
  /** Where the chairman and the root scheduler listen (as `treesnap sim` prints them). */
  chairman: Endpoint;
  root: Endpoint;
  /** The simulator's own startup time (agents listening, registered, tree persisted). */
  startupMs: number;
  /** One line of the simulator's console (src/sim/sim-console.ts) with a one-line answer: "ok", or an error. */
  command(line: string): Promise<void>;
  stop(): Promise<void>;
}

let started = 0;

export async function startSimProcess(zk: string, hosts: number, fanout = 32): Promise<SimProcess> {
  const chrooted = `${zk.replace(/\/$/, '')}/treesnap-bench-${process.pid}-${++started}-${hosts}`;
  const child = spawn(CLI, ['sim', '--zk', chrooted, '--hosts', String(hosts), '--fanout', String(fanout)], {
    cwd: ROOT,
    env: cleanEnv(),
    // stdin: the console, for faults (`stop-agent`, `start-agent`).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stderr.resume();
  const lines: string[] = [];
  try {
    await waitForLine(child, /^running; /, 30_000 + hosts * 60, lines);
  } catch (e) {
    await stopProcess(child, 5000);
    throw new Error(`bench: simulator of ${hosts} hosts: ${(e as Error).message}`);
  }
  child.stdout.resume();
  const chairman = endpointLine(lines, /^chairman\s+(\S+):(\d+)/);
  const root = endpointLine(lines, /^root scheduler\s+(\S+):(\d+)/);
  if (!chairman || !root) {
    await stopProcess(child, 5000);
    throw new Error(`bench: simulator of ${hosts} hosts did not say where the chairman and the root scheduler listen`);
  }
  const total = /startup\s+([\d.]+) s total/.exec(lines.find((l) => l.startsWith('startup')) ?? '');
  return {
    zk: chrooted,
    hosts,
    pid: child.pid!,
    chairman,
    root,
    startupMs: total ? Number(total[1]) * 1000 : NaN,
    command: async (line) => {
      const answer = waitForLine(child, /^(ok|error: .*)$/, 30_000);
      child.stdin.write(`${line}\n`);
      const got = await answer;
      if (got !== 'ok') throw new Error(`bench: simulator console: ${line}: ${got}`);
    },
    stop: () => stopProcess(child, 30_000),
  };
}

function endpointLine(lines: readonly string[], pattern: RegExp): Endpoint | null {
  for (const line of lines) {
    const m = pattern.exec(line);
    if (m) return { host: m[1]!, port: Number(m[2]) };
  }
  return null;
}
