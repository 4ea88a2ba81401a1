// A throwaway PostgreSQL server for tests: installs Debian's postgresql package
// when its server binaries are absent, makes a cluster in a temp dir with
// initdb, starts it with pg_ctl on a free loopback port (its socket in the same
// temp dir), and stops and removes it. initdb refuses to run as root, so as root
// both run as the `postgres` user, who then owns the temp dir. Never used when
// TREESNAP_PG names a server.
import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRequirements, quietSteps } from './setup.mjs';
import { freePort } from './zookeeper-server.js';

export interface PgServer {
  /** postgres://postgres@127.0.0.1:PORT/postgres (the superuser needs no password; other roles do). */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const PG_ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin directory (Debian's layout), or null. */
export function postgresBinDir(): string | null {
  if (!existsSync(PG_ROOT)) return null;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => existsSync(join(PG_ROOT, v, 'bin', 'initdb')) && existsSync(join(PG_ROOT, v, 'bin', 'pg_ctl')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(PG_ROOT, versions[0], 'bin') : null;
}

/** Installs Debian's postgresql when absent, quietly (scripts/setup.mjs), or says how and exits. */
export function ensurePostgresInstalled(): string {
  const found = postgresBinDir();
  if (found) return found;
  ensureRequirements(['postgresql'], quietSteps(join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp', 'setup.log')));
  const bin = postgresBinDir();
  if (!bin) throw new Error(`postgresql: no initdb under ${PG_ROOT}/*/bin after installing Debian's postgresql`);
  return bin;
}

interface Owner {
  uid: number;
  gid: number;
}

/** Who runs the server: the `postgres` user when we are root (initdb refuses root), else ourselves. */
function serverOwner(): Owner | null {
  if (process.getuid?.() !== 0) return null;
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  const u = id('-u');
  const g = id('-g');
  if (u.status !== 0 || g.status !== 0) throw new Error('postgresql: running as root, but there is no `postgres` user to run initdb as');
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

function run(owner: Owner | null, cmd: string, args: string[], what: string): void {
  const [file, argv] = owner ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const r = spawnSync(file, argv, { encoding: 'utf8', cwd: '/' });
  if (r.error || r.status !== 0) {
    throw new Error(`postgresql: ${what} failed (${r.error?.message ?? `exit ${r.status}`}): ${(r.stderr || r.stdout || '').trim().split('\n').slice(-3).join(' | ')}`);
  }
}

function logTail(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '(no log)';
  }
}

// Durability is worthless for a throwaway server: without fsync the tests do not wait on the disk.
const SERVER_OPTIONS = ['-c listen_addresses=127.0.0.1', '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', '-c max_connections=200'];

const HBA = [
  'local all postgres trust',
  'host all postgres 127.0.0.1/32 trust',
  'local all all scram-sha-256',
  'host all all 127.0.0.1/32 scram-sha-256',
  '',
].join('\n');

export async function startPostgres(): Promise<PgServer> {
  const bin = ensurePostgresInstalled();
  const owner = serverOwner();
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    // Locale C: text sorts by bytes, as in SQLite, so both stores order alike.
    run(owner, join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '--no-sync'], 'initdb');
  } catch (e) {
    remove();
    throw e;
  }
  // The postgres superuser without a password (the tests' own connections); any other role needs its
  // password, so tests can see a server refuse wrong credentials.
  writeFileSync(join(data, 'pg_hba.conf'), HBA);
  if (owner) chownSync(join(data, 'pg_hba.conf'), owner.uid, owner.gid);
  const port = await freePort();
  const ctl = (args: string[], what: string) => run(owner, join(bin, 'pg_ctl'), ['-D', data, ...args], what);
  try {
    ctl(['-l', log, '-w', '-t', '60', '-o', [`-p ${port}`, `-k ${dir}`, ...SERVER_OPTIONS].join(' '), 'start'], 'pg_ctl start');
  } catch (e) {
    const why = `${(e as Error).message}; server log: ${logTail(log)}`;
    remove();
    throw new Error(why);
  }
  return {
    port,
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      try {
        ctl(['-w', '-t', '30', '-m', 'fast', 'stop'], 'pg_ctl stop');
      } finally {
        remove();
      }
    },
  };
}

/** Starts a throwaway server unless TREESNAP_PG names one; says which on stderr. */
export async function postgresForRun(): Promise<{ url: string; server: PgServer | null }> {
  const given = process.env.TREESNAP_PG;
  if (given) return { url: given, server: null };
  const started = Date.now();
  const server = await startPostgres();
  process.stderr.write(`postgresql: throwaway server on 127.0.0.1:${server.port} (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  return { url: server.url, server };
}
