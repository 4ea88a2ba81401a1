// Writing test data into the real ZooKeeper (tests only; treesnap itself never
// writes). A thin promise wrapper over node-zookeeper-client.
import zookeeper from 'node-zookeeper-client';
import { mapPool } from '../../src/util/map-pool.js';

export interface ZkWriter {
  readonly client: zookeeper.Client;
  /** Creates the node and any missing parents; `data` goes on the node itself. */
  put(path: string, data?: Buffer, mode?: number): Promise<void>;
  /** Creates many nodes (parents must exist), `concurrency` requests in flight. */
  putMany(entries: ReadonlyArray<readonly [string, Buffer]>, concurrency?: number): Promise<void>;
  remove(path: string): Promise<void>;
  close(): void;
}

export async function connectWriter(connectString: string, opts: { sessionTimeoutMs?: number } = {}): Promise<ZkWriter> {
  const client = zookeeper.createClient(connectString, { sessionTimeout: opts.sessionTimeoutMs ?? 10_000 });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.close();
      reject(new Error(`zk-write: no session with ${connectString} within 10 s`));
    }, 10_000);
    client.once('connected', () => {
      clearTimeout(timer);
      resolve();
    });
    client.connect();
  });
  return {
    client,
    async put(path, data, mode = zookeeper.CreateMode.PERSISTENT) {
      const parent = path.slice(0, path.lastIndexOf('/'));
      if (parent) await mkdirp(client, parent);
      await create(client, path, data, mode);
    },
    async putMany(entries, concurrency = 256) {
      await mapPool(entries, concurrency, ([path, data]) => create(client, path, data, zookeeper.CreateMode.PERSISTENT));
    },
    remove(path) {
      return new Promise((resolve, reject) => client.remove(path, (e) => (e ? reject(e) : resolve())));
    },
    close() {
      client.close();
    },
  };
}

function create(client: zookeeper.Client, path: string, data: Buffer | undefined, mode: number): Promise<void> {
  return new Promise((resolve, reject) =>
    client.create(path, data ?? Buffer.alloc(0), mode, (e) => (e ? reject(new Error(`create ${path}: ${String(e)}`)) : resolve())),
  );
}

function mkdirp(client: zookeeper.Client, path: string): Promise<void> {
  return new Promise((resolve, reject) => client.mkdirp(path, (e) => (e ? reject(new Error(`mkdirp ${path}: ${String(e)}`)) : resolve())));
}
