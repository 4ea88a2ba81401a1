// The ZooKeeper source against the real server named by TREESNAP_ZK; each test
// in its own chroot. Test data is written with a separate plain client.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import net from 'node:net';
import { after, describe, it, type TestContext } from 'node:test';
import zookeeper from 'node-zookeeper-client';
import photon from '../../src/generated/thrift/photon_types.js';
import type { Endpoint } from '../../src/model/ids.js';
import { connectZookeeper, type ZookeeperConnectOptions } from '../../src/sources/zookeeper/connection.js';
import { readMissingHosts } from '../../src/sources/zookeeper/read-missing-hosts.js';
import { readRegisteredHosts } from '../../src/sources/zookeeper/read-registered-hosts.js';
import { readServiceMembers } from '../../src/sources/zookeeper/read-service-members.js';
import { readZkTree } from '../../src/sources/zookeeper/read-zk-tree.js';
import type { ZkReader } from '../../src/sources/zookeeper/zk-reader.js';
import { encodeBinary } from '../../src/wire/thrift-binary.js';
import { connectWriter, type ZkWriter } from '../support/zk-write.js';
import { freshChroot, zkBase } from '../support/zookeeper.js';

const OPTS: ZookeeperConnectOptions = { connectTimeoutMs: 5000, requestTimeoutMs: 5000 };

const cleanups: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function openReader(connectString: string, opts: Partial<ZookeeperConnectOptions> = {}): Promise<ZkReader> {
  const r = await connectZookeeper(connectString, { ...OPTS, ...opts });
  assert.ok(r.ok, r.ok ? '' : `${r.error.kind}: ${r.error.message}`);
  cleanups.push(() => r.value.close());
  return r.value;
}

/** A fresh chroot with a writer and a reader on it. */
async function setup(prefix: string): Promise<{ connectString: string; chroot: string; w: ZkWriter; zk: ZkReader }> {
  const { connectString, chroot } = await freshChroot(prefix);
  const w = await connectWriter(connectString);
  cleanups.push(() => w.close());
  return { connectString, chroot, w, zk: await openReader(connectString) };
}

/** The real reader with some of its calls replaced (to race a change, or count requests). */
function wrapped(zk: ZkReader, over: Partial<Pick<ZkReader, 'children' | 'data' | 'stat'>>): ZkReader {
  return {
    get expired() {
      return zk.expired;
    },
    close: () => zk.close(),
    children: over.children ?? ((p) => zk.children(p)),
    data: over.data ?? ((p) => zk.data(p)),
    stat: over.stat ?? ((p) => zk.stat(p)),
    seenStats: () => zk.seenStats(),
  };
}

const address = (host: string, port: number): Buffer => encodeBinary(new photon.ServerAddress({ host, port }));

function hostConfigBytes(id: string, port: number): Buffer {
  return encodeBinary(
    new photon.HostConfig({
      agent_id: id,
      availability_zone: 'az1',
      datastores: [new photon.Datastore({ id: 'ds1', name: 'ds1', type: photon.DatastoreType.SHARED_VMFS })],
      address: new photon.ServerAddress({ host: '127.0.0.1', port }),
      networks: [new photon.Network({ id: 'nw1', types: [photon.NetworkType.VM] })],
      image_datastore_ids: ['ds1'],
    }),
  );
}

