// Runs the built treesnap command (bin/treesnap, as installed; `npm test`
// builds first) as a child process, as an operator or systemd would, and
// follows its JSON log lines, for the daemon's integration tests.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { TREESNAP_BIN } from './treesnap-cli.js';

export interface LogLine {
  time: string;
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TreesnapProcess {
  child: ChildProcess;
  /** Every JSON line on stdout so far, in order. */
  lines: LogLine[];
  /** Lines on stdout that were not JSON (there should be none). */
  otherStdout: string[];
  stderr(): string;
  /** The first line at index >= from matching `pred`; rejects after timeoutMs or if the process exits first. */
  waitFor(pred: (l: LogLine) => boolean, opts: { timeoutMs: number; from?: number; what: string }): Promise<{ line: LogLine; index: number }>;
  exited: Promise<Exit>;
  /** Sends the signal and waits for the exit. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}


/** The test's environment without TREESNAP_* (the test server's TREESNAP_ZK must not leak into the CLI's options). */
function childEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('TREESNAP_')) env[k] = v;
  return { ...env, ...extra };
}

export function spawnTreesnap(args: string[], env: NodeJS.ProcessEnv = {}): TreesnapProcess {
  const child = spawn(TREESNAP_BIN, args, {
    cwd: process.cwd(),
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: LogLine[] = [];
  const otherStdout: string[] = [];
  let stderr = '';
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const w of waiters) w();
  };
  createInterface({ input: child.stdout! }).on('line', (text) => {
    try {
      lines.push(JSON.parse(text) as LogLine);
    } catch {
      otherStdout.push(text);
    }
    wake();
  });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  let exit: Exit | null = null;
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
      wake();
    }),
  );

  const waitFor: TreesnapProcess['waitFor'] = (pred, { timeoutMs, from = 0, what }) =>
    new Promise((resolve, reject) => {
      const check = () => {
        for (let i = from; i < lines.length; i++) {
          if (pred(lines[i]!)) {
            done();
            resolve({ line: lines[i]!, index: i });
            return;
          }
        }
        if (exit) {
          done();
          reject(new Error(`treesnap exited (${JSON.stringify(exit)}) before: ${what}\nstderr: ${stderr}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for: ${what}\nlast lines:\n${lines.slice(-5).map((l) => JSON.stringify(l)).join('\n')}\nstderr: ${stderr}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        waiters.delete(check);
      };
      waiters.add(check);
      check();
    });

  return {
    child,
    lines,
    otherStdout,
    stderr: () => stderr,
    waitFor,
    exited,
    async stop(signal = 'SIGTERM', timeoutMs = 30_000) {
      if (!exit) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const e = await exited;
      clearTimeout(timer);
      return e;
    },
  };
}

/** Runs the CLI to completion. */
export async function runTreesnap(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exit & { stdout: string; stderr: string }> {
  const child = spawn(TREESNAP_BIN, args, {
    cwd: process.cwd(),
    env: childEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.once('close', (c, s) => resolve([c, s])));
  return { code, signal, stdout, stderr };
}
