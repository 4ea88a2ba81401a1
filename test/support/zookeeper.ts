// Integration tests run against the real ZooKeeper named by TREESNAP_ZK (npm
// test starts one). Each test gets its own chroot so tests never see each
// other's nodes. A missing ZooKeeper fails the test: it is never a skip.
import { randomUUID } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';

export function zkBase(): string {
  const zk = process.env.TREESNAP_ZK;
  if (!zk) throw new Error('TREESNAP_ZK is not set: run integration tests through `npm test`');
  return zk;
}

/** A fresh chroot path (created) and a connect string using it. */
export async function freshChroot(prefix = 't'): Promise<{ chroot: string; connectString: string }> {
  const chroot = `/${prefix}-${randomUUID().slice(0, 8)}`;
  const client = zookeeper.createClient(zkBase(), { sessionTimeout: 10_000 });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('test zookeeper: connect timeout')), 10_000);
    client.once('connected', () => {
      clearTimeout(t);
      resolve();
    });
    client.connect();
  });
  await new Promise<void>((resolve, reject) =>
    client.create(chroot, (e) => (e ? reject(e) : resolve())),
  );
  client.close();
  return { chroot, connectString: `${zkBase()}${chroot}` };
}
