// The test side of test/support/sim-driver.ts: spawns it, waits until the
// cluster is up, and sends it fault commands.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Endpoint, HostId } from '../../src/model/ids.js';
import type { LeafTruth, SimCommand } from './sim-driver.js';

export interface SimReady {
  chairman: Endpoint;
  root: Endpoint;
  hostIds: HostId[];
  leaves: LeafTruth[];
  startupMs: number;
}

export interface SimDriverProcess {
  ready: SimReady;
  pid: number;
  command<T = unknown>(command: SimCommand, timeoutMs?: number): Promise<T>;
  /** Stops the cluster (its layout is removed) and waits for the process; kills it if it takes too long. */
  stop(timeoutMs?: number): Promise<void>;
}

/** The test's environment without TREESNAP_* (a stray TREESNAP_ZK must not leak into the child). */
function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TREESNAP_')));
}

export async function startSimDriver(zk: string, hosts: number, fanout = 32, startTimeoutMs = 300_000): Promise<SimDriverProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/sim-driver.ts', zk, String(hosts), String(fanout)], {
    env: childEnv(),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const pending = new Map<number, (reply: { ok: boolean; value?: unknown; error?: string }) => void>();
  let onReady: (r: SimReady) => void = () => {};
  const ready = new Promise<SimReady>((resolve) => (onReady = resolve));
  createInterface({ input: child.stdout! }).on('line', (text) => {
    const msg = JSON.parse(text) as { event?: string; id?: number; ok?: boolean };
    if (msg.event === 'ready') onReady(msg as unknown as SimReady);
    else if (typeof msg.id === 'number') pending.get(msg.id)?.(msg as never);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const started = await Promise.race([
    ready,
    exited.then((code) => new Error(`sim-driver exited (${code}) before ready: ${stderr}`)),
    new Promise<Error>((resolve) => setTimeout(() => resolve(new Error(`sim-driver not ready within ${startTimeoutMs} ms: ${stderr}`)), startTimeoutMs).unref()),
  ]);
  if (started instanceof Error) {
    child.kill('SIGKILL');
    throw started;
  }

  let nextId = 0;
  return {
    ready: started,
    pid: child.pid!,
    command<T>(command: SimCommand, timeoutMs = 60_000): Promise<T> {
      const id = ++nextId;
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`sim-driver: ${command.op} took over ${timeoutMs} ms`)), timeoutMs);
        pending.set(id, (reply) => {
          clearTimeout(timer);
          pending.delete(id);
          if (reply.ok) resolve(reply.value as T);
          else reject(new Error(`sim-driver: ${command.op}: ${reply.error}`));
        });
        child.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
      });
    },
    async stop(timeoutMs = 60_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.stdin!.end(); // the driver stops its cluster when its input closes
      await exited;
      clearTimeout(timer);
    },
  };
}