function rolesBytes(leafId: string, children: Array<[string, number]>, extraSchedulers = 0): Buffer {
  const leaf = (id: string): photon.SchedulerRole =>
    new photon.SchedulerRole({
      id,
      parent_id: 'ROOT',
      hosts: children.map(([h]) => h),
      host_children: children.map(([h, port]) => new photon.ChildInfo({ id: h, address: '127.0.0.1', port })),
    });
  const schedulers = [leaf(leafId), ...Array.from({ length: extraSchedulers }, (_, i) => leaf(`${leafId}-extra-${i}`))];
  return encodeBinary(new photon.Roles({ schedulers }));
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

describe('connectZookeeper', () => {
  it('reports a dead port as a timeout, not before its connect timeout', async () => {
    const port = await freePort();
    const t0 = performance.now();
    const r = await connectZookeeper(`127.0.0.1:${port}`, { ...OPTS, connectTimeoutMs: 500 });
    const ms = performance.now() - t0;
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error.kind, 'timeout');
    // Not before the connect timeout; the upper bound only catches a hang.
    assert.ok(ms >= 450 && ms < 30_000, `took ${ms} ms`);
  });

  it('gives up on a server that accepts but never answers, and lets go of its socket', async () => {
    const open = new Set<net.Socket>();
    const srv = net.createServer((s) => {
      open.add(s);
      s.resume(); // read (and drop) what the client sends, so its hang-up is seen
      s.on('close', () => open.delete(s));
      s.on('error', () => {});
    });
    await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const s of open) s.destroy();
      return new Promise((resolve) => srv.close(() => resolve()));
    });
    const { port } = srv.address() as net.AddressInfo;
    const r = await connectZookeeper(`127.0.0.1:${port}`, { ...OPTS, connectTimeoutMs: 300 });
    assert.equal(r.ok ? '' : r.error.kind, 'timeout');
    const deadline = Date.now() + 2000;
    while (open.size > 0 && Date.now() < deadline) await new Promise((res) => setTimeout(res, 20));
    assert.equal(open.size, 0, 'the client still holds its connection to the silent server');
  });

  it('rejects an invalid connect string without connecting', async () => {
    const r = await connectZookeeper('127.0.0.1:2181/a/', OPTS);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error.message, /invalid connect string/);
  });

  it('reads inside the chroot of the connect string', async () => {
    const { chroot, w, zk } = await setup('zkc');
    await w.put('/hosts/inside', hostConfigBytes('inside', 1));
    const root = await connectWriter(zkBase());
    cleanups.push(() => root.close());
    const seen = await new Promise<string[]>((resolve, reject) =>
      root.client.getChildren(`${chroot}/hosts`, (e, children) => (e ? reject(e) : resolve(children))),
    );
    assert.deepEqual(seen, ['inside'], 'the writer wrote under the chroot');
    assert.deepEqual(await zk.children('/hosts'), { ok: true, value: ['inside'] });
    assert.deepEqual(await zk.children('/'), { ok: true, value: ['hosts'] });
  });

  it('reports a chroot that does not exist instead of reading an empty cluster', async () => {
    const t0 = performance.now();
    const r = await connectZookeeper(`${zkBase()}/treesnap-no-such-chroot/deeper`, OPTS);
    assert.equal(r.ok, false);
    assert.equal(r.ok ? '' : r.error.kind, 'zookeeper');
    assert.match(r.ok ? '' : r.error.message, /chroot \/treesnap-no-such-chroot\/deeper does not exist/);
    assert.ok(performance.now() - t0 < 2000);
  });

  it('answers null for absent nodes and an empty buffer for a node without data', async () => {
    const { w, zk } = await setup('zkn');
    await w.put('/empty');
    assert.deepEqual(await zk.children('/nope'), { ok: true, value: null });
    assert.deepEqual(await zk.data('/nope'), { ok: true, value: null });
    assert.deepEqual(await zk.data('/empty'), { ok: true, value: Buffer.alloc(0) });
    assert.equal(zk.expired, false);
  });

  it('authenticates with digest credentials', async (t: TestContext) => {
    const { connectString, w } = await setup('zka');
    const digest = createHash('sha1').update('treesnap:s3cret').digest('base64');
    const acl = [new zookeeper.ACL(zookeeper.Permission.ALL, new zookeeper.Id('digest', `treesnap:${digest}`))];
    await w.put('/hosts/open', hostConfigBytes('open', 1));
    await new Promise<void>((resolve, reject) =>
      w.client.create('/hosts/locked', hostConfigBytes('locked', 2), acl, zookeeper.CreateMode.PERSISTENT, (e) => (e ? reject(e) : resolve())),
    );

    const withAuth = await openReader(connectString, { auth: { user: 'treesnap', password: 's3cret' } });
    const all = await readRegisteredHosts(withAuth);
    assert.ok(all.ok);
    assert.deepEqual(all.value.hosts.map((h) => h.id), ['locked', 'open']);
    assert.deepEqual(all.value.errors, []);

    const anonymous = await openReader(connectString);
    const some = await readRegisteredHosts(anonymous);
    assert.ok(some.ok, 'one unreadable node does not fail the source');
    assert.deepEqual(some.value.hosts.map((h) => h.id), ['open']);
    assert.equal(some.value.errors.length, 1);
    assert.equal(some.value.errors[0]!.path, '/hosts/locked');
    assert.equal(some.value.errors[0]!.kind, 'zookeeper');
    assert.match(some.value.errors[0]!.message, /NO_AUTH/);
    t.diagnostic(some.value.errors[0]!.message);
  });
});

