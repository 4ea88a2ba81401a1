// The checks of `treesnap doctor`, in order: each says what it found or why it
// failed, with its time. A check whose input failed (no ZooKeeper session, so
// no leader) is skipped with the reason, not failed twice. Every network call
// has the configured timeouts. Loaded lazily by the command (it pulls in the
// ZooKeeper and Thrift clients).
import { statfsSync, accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CollectOptions } from '../collect/collect.js';
import { parseCronSchedule } from '../daemon/cron-schedule.js';
import { createTask } from 'node-cron';
import { formatEndpoint, type Endpoint } from '../model/ids.js';
import { connectZookeeper, parseConnectString } from '../sources/zookeeper/connection.js';
import type { ZkReader } from '../sources/zookeeper/zk-reader.js';
import { readServiceMembers } from '../sources/zookeeper/read-service-members.js';
import { readRegisteredHosts } from '../sources/zookeeper/read-registered-hosts.js';
import { getChairmanSchedulers } from '../sources/thrift/chairman-client.js';
import { getRootSchedulers } from '../sources/thrift/root-scheduler-client.js';
import { getLeafScheduler } from '../sources/thrift/agent-client.js';
import { probeStatus } from '../sources/probe/probe-status.js';
import type { CheckResult, Verdict } from './verdict.js';

export interface DoctorOptions extends CollectOptions {
  db: string;
  cron?: string;
  /** Agents probed at most. */
  sample: number;
}

async function timed(check: string, run: () => Promise<{ verdict: Verdict; detail: string }>): Promise<CheckResult> {
  const t0 = performance.now();
  const r = await run();
  return { check, ...r, durationMs: performance.now() - t0 };
}

const pass = (detail: string) => ({ verdict: 'pass' as const, detail });
const fail = (detail: string) => ({ verdict: 'fail' as const, detail });
const skip = (detail: string) => ({ verdict: 'skip' as const, detail });

const SERVICES = [
  ['chairman', '/services/chairman'],
  ['root-scheduler', '/services/root-scheduler'],
] as const;

/** ZooKeeper: a session, the chroot, the credentials (reading the services), each service's leader. */
async function zookeeperChecks(opts: DoctorOptions, out: CheckResult[]): Promise<{ zk: ZkReader | null; leaders: Map<string, Endpoint> }> {
  const leaders = new Map<string, Endpoint>();
  const parsed = parseConnectString(opts.zk);
  const chroot = parsed.ok ? parsed.value.chroot : null;
  const slash = opts.zk.indexOf('/');
  const servers = slash === -1 ? opts.zk : opts.zk.slice(0, slash);
  const zkOpts = { connectTimeoutMs: opts.connectTimeoutMs, requestTimeoutMs: opts.requestTimeoutMs, auth: opts.zkAuth };
  const reachable = await timed('zookeeper reachable', async () => {
    const c = await connectZookeeper(servers, zkOpts);
    if (!c.ok) return fail(c.error.message);
    await c.value.close();
    return pass(`session on ${servers}`);
  });
  out.push(reachable);
  let zk: ZkReader | null = null;
  out.push(
    await timed('chroot present', async () => {
      if (reachable.verdict !== 'pass') return skip('needs ZooKeeper');
      const c = await connectZookeeper(opts.zk, zkOpts);
      if (!c.ok) return fail(c.error.message);
      zk = c.value;
      return pass(chroot ? `${chroot} exists` : 'no chroot given');
    }),
  );
  const members = new Map<string, Awaited<ReturnType<typeof readServiceMembers>>>();
  out.push(
    await timed('digest auth accepted', async () => {
      if (!zk) return skip('needs the chroot');
      for (const [name, path] of SERVICES) {
        const r = await readServiceMembers(zk, path);
        members.set(name, r);
        if (!r.ok) return fail(`reading ${path}: ${r.error.message}${opts.zkAuth ? ' (wrong user or password?)' : ' (give --zk-auth?)'}`);
      }
      return pass(opts.zkAuth ? `${opts.zkAuth.user} can read /services` : 'no auth given; /services readable');
    }),
  );
  for (const [name, path] of SERVICES) {
    out.push(
      await timed(`${name} leader found`, async () => {
        const r = members.get(name);
        if (!r || !r.ok) return skip('needs /services readable');
        const list = r.value.members;
        if (list.length !== 1) return fail(`${list.length} members under ${path}; exactly one (the leader) expected`);
        const address = list[0]!.address;
        if (!address) return fail(`the leader's value is unreadable: ${list[0]!.error?.message ?? 'no address'}`);
        leaders.set(name, address);
        return pass(formatEndpoint(address));
      }),
    );
  }
  return { zk, leaders };
}

