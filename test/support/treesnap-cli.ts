// Runs the built CLI (bin/treesnap, as installed; `npm test` builds first)
// as a child process, with no TREESNAP_* variable leaking in from the test's
// environment, and checks the shape of its errors.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The installed command (a shell script that starts node), by absolute path: callers may run it from any directory. */
export const TREESNAP_BIN = resolve('bin/treesnap');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('TREESNAP_')));
  return { ...env, ...extra };
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Working directory of the command (default: the test's). */
  cwd?: string;
  timeoutMs?: number;
  /** Wraps the command line, e.g. to run it under a resource limit. */
  wrap?: (command: string[]) => string[];
}

/** Runs `treesnap args...`; kills it after timeoutMs (the result then has signal SIGKILL). */
export function treesnap(args: string[], opts: CliOptions = {}): Promise<CliResult> {
  const startedAt = performance.now();
  const [cmd, ...rest] = (opts.wrap ?? ((c) => c))([TREESNAP_BIN, ...args]);
  const child = spawn(cmd!, rest, { cwd: opts.cwd, env: cleanEnv(opts.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
  return new Promise((resolve) =>
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - startedAt });
    }),
  );
}

/** Exit code `code`, exactly one stderr line "treesnap: ..." matching `pattern`, no stack trace. */
export function assertOneLineError(r: CliResult, code: number, pattern: RegExp, what = ''): void {
  const label = what ? `${what}: ` : '';
  assert.equal(r.code, code, `${label}exit code; stderr: ${r.stderr}`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `${label}one line expected, got:\n${r.stderr}`);
  assert.match(lines[0]!, /^treesnap: \S/, label);
  assert.match(lines[0]!, pattern, label);
  assert.doesNotMatch(r.stderr, /\n\s+at |Error: /, `${label}no stack trace, no raw exception`);
}
