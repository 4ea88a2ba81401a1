// Child processes of the bench: TypeScript entries run with tsx's loader, the
// built CLI, JSON reports read from stdout, and wall times of whole runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The installed command: a shell script that starts node (bin/treesnap). */
export const CLI = join(ROOT, 'bin', 'treesnap');

/** Environment for children: no TREESNAP_* option leaks in from the caller's shell. */
export function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TREESNAP_')));
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/** Runs `node [nodeArgs] args...`, or with `command`, `command args...` (node flags then go in NODE_OPTIONS). */
export function run(args: string[], opts: { timeoutMs: number; nodeArgs?: string[]; command?: string }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const nodeArgs = opts.nodeArgs ?? [];
    const [cmd, argv, env] = opts.command
      ? [opts.command, args, { ...cleanEnv(), ...(nodeArgs.length ? { NODE_OPTIONS: nodeArgs.join(' ') } : {}) }]
      : [process.execPath, [...nodeArgs, ...args], cleanEnv()];
    const child = spawn(cmd, argv, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bench: ${args.join(' ')} took over ${opts.timeoutMs} ms`));
    }, opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      // Timed before the output is joined and decoded: that is the bench's work, not the command's
      // (11 MB of `show --json` took ~20 ms of it, counted in the call until 2026-12-08).
      const wallMs = performance.now() - t0;
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), wallMs });
    });
  });
}

/** Runs a bench TypeScript entry and parses the JSON line it prints last. */
export async function runJsonChild<T>(entry: string, args: string[], timeoutMs: number, nodeArgs: string[] = []): Promise<T> {
  const r = await run([join(ROOT, entry), ...args], { timeoutMs, nodeArgs: [...nodeArgs, '--import', 'tsx'] });
  if (r.code !== 0) throw new Error(`bench: ${entry} exited ${r.code}: ${r.stderr.trim().split('\n').slice(-5).join(' | ')}`);
  const last = r.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(last) as T;
}

/** Resolves with the first stdout line matching `ready`, or rejects when the process exits or the time is up. */
export function waitForLine(child: ChildProcess, ready: RegExp, timeoutMs: number, lines: string[] = []): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = '';
    const timer = setTimeout(() => finish(new Error(`no line matching ${ready} within ${timeoutMs} ms; last: ${lines.slice(-3).join(' | ')}`)), timeoutMs);
    const onData = (b: Buffer) => {
      buffered += b.toString();
      let nl;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        lines.push(line);
        if (ready.test(line)) return finish(null, line);
      }
    };
    const onExit = (code: number | null) => finish(new Error(`exited (${code}) before ready; last: ${lines.slice(-3).join(' | ')}`));
    function finish(e: Error | null, line?: string): void {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
      if (e) reject(e);
      else resolve(line!);
    }
    child.stdout!.on('data', onData);
    child.on('exit', onExit);
  });
}

/** SIGTERM, then SIGKILL if it has not exited within `graceMs`. */
export async function stopProcess(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