describe('readServiceMembers', () => {
  const ephemeral = zookeeper.CreateMode.EPHEMERAL;

  it('an absent service path is zero members and no leader', async () => {
    const { zk } = await setup('zks');
    const r = await readServiceMembers(zk, '/services/chairman');
    assert.deepEqual(r, { ok: true, value: { path: '/services/chairman', pathPresent: false, members: [], leader: null } });
  });

  it('zero members under an existing path: no leader', async () => {
    const { w, zk } = await setup('zks');
    await w.put('/services/chairman');
    const r = await readServiceMembers(zk, '/services/chairman');
    assert.deepEqual(r, { ok: true, value: { path: '/services/chairman', pathPresent: true, members: [], leader: null } });
  });

  it('one member is the leader', async () => {
    const { w, zk } = await setup('zks');
    await w.put('/services/chairman/node-1', address('localhost', 13000), ephemeral);
    const r = await readServiceMembers(zk, '/services/chairman');
    assert.ok(r.ok);
    assert.deepEqual(r.value.members, [{ name: 'node-1', address: { host: 'localhost', port: 13000 } }]);
    assert.deepEqual(r.value.leader, { host: 'localhost', port: 13000 });
  });

  it('two members: both listed, no leader', async () => {
    const { w, zk } = await setup('zks');
    await w.put('/services/root-scheduler/node-b', address('hb', 2), ephemeral);
    await w.put('/services/root-scheduler/node-a', address('ha', 1), ephemeral);
    const r = await readServiceMembers(zk, '/services/root-scheduler');
    assert.ok(r.ok);
    assert.deepEqual(r.value.members, [
      { name: 'node-a', address: { host: 'ha', port: 1 } },
      { name: 'node-b', address: { host: 'hb', port: 2 } },
    ]);
    assert.equal(r.value.leader, null);
  });

  it('a sole member whose value does not decode: a member error, no leader', async () => {
    const { w, zk } = await setup('zks');
    await w.put('/services/chairman/node-1', Buffer.from('localhost:13000'), ephemeral);
    const r = await readServiceMembers(zk, '/services/chairman');
    assert.ok(r.ok);
    assert.equal(r.value.leader, null);
    assert.equal(r.value.members.length, 1);
    assert.equal(r.value.members[0]!.address, null);
    assert.equal(r.value.members[0]!.error?.kind, 'decode');
    assert.equal(r.value.members[0]!.error?.path, '/services/chairman/node-1');
  });
});

