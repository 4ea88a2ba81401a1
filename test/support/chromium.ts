// Headless Chromium (Debian's `chromium`) for tests, without npm packages:
// one process per call, a fresh profile, the network made unusable (every
// name resolves to nothing, every proxied request goes to a closed port), a
// deadline, and the whole process group killed afterwards.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { err, ok, type Result } from '../../src/model/result.js';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-extensions',
  '--disable-default-apps',
  '--hide-scrollbars',
  '--mute-audio',
  // No network: names resolve to nothing and anything proxied goes to the closed port 9.
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--proxy-server=127.0.0.1:9',
];

export function chromiumPath(): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, 'chromium');
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      // not in this directory
    }
  }
  return null;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function runChromium(args: string[], timeoutMs: number): Promise<Result<Run, string>> {
  const bin = chromiumPath();
  if (!bin) return err('chromium is not installed (apt-get install -y chromium)');
  const profile = mkdtempSync(join(tmpdir(), 'treesnap-chromium-'));
  // Its own process group, so the renderer and helper processes go with it.
  const child = spawn(bin, [...FLAGS, `--user-data-dir=${profile}`, ...args], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const killGroup = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  };
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup();
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('error', () => resolve(null));
    child.on('close', (c) => resolve(c));
  });
  clearTimeout(timer);
  killGroup();
  rmSync(profile, { recursive: true, force: true });
  if (timedOut) return err(`chromium did not finish within ${timeoutMs} ms`);
  return ok({ code, stdout, stderr });
}

/** The DOM after the page loaded (scripts, had there been any, run), as HTML. */
export async function dumpDom(htmlFile: string, timeoutMs = 60_000): Promise<Result<string, string>> {
  const r = await runChromium(['--dump-dom', pathToFileURL(htmlFile).href], timeoutMs);
  if (!r.ok) return r;
  if (r.value.code !== 0 || !r.value.stdout.includes('</html>')) return err(`chromium --dump-dom exited ${r.value.code}: ${r.value.stderr.slice(-500)}`);
  return ok(r.value.stdout);
}

/** A PNG of the page's top `height` pixels at `width`. */
export async function screenshot(htmlFile: string, png: string, size = { width: 1400, height: 2000 }, timeoutMs = 60_000): Promise<Result<void, string>> {
  const r = await runChromium([`--screenshot=${png}`, `--window-size=${size.width},${size.height}`, pathToFileURL(htmlFile).href], timeoutMs);
  if (!r.ok) return r;
  if (r.value.code !== 0) return err(`chromium --screenshot exited ${r.value.code}: ${r.value.stderr.slice(-500)}`);
  return ok(undefined);
}
