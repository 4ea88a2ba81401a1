// The daemon's ZooKeeper watcher (I/O): one session of its own, kept between
// ticks and separate from the collections' sessions (a tick never depends on
// it). Child watches on the service parents, /missing, /roles and /hosts;
// data watches on each /roles/<owner> and each service member (not on each
// /hosts/<id>: the child watch and the next tick's Stat cover those).
//
// A watch fires once and says only that something changed, so each firing is
// answered by reading the node again (which re-arms the watch) and emitting
// what the read shows. A read whose Stat equals the last one emitted for the
// path adds nothing: a quiet cluster emits nothing. The first load of a
// session emits nothing either (it is the baseline the ticks already hold),
// except after a gap, when whatever moved since is emitted.
//
// Session states: until the first full read nothing is watched, so a ZooKeeper
// that cannot be read at start opens a gap from the watcher's start, which
// that first read closes; a disconnect opens a gap, the reconnect closes it after a
// full re-read; an expiry opens a gap and a new session, whose load closes it.
// The client library notices a closed socket but not a silent server (it
// sends pings and never misses their answers), so a heartbeat read opens the
// gap when the server stops answering; an answer again re-reads and closes it.
// Every call has its own deadline.
import { createHash } from 'node:crypto';
import zookeeper from 'node-zookeeper-client';
import type { WatchEvent, WatchGap } from '../../model/watch-event.js';
import type { ZkStat } from '../../model/zk-stat.js';
import { withDeadline } from '../../util/with-deadline.js';
import { closeClient } from './zk-client-reader.js';
import { isNoNode } from './zk-error.js';
import { toZkStat } from './zk-stat.js';

export const WATCHED_PARENTS = ['/services/chairman', '/services/root-scheduler', '/missing', '/roles', '/hosts'] as const;
/** Parents whose children get a data watch each. */
const DATA_CHILDREN = new Set<string>(['/services/chairman', '/services/root-scheduler', '/roles']);

export interface ZkWatcherOptions {
  zk: string;
  auth?: { user: string; password: string };
  connectTimeoutMs: number;
  requestTimeoutMs: number;
  sessionTimeoutMs?: number;
  /** Wait before trying a new session after one failed or expired. */
  retryMs?: number;
  onEvent(e: WatchEvent): void;
  /** A gap opened (to null) or closed (to set); the same `from` names it both times. */
  onGap(g: WatchGap): void;
  /** Each time a session's full load answered (the first: watching begins), with the number of watches set. */
  onLoaded?(watches: number): void;
  now?: () => number;
}

type Read<V> = { ok: true; value: V | null; stat: ZkStat | null } | { ok: false; error: string };

function statKey(s: ZkStat | null): string {
  return s ? `${s.czxid}/${s.mzxid}/${s.pzxid}/${s.version}/${s.cversion}` : 'absent';
}

/**
 * A member's address is kept as read; a /roles value (kilobytes, and a
 * chairman's restart rewrites every one) only as its digest: the snapshots
 * keep the values, the digest tells whether a write changed one.
 */
const MAX_KEPT_VALUE = 512;

function valueOf(b: Buffer): { value: string } | { digest: string; size: number } {
  if (b.length <= MAX_KEPT_VALUE) return { value: b.toString('base64') };
  return { digest: createHash('sha256').update(b).digest('hex').slice(0, 16), size: b.length };
}

export class ZkWatcher {
  private client: zookeeper.Client | null = null;
  private closed = false;
  private gap: { from: number; reason: string } | null = null;
  /** Per path: the Stat last emitted or loaded, and for parents the child names. */
  private readonly known = new Map<string, string>();
  private readonly names = new Map<string, Set<string>>();
  private baseline = true;
  private readonly now: () => number;
  private readonly childWatch = (e: zookeeper.Event): void => void this.readChildren(e.getPath());
  private readonly dataWatch = (e: zookeeper.Event): void => void this.readData(e.getPath());
  private retryTimer: NodeJS.Timeout | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private beating = false;
  /** The open gap was opened by the heartbeat (no socket event will close it). */
  private silent = false;
  /** When start() was called: a gap before the first full read begins here. */
  private startedAt = 0;

