// One ZooKeeper session of the simulator, with the few reads and writes the
// simulated services need. Paths are relative to the connect string's chroot.
// Every call settles within its deadline; failures are values (a message).
import zookeeper from 'node-zookeeper-client';
import { err, ok, type Result } from '../model/result.js';
import { mapPool } from '../util/map-pool.js';
import { withDeadline } from '../util/with-deadline.js';

export type ZkMode = 'persistent' | 'ephemeral';

export interface ZkSession {
  /** Creates the node; 'exists' when it already did (its value is left alone). */
  create(path: string, data: Buffer, mode: ZkMode): Promise<Result<'created' | 'exists', string>>;
  /** Creates all the nodes in one multi-op, all or none (fails if any exists). */
  createAll(nodes: ReadonlyArray<{ path: string; data: Buffer }>, mode: ZkMode): Promise<Result<void, string>>;
  /** Overwrites the node's value; 'absent' when there is no such node. */
  set(path: string, data: Buffer): Promise<Result<'set' | 'absent', string>>;
  /** Create or overwrite. `likelyExists` only picks which round trip to try first. */
  put(path: string, data: Buffer, mode: ZkMode, likelyExists?: boolean): Promise<Result<void, string>>;
  /** Creates the path and any missing parents as empty persistent nodes. */
  ensurePath(path: string): Promise<Result<void, string>>;
  /** Deletes the node; an absent node is fine. */
  remove(path: string): Promise<Result<void, string>>;
  /** Deletes the node and everything below it (the client library's own version fails at depth >= 2). */
  removeTree(path: string): Promise<Result<void, string>>;
  /** Child names; null when the node does not exist. */
  children(path: string): Promise<Result<string[] | null, string>>;
  /** The node's value; null when the node does not exist. */
  data(path: string): Promise<Result<Buffer | null, string>>;
  /** True once the server expired the session; the session is then dead for good. */
  readonly expired: boolean;
  /** Ends the session (its ephemeral nodes go with it). Bounded even if the server is gone. */
  close(): Promise<void>;
}

export interface ZkSessionOptions {
  connectTimeoutMs?: number;
  opTimeoutMs?: number;
  sessionTimeoutMs?: number;
}

const MODES: Record<ZkMode, number> = {
  persistent: zookeeper.CreateMode.PERSISTENT,
  ephemeral: zookeeper.CreateMode.EPHEMERAL,
};

export async function openZkSession(connectString: string, options: ZkSessionOptions = {}): Promise<Result<ZkSession, string>> {
  const connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
  const client = zookeeper.createClient(connectString, { sessionTimeout: options.sessionTimeoutMs ?? 30_000 });
  // connect() to a dead server hangs without any event: the deadline closes it.
  const connected = await withDeadline<boolean>(
    connectTimeoutMs,
    (settle) => {
      client.once('connected', () => settle(true));
      client.connect();
    },
    () => false,
  );
  if (!connected) {
    client.close();
    return err(`zookeeper ${connectString}: no session within ${connectTimeoutMs} ms`);
  }
  return ok(new ClientSession(client, options.opTimeoutMs ?? 10_000));
}

/** Creates a connect string's chroot node (and its parents) with a session outside the chroot. */
export async function ensureChroot(connectString: string, options: ZkSessionOptions = {}): Promise<Result<void, string>> {
  const slash = connectString.indexOf('/');
  if (slash === -1 || connectString.length === slash + 1) return ok(undefined);
  const opened = await openZkSession(connectString.slice(0, slash), options);
  if (!opened.ok) return opened;
  const made = await opened.value.ensurePath(connectString.slice(slash));
  await opened.value.close();
  return made;
}

type ZkError = Error | zookeeper.Exception | null;

function codeOf(e: ZkError): number | undefined {
  if (e === null || typeof e !== 'object' || !('code' in e)) return undefined;
  return typeof e.code === 'number' ? e.code : undefined;
}

function describe(e: ZkError): string {
  return e === null ? 'unknown error' : e instanceof Error ? e.message : String(e);
}

class ClientSession implements ZkSession {
  expired = false;
  private closing: Promise<void> | null = null;

  constructor(
    private readonly client: zookeeper.Client,
    private readonly opTimeoutMs: number,
  ) {
    client.on('expired', () => {
      this.expired = true;
    });
  }