describe('readZkTree', () => {
  const root: Endpoint = { host: 'localhost', port: 15000 };

  it('absent /roles: no leaves, and says the path is absent', async () => {
    const { zk } = await setup('zkt');
    const r = await readZkTree(zk, root);
    assert.deepEqual(r, { ok: true, value: { tree: { rootAddress: root, leaves: [] }, errors: [], rolesPathPresent: false, skipped: [] } });
  });

  it('builds leaves, records a corrupt value as a node error and completes the rest', async () => {
    const { w, zk } = await setup('zkt');
    await w.put('/roles/host-a', rolesBytes('leaf-1', [['host-a', 20000], ['host-b', 20001]]));
    await w.put('/roles/host-c', rolesBytes('leaf-2', [['host-c', 20002]]));
    await w.put('/roles/host-x', Buffer.from('definitely not thrift'));
    await w.put('/roles/host-y', rolesBytes('leaf-3', [['host-y', 1]]).subarray(0, 20));
    await w.put('/roles/host-z', rolesBytes('leaf-4', [['host-z', 1]], 1));
    await w.put('/roles/orphan', rolesBytes('leaf-5', [['someone-else', 20005]]));

    const r = await readZkTree(zk, null);
    assert.ok(r.ok);
    assert.equal(r.value.rolesPathPresent, true);
    assert.equal(r.value.tree.rootAddress, null);
    assert.deepEqual(r.value.tree.leaves, [
      {
        id: 'leaf-1',
        owner: 'host-a',
        address: { host: '127.0.0.1', port: 20000 },
        hosts: [
          { id: 'host-a', address: { host: '127.0.0.1', port: 20000 } },
          { id: 'host-b', address: { host: '127.0.0.1', port: 20001 } },
        ],
      },
      { id: 'leaf-2', owner: 'host-c', address: { host: '127.0.0.1', port: 20002 }, hosts: [{ id: 'host-c', address: { host: '127.0.0.1', port: 20002 } }] },
      { id: 'leaf-5', owner: null, address: null, hosts: [{ id: 'someone-else', address: { host: '127.0.0.1', port: 20005 } }] },
    ]);
    assert.deepEqual(r.value.errors.map((e) => [e.path, e.kind]), [
      ['/roles/host-x', 'decode'],
      ['/roles/host-y', 'decode'],
    ]);
    assert.match(r.value.errors[1]!.message, /truncated/);
    assert.deepEqual(r.value.skipped, [{ path: '/roles/host-z', schedulerCount: 2 }]);
  });

  it('skips a node deleted between list and read', async () => {
    const { w, zk } = await setup('zkt');
    await w.put('/roles/host-a', rolesBytes('leaf-1', [['host-a', 1]]));
    await w.put('/roles/host-b', rolesBytes('leaf-2', [['host-b', 2]]));
    // The real reader, with host-b deleted right after the listing answered.
    let removed = false;
    const racing = wrapped(zk, {
      async children(p) {
        const listed = await zk.children(p);
        // Once: the reader lists again when it finds the listing moved (settled-read.ts).
        if (p === '/roles' && !removed) {
          removed = true;
          await w.remove('/roles/host-b');
        }
        return listed;
      },
    });
    const r = await readZkTree(racing, root);
    assert.ok(r.ok);
    assert.deepEqual(r.value.tree.leaves.map((l) => l.id), ['leaf-1']);
    assert.deepEqual(r.value.errors, []);
  });
});

function setData(w: ZkWriter, path: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => w.client.setData(path, data, -1, (e) => (e ? reject(e) : resolve())));
}

describe('readZkTree: one state that existed', () => {
  const root: Endpoint = { host: 'localhost', port: 15000 };

  it('a host moved between leaves in the middle of the read: read again, placed once', async () => {
    const { w, zk } = await setup('zkc');
    await w.put('/roles/host-a', rolesBytes('leaf-1', [['host-a', 1], ['host-h', 3]]));
    await w.put('/roles/host-b', rolesBytes('leaf-2', [['host-b', 2]]));
    // /roles/host-a is read before the move, /roles/host-b after it: host-h would be placed twice.
    let moved: Promise<void> | null = null;
    const racing = wrapped(zk, {
      async data(p) {
        if (p === '/roles/host-a') {
          const before = await zk.data(p);
          moved ??= (async () => {
            await setData(w, '/roles/host-a', rolesBytes('leaf-1', [['host-a', 1]]));
            await setData(w, '/roles/host-b', rolesBytes('leaf-2', [['host-b', 2], ['host-h', 3]]));
          })();
          await moved;
          return before;
        }
        while (!moved) await new Promise((r) => setImmediate(r));
        await moved;
        return zk.data(p);
      },
    });
    const r = await readZkTree(racing, root);
    assert.ok(r.ok);
    assert.deepEqual(r.value.errors, []);
    assert.deepEqual(
      r.value.tree.leaves.map((l) => [l.id, l.hosts.map((h) => h.id)]),
      [['leaf-1', ['host-a']], ['leaf-2', ['host-b', 'host-h']]],
    );
  });

  it('a node that keeps changing while being read is a node error, never a torn tree', async () => {
    const { w, zk } = await setup('zkc');
    await w.put('/roles/host-a', rolesBytes('leaf-1', [['host-a', 1]]));
    await w.put('/roles/host-b', rolesBytes('leaf-2', [['host-b', 2]]));
    let writes = 0;
    const churning = wrapped(zk, {
      async data(p) {
        const r = await zk.data(p);
        if (p === '/roles/host-a') await setData(w, p, rolesBytes('leaf-1', [['host-a', 1], [`h-${++writes}`, 9]]));
        return r;
      },
    });
    const r = await readZkTree(churning, root);
    assert.ok(r.ok);
    assert.equal(writes, 3, 'read three times');
    assert.deepEqual(r.value.errors, [{ path: '/roles/host-a', kind: 'zookeeper', message: 'changed while being read (3 reads): not a state that existed' }]);
    assert.deepEqual(r.value.tree.leaves.map((l) => l.id), ['leaf-2']);
  });
});