  constructor(private readonly opts: ZkWatcherOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** How many watches are set now (a child watch per parent, a data watch per data node). */
  get watchCount(): number {
    let n = 0;
    for (const [parent, set] of this.names) n += 1 + (DATA_CHILDREN.has(parent) ? set.size : 0);
    return n;
  }

  /** Starts the first session; resolves once it is loaded or has failed (it is retried in the background). */
  async start(): Promise<void> {
    const every = Math.max(1000, Math.floor((this.opts.sessionTimeoutMs ?? 30_000) / 3));
    // Timers never hold the process: the daemon's stop closes the watcher, and a test may not.
    this.heartbeat = setInterval(() => void this.beat(), every).unref();
    this.startedAt = this.now();
    await this.openSession();
  }

  private async beat(): Promise<void> {
    if (this.beating || this.baseline || !this.client) return;
    this.beating = true;
    const r = await this.call<zookeeper.Stat>((c, cb) => c.exists('/', (e, s) => cb(e, s, s)));
    this.beating = false;
    if (!r.ok) {
      if (!this.gap) this.silent = true;
      this.openGap('no answer from ZooKeeper');
    } else if (this.gap && this.silent) {
      this.silent = false;
      await this.reload();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    const c = this.client;
    this.client = null;
    if (c) await closeClient(c);
  }

  private openGap(reason: string): void {
    if (this.gap) return;
    // Before the first full read nothing was watched since start, whenever that read failed.
    this.gap = { from: this.baseline ? this.startedAt : this.now(), reason };
    this.opts.onGap({ ...this.gap, to: null });
  }

  private closeGap(): void {
    if (!this.gap) return;
    this.opts.onGap({ ...this.gap, to: this.now() });
    this.gap = null;
    this.silent = false;
  }

  private async openSession(): Promise<void> {
    if (this.closed) return;
    const client = zookeeper.createClient(this.opts.zk, { sessionTimeout: this.opts.sessionTimeoutMs ?? 30_000, retries: 0 });
    if (this.opts.auth) client.addAuthInfo('digest', Buffer.from(`${this.opts.auth.user}:${this.opts.auth.password}`));
    this.client = client;
    const connected = await withDeadline<boolean>(
      this.opts.connectTimeoutMs,
      (settle) => {
        client.once('connected', () => settle(true));
        client.once('expired', () => settle(false));
        client.connect();
      },
      () => false,
    );
    if (this.closed || this.client !== client) return void closeClient(client);
    if (!connected) {
      this.openGap('not connected');
      await closeClient(client);
      return this.retryLater();
    }
    client.on('disconnected', () => this.client === client && this.openGap('disconnected'));
    client.on('connected', () => this.client === client && void this.reload());
    client.on('expired', () => this.client === client && void this.expired(client));
    await this.reload();
  }

  private retryLater(): void {
    if (this.closed) return;
    this.retryTimer = setTimeout(() => void this.openSession(), this.opts.retryMs ?? 1000).unref();
  }

  private async expired(client: zookeeper.Client): Promise<void> {
    // Usually after a disconnect: the open gap then says the session did not survive it.
    if (this.gap && !this.gap.reason.includes('expired')) this.gap.reason = `${this.gap.reason}, then the session expired`;
    this.openGap('session expired');
    this.client = null;
    await closeClient(client);
    await this.openSession();
  }

  /** Reads every watched node again (re-arming every watch); closes the gap once all reads answered. */
  private async reload(): Promise<void> {
    const client = this.client;
    const results = await Promise.all(WATCHED_PARENTS.map((p) => this.readChildren(p)));
    if (this.closed || this.client !== client) return;
    if (!results.every(Boolean)) {
      // Still connected but some read failed: the gap stays open (or opens) until a full re-read answers.
      this.openGap('not every watched node could be read');
      this.retryTimer = setTimeout(() => void (this.client === client && this.reload()), this.opts.retryMs ?? 1000).unref();
      return;
    }
    this.baseline = false;
    this.closeGap();
    this.opts.onLoaded?.(this.watchCount);
  }

  /** Lists a parent (re-arming its watch), emits what changed, and reads new data children. True when it answered. */
  private async readChildren(path: string): Promise<boolean> {
    const r = await this.call<string[]>((c, cb) => c.getChildren(path, this.childWatch, cb));
    if (!r.ok) return false;
    // A parent that does not exist gets no child watch: watch for its creation instead.
    if (r.stat === null && !(await this.call((c, cb) => c.exists(path, this.childWatch, (e, s) => cb(e, s, s)))).ok) return false;
    const now = new Set(r.value ?? []);
    const before = this.names.get(path) ?? new Set<string>();
    this.names.set(path, now);
    const added = [...now].filter((n) => !before.has(n)).sort();
    const removed = [...before].filter((n) => !now.has(n)).sort();
    if (this.changed(path, r.stat)) {
      this.emit({ path, kind: 'children', added, removed, stat: r.stat, arrivedAt: this.now() });
    }
    if (!DATA_CHILDREN.has(path)) return true;
    // Every child, not only new ones: after a gap a child's data may have moved unseen.
    const reads = await Promise.all([...now].map((n) => this.readData(`${path}/${n}`)));
    for (const n of removed) this.known.delete(`${path}/${n}`);
    return reads.every(Boolean);
  }

  private async readData(path: string): Promise<boolean> {
    const r = await this.call<Buffer>((c, cb) => c.getData(path, this.dataWatch, cb));
    if (!r.ok) return false;
    if (!this.changed(path, r.stat)) return true;
    const arrivedAt = this.now();
    if (r.stat === null) {
      this.known.delete(path);
      this.emit({ path, kind: 'deleted', stat: null, arrivedAt });
    } else this.emit({ path, kind: 'data', ...valueOf(r.value ?? Buffer.alloc(0)), stat: r.stat, arrivedAt });
    return true;
  }

  /** Records the path's Stat; true when it differs from the last one known. */
  private changed(path: string, stat: ZkStat | null): boolean {
    const key = statKey(stat);
    const same = this.known.get(path) === key || (stat === null && !this.known.has(path));
    if (stat) this.known.set(path, key);
    return !same;
  }

  private emit(e: WatchEvent): void {
    if (!this.baseline) this.opts.onEvent(e);
  }

  private call<V>(start: (c: zookeeper.Client, cb: (e: Error | zookeeper.Exception | null, v: V, s?: zookeeper.Stat) => void) => void): Promise<Read<V>> {
    const client = this.client;
    if (!client || this.closed) return Promise.resolve({ ok: false, error: 'no session' });
    return withDeadline<Read<V>>(
      this.opts.requestTimeoutMs,
      (settle) => {
        try {
          start(client, (e, value, stat) => {
            if (!e) settle({ ok: true, value, stat: stat ? toZkStat(stat) : null });
            else if (isNoNode(e)) settle({ ok: true, value: null, stat: null });
            else settle({ ok: false, error: String(e) });
          });
        } catch (e) {
          settle({ ok: false, error: e instanceof Error ? e.message : String(e) });
        }
      },
      () => ({ ok: false, error: 'timeout' }),
    );
  }
}
