// A simulated cluster in a process of its own (`treesnap sim`): the collector
// under test must not share an event loop with the 5,000 agents it probes.
import { spawn } from 'node:child_process';
import { CLI, ROOT, cleanEnv, stopProcess, waitForLine } from './processes.js';

export interface SimProcess {
  /** Connect string, chroot included. */
  zk: string;
  hosts: number;
  pid: number;
  /** The simulator's own startup time (agents listening, registered, tree persisted). */
  startupMs: number;
  stop(): Promise<void>;
}

let started = 0;

export async function startSimProcess(zk: string, hosts: number, fanout = 32): Promise<SimProcess> {
  const chrooted = `${zk.replace(/\/$/, '')}/treesnap-bench-${process.pid}-${++started}-${hosts}`;
  const child = spawn(CLI, ['sim', '--zk', chrooted, '--hosts', String(hosts), '--fanout', String(fanout)], {
    cwd: ROOT,
    env: cleanEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
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
  const total = /startup\s+([\d.]+) s total/.exec(lines.find((l) => l.startsWith('startup')) ?? '');
  return {
    zk: chrooted,
    hosts,
    pid: child.pid!,
    startupMs: total ? Number(total[1]) * 1000 : NaN,
    stop: () => stopProcess(child, 30_000),
  };
}