describe('readRegisteredHosts', () => {
  it('absent /hosts: no hosts, and says the path is absent', async () => {
    const { zk } = await setup('zkh');
    assert.deepEqual(await readRegisteredHosts(zk), { ok: true, value: { hosts: [], errors: [], hostsPathPresent: false } });
  });

  it('decodes hosts and reports a corrupt and a truncated value', async () => {
    const { w, zk } = await setup('zkh');
    await w.put('/hosts/host1', hostConfigBytes('host1', 12345));
    await w.put('/hosts/host2', hostConfigBytes('host2', 12346));
    await w.put('/hosts/bad', Buffer.from([0xde, 0xad, 0xbe, 0xef]));
    const full = hostConfigBytes('cut', 1);
    await w.put('/hosts/cut', full.subarray(0, full.length - 7));
    const r = await readRegisteredHosts(zk);
    assert.ok(r.ok);
    assert.equal(r.value.hostsPathPresent, true);
    assert.deepEqual(r.value.hosts.map((h) => [h.id, h.address.host, h.address.port]), [
      ['host1', '127.0.0.1', 12345],
      ['host2', '127.0.0.1', 12346],
    ]);
    assert.deepEqual(r.value.hosts[0]!.datastores, [{ id: 'ds1', name: 'ds1', type: 'SHARED_VMFS', tags: [] }]);
    assert.deepEqual(r.value.errors.map((e) => [e.path, e.kind]), [
      ['/hosts/bad', 'decode'],
      ['/hosts/cut', 'decode'],
    ]);
  });

  it('reads 2,500 hosts concurrently', async (t: TestContext) => {
    const { w, zk } = await setup('zkh');
    const n = 2500;
    await w.put('/hosts');
    const entries = Array.from({ length: n }, (_, i) => {
      const id = `host-${String(i).padStart(5, '0')}`;
      return [`/hosts/${id}`, hostConfigBytes(id, 10000 + i)] as const;
    });
    await w.putMany(entries);
    // The real reader, counting its requests in flight.
    let inFlight = 0;
    let peak = 0;
    const counting = wrapped(zk, {
      async data(p) {
        peak = Math.max(peak, ++inFlight);
        try {
          return await zk.data(p);
        } finally {
          inFlight--;
        }
      },
    });
    const t0 = performance.now();
    const r = await readRegisteredHosts(counting);
    const ms = performance.now() - t0;
    assert.ok(r.ok);
    assert.equal(r.value.hosts.length, n);
    assert.deepEqual(r.value.errors, []);
    assert.deepEqual(r.value.hosts[1234]!.address, { host: '127.0.0.1', port: 11234 });
    assert.equal(peak, 256, 'reads are pipelined, 256 in flight');
    t.diagnostic(`read ${n} /hosts children in ${ms.toFixed(0)} ms`);
  });
});

describe('readMissingHosts', () => {
  it('absent /missing: none', async () => {
    const { zk } = await setup('zkm');
    assert.deepEqual(await readMissingHosts(zk), { ok: true, value: [] });
  });

  it('lists child names sorted, ignoring their values', async () => {
    const { w, zk } = await setup('zkm');
    await w.put('/missing/h3');
    await w.put('/missing/h2', Buffer.from('ignored bytes'));
    assert.deepEqual(await readMissingHosts(zk), { ok: true, value: ['h2', 'h3'] });
  });
});
