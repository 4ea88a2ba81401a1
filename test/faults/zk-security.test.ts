// Security basics: treesnap never writes to the cluster's ZooKeeper (only the
// simulator does), reads a secured ensemble with digest auth, never echoes
// the credentials, and keeps its files owner-only. (The database file's mode
// at creation: test/integration/cli-errors.test.ts.)
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import type { CollectionSummary } from '../../src/collect/collection-summary.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { spawnTreesnap } from '../support/daemon-process.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot } from '../support/zookeeper.js';

const READER = { user: 'treesnap', password: 'reader-pw-7Qz' };
const ADMIN = { user: 'admin', password: 'admin-pw-K2v' };
const SECRET = 's3cr3t-Zq9-never-shown';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-security-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

// ---------------------------------------------------------------- static

describe('source code', () => {
  const WRITES = /\.(create|setData|remove|removeRecursive|mkdirp|setACL|transaction)\s*\(/;

  function sourceFiles(root: string): string[] {
    return readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts'))
      .map((f) => join(root, f));
  }

  test('only the simulator holds a ZooKeeper client that writes: nothing else calls a write method on one', () => {
    const users = sourceFiles('src').filter((f) => readFileSync(f, 'utf8').includes("from 'node-zookeeper-client'"));
    const outsideSim = users.filter((f) => !relative('src', f).startsWith('sim/'));
    assert.ok(outsideSim.length > 0, 'the readers use node-zookeeper-client');
    for (const f of outsideSim) {
      assert.ok(relative('src', f).startsWith('sources/zookeeper/'), `${f}: a ZooKeeper client outside the read-only source layer`);
      const calls = readFileSync(f, 'utf8')
        .split('\n')
        .filter((line) => WRITES.test(line) && !line.trim().startsWith('//'));
      assert.deepEqual(calls, [], `${f} calls a ZooKeeper write method`);
    }
  });
});

// ---------------------------------------------------------------- a secured ensemble

function digestId(c: { user: string; password: string }): string {
  return `${c.user}:${createHash('sha1').update(`${c.user}:${c.password}`).digest('base64')}`;
}

async function session(connectString: string, auth?: { user: string; password: string }): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10_000, retries: 0 });
  if (auth) client.addAuthInfo('digest', Buffer.from(`${auth.user}:${auth.password}`));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no ZooKeeper session within 10 s')), 10_000);
    client.once('connected', () => {
      clearTimeout(t);
      resolve();
    });
    client.connect();
  });
  return client;
}

