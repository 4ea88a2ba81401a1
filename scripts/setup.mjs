// Quiet set-up for bootstrap.mjs (and .ci/run): what the tests, the demo and
// the benchmarks need from the machine, and one line per step with its time.
// Plain JavaScript with no dependency, so it runs on a fresh clone. A step's
// full output goes to one log file, whose path is printed only when a step fails.
import { spawnSync } from 'node:child_process';
import { accessSync, appendFileSync, constants, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

function onPath(command) {
  return (process.env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

// Must match the jars scripts/zookeeper-server.ts starts the server from.
const ZK_JARS = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'];

// Must match where scripts/postgres-server.ts looks for initdb and pg_ctl (Debian's layout).
function postgresServerInstalled() {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return false;
  return readdirSync(root).some((v) => existsSync(join(root, v, 'bin', 'initdb')) && existsSync(join(root, v, 'bin', 'pg_ctl')));
}

/** What the machine must provide: name, how to tell it is there, and the Debian package that provides it. */
export const REQUIREMENTS = [
  { name: 'zookeeper', check: () => ZK_JARS.every((j) => existsSync(j)), debian: 'zookeeper' },
  { name: 'chromium', check: () => onPath('chromium'), debian: 'chromium' },
  { name: 'postgresql', check: postgresServerInstalled, debian: 'postgresql' },
];

function seconds(ms) {
  return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 1000)} s`;
}

/** Steps that print one line each and log their output to `logPath`. */
export function quietSteps(logPath) {
  // The log starts empty at the first step: a caller with nothing to do leaves an earlier log alone.
  let started = false;
  const start = () => {
    if (started) return;
    started = true;
    mkdirSync(dirname(logPath), { recursive: true });
    writeFileSync(logPath, '');
  };
  const fail = (label, why) => {
    process.stderr.write(`${label}: ${why}; full output in ${logPath}\n`);
    process.exit(1);
  };
  return {
    /** Runs cmd; prints "label... 41 s", or the failure and the log's path (then exits). */
    run(label, cmd, args, opts = {}) {
      start();
      process.stderr.write(`${label}... `);
      appendFileSync(logPath, `\n$ ${[cmd, ...args].join(' ')}\n`);
      const started = Date.now();
      const r = spawnSync(cmd, args, { ...opts, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
      appendFileSync(logPath, (r.stdout ?? '') + (r.stderr ?? ''));
      const took = seconds(Date.now() - started);
      if (r.error || r.status !== 0) {
        process.stderr.write(`failed after ${took}\n`);
        fail(label, r.error ? r.error.message : `exit ${r.status ?? r.signal}`);
      }
      process.stderr.write(`${took}\n`);
    },
    fail,
  };
}

/** The requirements named in `names` that this machine lacks. */
export function missingRequirements(names, table = REQUIREMENTS) {
  return table.filter((r) => names.includes(r.name) && !r.check());
}

/** One line: what is missing and how to get it (for a user who is not root). */
export function installHint(missing) {
  const pkgs = missing.map((r) => r.debian).join(' ');
  return `setup: missing ${missing.map((r) => r.name).join(', ')}: install Debian's ${pkgs} (sudo apt-get install ${pkgs}), then run this again`;
}

/**
 * Installs the Debian packages of the missing requirements named in `names`
 * (as root, with apt-get); not root, says in one line what is missing and how
 * to get it, and exits 1.
 */
export function ensureRequirements(names, steps) {
  const missing = missingRequirements(names);
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0 || !onPath('apt-get')) {
    process.stderr.write(`${installHint(missing)}\n`);
    process.exit(1);
  }
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  steps.run('apt: updating the package lists', 'apt-get', ['update', '-qq'], { env });
  for (const r of missing) {
    steps.run(`${r.name}: installing Debian's package ${r.debian}`, 'apt-get', ['install', '-y', '-qq', r.debian], { env });
    if (!r.check()) steps.fail(r.name, `still missing after installing ${r.debian}`);
  }
}