/** The chairman and the root scheduler answer get_schedulers (at --chairman/--root, else at their leaders). */
async function schedulerChecks(opts: DoctorOptions, leaders: Map<string, Endpoint>, out: CheckResult[]): Promise<void> {
  const rpc = { connectTimeoutMs: opts.connectTimeoutMs, callTimeoutMs: opts.requestTimeoutMs };
  const targets = [
    ['chairman answers', opts.chairman ?? leaders.get('chairman'), getChairmanSchedulers],
    ['root scheduler answers', opts.root ?? leaders.get('root-scheduler'), getRootSchedulers],
  ] as const;
  for (const [check, ep, call] of targets) {
    out.push(
      await timed(check, async () => {
        if (!ep) return skip('needs its leader');
        const r = await call(ep, rpc);
        return r.ok ? pass(`get_schedulers at ${formatEndpoint(ep)}`) : fail(`${formatEndpoint(ep)}: ${r.error.message}`);
      }),
    );
  }
}

/** A sample of registered agents: each answers its probe and get_schedulers. */
async function agentChecks(opts: DoctorOptions, zk: ZkReader | null, out: CheckResult[]): Promise<void> {
  out.push(
    await timed(`agents answer (sample of ${opts.sample})`, async () => {
      if (!zk) return skip('needs ZooKeeper');
      const hosts = await readRegisteredHosts(zk);
      if (!hosts.ok) return fail(`reading /hosts: ${hosts.error.message}`);
      const all = hosts.value.hosts;
      if (all.length === 0) return fail('no host registered under /hosts');
      const step = Math.max(1, Math.floor(all.length / opts.sample));
      const sample = all.filter((_, i) => i % step === 0).slice(0, opts.sample);
      const rpc = { connectTimeoutMs: opts.probeTimeoutMs, callTimeoutMs: opts.requestTimeoutMs };
      const bad: string[] = [];
      await Promise.all(
        sample.map(async (h) => {
          const probe = await probeStatus(h.address, { timeoutMs: opts.probeTimeoutMs, mode: opts.probeMode });
          if (probe.status !== 'ONLINE') return void bad.push(`${h.id} ${probe.status}${probe.message ? ` (${probe.message})` : ''}`);
          const leaf = await getLeafScheduler(h.address, rpc);
          if (!leaf.ok) bad.push(`${h.id} get_schedulers: ${leaf.error.message}`);
        }),
      );
      if (bad.length) return fail(`${bad.length} of ${sample.length} did not answer: ${bad.slice(0, 3).join('; ')}${bad.length > 3 ? '; ...' : ''}`);
      return pass(`${sample.length} of ${all.length} registered answered probe and get_schedulers`);
    }),
  );
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** The database's directory (or its nearest existing parent) is writable, and how much space is left. */
async function databaseCheck(db: string, out: CheckResult[]): Promise<void> {
  out.push(
    await timed('database path writable', async () => {
      let dir = dirname(db);
      while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
      const target = existsSync(db) ? db : dir;
      try {
        accessSync(target, constants.W_OK);
      } catch {
        return fail(`${target} is not writable by this user`);
      }
      const fs = statfsSync(dir);
      return pass(`${db}; ${gib(fs.bavail * fs.bsize)} free on its file system`);
    }),
  );
}

/** The schedule is a valid cron expression; its next three times. */
async function cronCheck(cron: string | undefined, out: CheckResult[]): Promise<void> {
  out.push(
    await timed('cron expression valid', async () => {
      if (cron === undefined) return skip('no --cron given');
      const parsed = parseCronSchedule(cron);
      if (!parsed.ok) return fail(parsed.error);
      const task = createTask(cron, () => undefined);
      try {
        const next = task.getNextRuns(3).map((d) => d.toISOString().replace(/\.\d{3}Z$/, 'Z'));
        return pass(`"${cron}": next ${next.join(', ')}`);
      } finally {
        void task.destroy();
      }
    }),
  );
}

export async function runDoctorChecks(opts: DoctorOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = [];
  const { zk, leaders } = await zookeeperChecks(opts, out);
  try {
    await schedulerChecks(opts, leaders, out);
    await agentChecks(opts, zk, out);
  } finally {
    await (zk as ZkReader | null)?.close();
  }
  await databaseCheck(opts.db, out);
  await cronCheck(opts.cron, out);
  return out;
}