function call<T>(start: (cb: (e: Error | zookeeper.Exception | null, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((e, v) => (e ? reject(e) : resolve(v))));
}

/** Every node under the connect string's chroot, depth first. */
async function walk(client: zookeeper.Client, path = '/'): Promise<string[]> {
  const children = await call<string[]>((cb) => client.getChildren(path, cb));
  const below = await Promise.all(children.sort().map((c) => walk(client, path === '/' ? `/${c}` : `${path}/${c}`)));
  return [path, ...below.flat()];
}

/** Everything a write would change about a node: its zxids, versions and data length. */
async function stats(client: zookeeper.Client, paths: string[]): Promise<string[]> {
  return Promise.all(
    paths.map(async (p) => {
      const s = await call<zookeeper.Stat>((cb) => client.exists(p, cb));
      const hex = (b: Buffer) => b.toString('hex');
      return `${p} ${hex(s.czxid)} ${hex(s.mzxid)} ${hex(s.pzxid)} v${s.version} c${s.cversion} a${s.aversion} ${s.dataLength}`;
    }),
  );
}

async function setAclEverywhere(client: zookeeper.Client, paths: string[], acls: zookeeper.ACL[]): Promise<void> {
  for (const p of paths) await call((cb) => client.setACL(p, acls, -1, cb));
}

/**
 * A simulated cluster under its own chroot whose every node allows `treesnap` (one ACL entry) and
 * the admin everything, and nobody else anything; open again afterwards. For one describe block.
 */
function securedCluster(prefix: string, treesnap: zookeeper.ACL): { zk: string; admin: zookeeper.Client; paths: string[] } {
  const c = {} as { zk: string; admin: zookeeper.Client; paths: string[] };
  let sim: SimulatedCluster | undefined;
  before(async () => {
    ({ connectString: c.zk } = await freshChroot(prefix));
    sim = await startSimulatedCluster({ zk: c.zk, hosts: 10, fanout: 4 });
    c.admin = await session(c.zk, ADMIN);
    c.paths = await walk(c.admin);
    await setAclEverywhere(c.admin, c.paths, [treesnap, new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', digestId(ADMIN)))]);
  });
  after(async () => {
    if (c.admin) {
      await setAclEverywhere(c.admin, c.paths, [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))]);
      c.admin.close();
    }
    await sim?.stop({ clean: true });
  });
  return c;
}

describe('a ZooKeeper where treesnap may only read', () => {
  const c = securedCluster('secured', new zookeeper.ACL(zookeeper.Permission.READ, new zookeeper.Id('digest', digestId(READER))));

  test('the ACL holds: treesnap’s identity cannot write, an anonymous session cannot read', async () => {
    const reader = await session(c.zk, READER);
    const anonymous = await session(c.zk);
    try {
      await assert.rejects(call((cb) => reader.create('/hosts/intruder', cb)), /NO_AUTH/);
      await assert.rejects(call((cb) => reader.setData('/hosts', Buffer.from('x'), -1, cb)), /NO_AUTH/);
      await assert.rejects(call((cb) => anonymous.getChildren('/hosts', cb)), /NO_AUTH/);
    } finally {
      reader.close();
      anonymous.close();
    }
  });

  test('collect --zk-auth reads every source, and no node under the chroot changes', async () => {
    const unchanged = await stats(c.admin, c.paths);
    const r = await treesnap(['collect', '--zk', c.zk, '--zk-auth', `${READER.user}:${READER.password}`, '--db', join(dir, 'secured.db'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as CollectionSummary;
    assert.deepEqual(s.failedSources, []);
    assert.equal(s.sources.find((x) => x.source === 'zk.hosts')!.count, 10);
    assert.deepEqual(await stats(c.admin, c.paths), unchanged, 'no node created, changed or deleted');
    assert.deepEqual(await walk(c.admin), c.paths);
  });

  test('without credentials, or with the wrong password, the ZooKeeper sources are unknown (NO_AUTH), not empty', async () => {
    for (const auth of [[], ['--zk-auth', `${READER.user}:wrong-${SECRET}`]]) {
      const r = await treesnap(['collect', '--zk', c.zk, ...auth, '--db', join(dir, 'denied.db'), '--json']);
      assert.equal(r.code, 5, r.stderr);
      const s = JSON.parse(r.stdout) as CollectionSummary;
      const hosts = s.sources.find((x) => x.source === 'zk.hosts')!;
      assert.equal(hosts.ok, false);
      assert.match(hosts.error!, /NO_AUTH/);
      assert.ok(!r.stdout.includes(SECRET) && !r.stderr.includes(SECRET), 'the password is not echoed');
    }
  });
});

// ---------------------------------------------------------------- a ZooKeeper that would let treesnap write

const WRITER = { user: 'ops', password: 'ops-pw-8Lm' };

describe('a ZooKeeper where treesnap’s credentials may write', () => {
  const c = securedCluster('writable', new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', digestId(WRITER))));

  test('the ACL lets treesnap’s identity write', async () => {
    const writer = await session(c.zk, WRITER);
    try {
      const data = await call<Buffer>((cb) => writer.getData('/hosts', cb));
      const before = await call<zookeeper.Stat>((cb) => writer.exists('/hosts', cb));
      const after = await call<zookeeper.Stat>((cb) => writer.setData('/hosts', data ?? Buffer.alloc(0), before.version, cb));
      assert.equal(after.version, before.version + 1, 'a write by this identity is accepted');
    } finally {
      writer.close();
    }
  });

  test('collect with those credentials reads every source and changes no node: every zxid and version as before', async () => {
    const unchanged = await stats(c.admin, c.paths);
    const r = await treesnap(['collect', '--zk', c.zk, '--zk-auth', `${WRITER.user}:${WRITER.password}`, '--db', join(dir, 'writable.db'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    const s = JSON.parse(r.stdout) as CollectionSummary;
    assert.deepEqual(s.failedSources, []);
    assert.equal(s.sources.find((x) => x.source === 'zk.hosts')!.count, 10);
    assert.deepEqual(await stats(c.admin, c.paths), unchanged, 'no node created, changed or deleted');
    assert.deepEqual(await walk(c.admin), c.paths);
  });
});

// ---------------------------------------------------------------- credentials never echoed

/** Every byte treesnap left in `dir` (the database, its WAL), as text. */
function filesText(d: string): string {
  return readdirSync(d)
    .map((f) => readFileSync(join(d, f)).toString('latin1'))
    .join('\n');
}

describe('credentials are never echoed', () => {
  test('collect: in no output, no stored error, whether ZooKeeper is down or answers', async () => {
    const out = mkdtempSync(join(dir, 'collect-'));
    const authFile = join(out, 'auth');
    writeFileSync(authFile, `ops:${SECRET}\n`, { mode: 0o600 });
    const db = join(out, 'state', 'history.db');
    const runs = [
      ['--zk-auth', `ops:${SECRET}`],
      ['--zk-auth-file', authFile],
    ];
    for (const auth of runs) {
      for (const zk of ['127.0.0.1:1', `${(await freshChroot('secret')).connectString}/absent-chroot`]) {
        const r = await treesnap(['collect', '--zk', zk, ...auth, '--connect-timeout', '500ms', '--db', db, '--json']);
        assert.equal(r.code, 5, r.stderr);
        assert.ok(!r.stdout.includes(SECRET), `stdout: ${r.stdout}`);
        assert.ok(!r.stderr.includes(SECRET), `stderr: ${r.stderr}`);
      }
    }
    const fromEnv = await treesnap(['collect', '--zk', '127.0.0.1:1', '--connect-timeout', '500ms', '--db', db], { env: { TREESNAP_ZK_AUTH: `ops:${SECRET}` } });
    assert.equal(fromEnv.code, 5, fromEnv.stderr);
    assert.ok(!fromEnv.stdout.includes(SECRET) && !fromEnv.stderr.includes(SECRET));
    const help = await treesnap(['collect', '--help'], { env: { TREESNAP_ZK_AUTH: `ops:${SECRET}` } });
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--zk-auth/);
    assert.ok(!help.stdout.includes(SECRET), '--help shows the variable, not its value');
    assert.ok(!filesText(join(out, 'state')).includes(SECRET), 'not in the database');
  });

  test('run: not in any log line at debug level, nor in the database', { timeout: 120_000 }, async () => {
    const out = mkdtempSync(join(dir, 'run-'));
    const db = join(out, 'history.db');
    const d = spawnTreesnap(['run', '--zk', '127.0.0.1:1', '--zk-auth', `ops:${SECRET}`, '--connect-timeout', '300ms', '--db', db,
      '--cron', '* * * * * *', '--backoff-after', '0', '--log-format', 'json', '--log-level', 'debug']);
    try {
      await d.waitFor((l) => l.msg === 'collection', { timeoutMs: 60_000, what: 'a recorded tick' });
      await d.waitFor((l) => l.msg === 'collection' && Number(l.tick) >= 2, { timeoutMs: 60_000, what: 'a second tick' });
      assert.deepEqual(await d.stop('SIGTERM'), { code: 0, signal: null });
    } finally {
      await d.stop('SIGKILL');
    }
    const logs = [...d.lines.map((l) => JSON.stringify(l)), ...d.otherStdout, d.stderr()].join('\n');
    assert.match(logs, /"msg":"started"/);
    assert.ok(!logs.includes(SECRET), 'not in the logs');
    assert.ok(!filesText(out).includes(SECRET), 'not in the database');
  });
});

// ---------------------------------------------------------------- files

test('what treesnap creates is owner-only: the directory it makes, the database, its WAL and index', async () => {
  const made = join(dir, 'fresh', 'nested');
  const db = join(made, 'history.db');
  assert.equal((await treesnap(['collect', '--zk', '127.0.0.1:1', '--connect-timeout', '200ms', '--db', db])).code, 5);
  assert.equal((await treesnap(['show', '--db', db])).code, 0, 'a read leaves SQLite’s -wal and -shm files');
  for (const d of [join(dir, 'fresh'), made]) assert.equal(statSync(d).mode & 0o777, 0o700, d);
  const files = readdirSync(made);
  assert.deepEqual(files.sort(), ['history.db', 'history.db-shm', 'history.db-wal']);
  for (const f of files) assert.equal(statSync(join(made, f)).mode & 0o777, 0o600, f);
});
