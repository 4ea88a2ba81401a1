// `treesnap doctor` against a simulated cluster on the real ZooKeeper: every
// check passes; then a wrong chroot, a wrong password (an ACL on the service
// nodes readable only by treesnap's identity) and a stopped chairman each fail
// their own check, saying why, with exit 4.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import type { CheckResult, DoctorReport } from '../../src/doctor/verdict.js';
import { startSimulatedCluster, type SimulatedCluster } from '../../src/sim/cluster.js';
import { formatEndpoint } from '../../src/model/ids.js';
import { treesnap } from '../support/treesnap-cli.js';
import { freshChroot, zkBase } from '../support/zookeeper.js';

const READER = { user: 'treesnap', password: 'reader-pw-3Fd' };
const SERVICE_PATHS = ['/services/chairman', '/services/root-scheduler'];
const ADMIN = { user: 'admin', password: 'admin-pw-8Lq' };
const CHECKS = [
  'zookeeper reachable',
  'chroot present',
  'digest auth accepted',
  'chairman leader found',
  'root-scheduler leader found',
  'chairman answers',
  'root scheduler answers',
  'agents answer (sample of 8)',
  'database path writable',
  'cron expression valid',
];

function call<T>(start: (cb: (e: Error | zookeeper.Exception | null, v: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => start((e, v) => (e ? reject(e) : resolve(v))));
}

async function adminSession(connectString: string): Promise<zookeeper.Client> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: 10_000, retries: 0 });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('no ZooKeeper session within 10 s')), 10_000);
    client.once('connected', () => (clearTimeout(t), resolve()));
    client.connect();
  });
  return client;
}

describe('treesnap doctor', () => {
  let sim: SimulatedCluster;
  let zk: string;
  let dir: string;

  const doctor = async (args: string[]): Promise<{ code: number | null; report: DoctorReport; byName: Map<string, CheckResult> }> => {
    const r = await treesnap(['doctor', '--db', join(dir, 'h.db'), '--cron', '*/5 * * * *', '--connect-timeout', '2s', '--json', ...args]);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as DoctorReport;
    assert.deepEqual(report.checks.map((c) => c.check), CHECKS);
    return { code: r.code, report, byName: new Map(report.checks.map((c) => [c.check, c])) };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'treesnap-doctor-'));
    ({ connectString: zk } = await freshChroot('doctor'));
    sim = await startSimulatedCluster({ zk, hosts: 12, fanout: 4 });
  });
  after(async () => {
    await sim?.stop({ clean: true });
    rmSync(dir, { recursive: true, force: true });
  });

  test('against the simulator every check passes, exit 0; the text form is one line per check', async () => {
    const { code, report, byName } = await doctor(['--zk', zk]);
    assert.equal(code, 0, JSON.stringify(report, null, 1));
    assert.equal(report.ok, true);
    for (const c of report.checks) assert.equal(c.verdict, 'pass', `${c.check}: ${c.detail}`);
    assert.equal(byName.get('chairman leader found')!.detail, formatEndpoint(sim.chairman));
    assert.match(byName.get('agents answer (sample of 8)')!.detail, /^8 of 12 registered answered/);
    assert.match(byName.get('cron expression valid')!.detail, /next \S+Z, \S+Z, \S+Z$/);
    const text = await treesnap(['doctor', '--zk', zk, '--db', join(dir, 'h.db')]);
    assert.equal(text.code, 0, text.stdout + text.stderr);
    const lines = text.stdout.trimEnd().split('\n');
    assert.equal(lines.length, CHECKS.length + 1);
    assert.match(lines[0]!, /^PASS {2}zookeeper reachable .*\(\d+ ms\)$/);
    assert.match(lines.at(-2)!, /^SKIP {2}cron expression valid +no --cron given/);
    assert.equal(lines.at(-1), 'all checks passed');
  });

  test('a wrong chroot fails "chroot present", saying it does not exist, exit 4', async () => {
    const { code, byName } = await doctor(['--zk', `${zkBase()}/no-such-chroot-x`]);
    assert.equal(code, 4);
    assert.equal(byName.get('zookeeper reachable')!.verdict, 'pass');
    assert.equal(byName.get('chroot present')!.verdict, 'fail');
    assert.match(byName.get('chroot present')!.detail, /chroot \/no-such-chroot-x does not exist/);
    assert.equal(byName.get('chairman answers')!.verdict, 'skip');
  });

  test('a wrong password fails "digest auth accepted" (NO_AUTH), the right one passes', async () => {
    const admin = await adminSession(zk);
    admin.addAuthInfo('digest', Buffer.from(`${ADMIN.user}:${ADMIN.password}`));
    const digest = (c: { user: string; password: string }) => new zookeeper.Id('digest', `${c.user}:${createHash('sha1').update(`${c.user}:${c.password}`).digest('base64')}`);
    try {
      // The service nodes readable by treesnap's identity only (and the admin, to restore them).
      for (const p of SERVICE_PATHS) {
        await call((cb) => admin.setACL(p, [new zookeeper.ACL(zookeeper.Permission.READ, digest(READER)), new zookeeper.ACL(zookeeper.Permission.ALL, digest(ADMIN))], -1, cb));
      }
      const wrong = await doctor(['--zk', zk, '--zk-auth', `${READER.user}:not-the-password`]);
      assert.equal(wrong.code, 4);
      const auth = wrong.byName.get('digest auth accepted')!;
      assert.equal(auth.verdict, 'fail');
      assert.match(auth.detail, /NO_AUTH.*wrong user or password\?/);
      assert.doesNotMatch(JSON.stringify(wrong.report), /not-the-password/, 'the password is never shown');
      const right = await doctor(['--zk', zk, '--zk-auth', `${READER.user}:${READER.password}`]);
      assert.equal(right.byName.get('digest auth accepted')!.verdict, 'pass', right.byName.get('digest auth accepted')!.detail);
    } finally {
      for (const p of SERVICE_PATHS) await call((cb) => admin.setACL(p, [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('world', 'anyone'))], -1, cb));
      admin.close();
    }
  });

  test('a stopped chairman: its leader is not found; named by --chairman, it does not answer', async () => {
    await sim.stopChairman();
    const { code, byName } = await doctor(['--zk', zk]);
    assert.equal(code, 4);
    assert.equal(byName.get('chairman leader found')!.verdict, 'fail');
    assert.match(byName.get('chairman leader found')!.detail, /0 members under \/services\/chairman/);
    assert.equal(byName.get('root scheduler answers')!.verdict, 'pass');
    const named = await doctor(['--zk', zk, '--chairman', formatEndpoint(sim.chairman)]);
    assert.equal(named.byName.get('chairman answers')!.verdict, 'fail');
    assert.match(named.byName.get('chairman answers')!.detail, new RegExp(`^${formatEndpoint(sim.chairman)}: `));
  });
});