  create(path: string, data: Buffer, mode: ZkMode): Promise<Result<'created' | 'exists', string>> {
    return this.call(`create ${path}`, (done) =>
      this.client.create(path, data, MODES[mode], (e) => {
        if (!e) return done(ok('created'));
        if (codeOf(e) === zookeeper.Exception.NODE_EXISTS) return done(ok('exists'));
        done(err(`create ${path}: ${describe(e)}`));
      }),
    );
  }

  createAll(nodes: ReadonlyArray<{ path: string; data: Buffer }>, mode: ZkMode): Promise<Result<void, string>> {
    if (nodes.length === 0) return Promise.resolve(ok(undefined));
    const what = `create ${nodes.length} nodes (${nodes[0]!.path}, ...)`;
    return this.call(what, (done) => {
      const multi = this.client.transaction();
      for (const n of nodes) multi.create(n.path, n.data, MODES[mode]);
      multi.commit((e) => done(e ? err(`${what}: ${describe(e)}`) : ok(undefined)));
    });
  }

  set(path: string, data: Buffer): Promise<Result<'set' | 'absent', string>> {
    return this.call(`set ${path}`, (done) =>
      this.client.setData(path, data, -1, (e) => {
        if (!e) return done(ok('set'));
        if (codeOf(e) === zookeeper.Exception.NO_NODE) return done(ok('absent'));
        done(err(`set ${path}: ${describe(e)}`));
      }),
    );
  }

  async put(path: string, data: Buffer, mode: ZkMode, likelyExists = false): Promise<Result<void, string>> {
    // Two tries each way cover a concurrent delete or create between the calls.
    for (let attempt = 0; attempt < 2; attempt++) {
      if (likelyExists) {
        const set = await this.set(path, data);
        if (!set.ok) return set;
        if (set.value === 'set') return ok(undefined);
      }
      const created = await this.create(path, data, mode);
      if (!created.ok) return created;
      if (created.value === 'created') return ok(undefined);
      likelyExists = true;
    }
    return err(`put ${path}: the node kept appearing and disappearing`);
  }

  async ensurePath(path: string): Promise<Result<void, string>> {
    const parts = path.split('/').filter((p) => p !== '');
    let current = '';
    for (const part of parts) {
      current += `/${part}`;
      const made = await this.create(current, Buffer.alloc(0), 'persistent');
      if (!made.ok) return made;
    }
    return ok(undefined);
  }

  remove(path: string): Promise<Result<void, string>> {
    return this.call(`remove ${path}`, (done) =>
      this.client.remove(path, -1, (e) => {
        if (!e || codeOf(e) === zookeeper.Exception.NO_NODE) return done(ok(undefined));
        done(err(`remove ${path}: ${describe(e)}`));
      }),
    );
  }

  async removeTree(path: string): Promise<Result<void, string>> {
    const listed = await this.children(path);
    if (!listed.ok) return listed;
    if (listed.value === null) return ok(undefined);
    const below = path === '/' ? '' : path;
    // Bounded: thousands of replies arriving in one burst cost the client library quadratic buffer copies.
    const removed = await mapPool(listed.value, 32, (c) => this.removeTree(`${below}/${c}`));
    const failed = removed.find((r) => !r.ok);
    if (failed) return failed;
    return path === '/' ? ok(undefined) : this.remove(path);
  }

  children(path: string): Promise<Result<string[] | null, string>> {
    return this.call(`list ${path}`, (done) =>
      this.client.getChildren(path, (e, names) => {
        if (!e) return done(ok(names));
        if (codeOf(e) === zookeeper.Exception.NO_NODE) return done(ok(null));
        done(err(`list ${path}: ${describe(e)}`));
      }),
    );
  }

  data(path: string): Promise<Result<Buffer | null, string>> {
    return this.call(`read ${path}`, (done) =>
      this.client.getData(path, (e, bytes) => {
        if (!e) return done(ok(bytes ?? Buffer.alloc(0)));
        if (codeOf(e) === zookeeper.Exception.NO_NODE) return done(ok(null));
        done(err(`read ${path}: ${describe(e)}`));
      }),
    );
  }

  close(): Promise<void> {
    this.closing ??= withDeadline<void>(
      2_000,
      (settle) => {
        this.client.once('disconnected', () => settle());
        this.client.close();
      },
      () => undefined,
    );
    return this.closing;
  }

  private call<T>(what: string, run: (done: (r: Result<T, string>) => void) => void): Promise<Result<T, string>> {
    if (this.expired) return Promise.resolve(err(`${what}: zookeeper session expired`));
    return withDeadline<Result<T, string>>(this.opTimeoutMs, run, () => err(`${what}: no answer within ${this.opTimeoutMs} ms`));
  }
}
