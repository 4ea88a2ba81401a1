// A synchronous session on a PostgreSQL history, for the query layer, whose
// loaders read through synchronous callbacks (src/store/history-reader.ts).
// A worker thread (pg-sync-worker.ts) holds one connection, opened as the
// async store opens its pool; a statement is posted to it on a MessagePort
// and this thread blocks in Atomics.wait until the reply is on the port, then
// takes it with receiveMessageOnPort. The wait is bounded (a reconnect, the
// statement timeout, and a margin): a worker that never answers is an error
// (exit 6), never a hang.
//
// Cost per statement (bench/storage/pg-sync-cost.ts: 1,000 `SELECT 1` on a
// local server, the bundled worker, 2 cores at load 5): the async pool's
// awaited query 131-307 µs wall and 137-177 µs CPU; through this session
// 217-293 µs wall and 205-250 µs CPU (both threads). So about +50-75 µs of CPU
// per statement, and a wall time within the noise of the round trip: a query
// command's few hundred statements pay milliseconds, not its reads' time.
import { MessageChannel, receiveMessageOnPort, type MessagePort, type Worker } from 'node:worker_threads';
import { DatabaseError, NotFoundError } from '../../errors.js';
import { spawnModuleWorker } from '../../util/spawn-worker.js';
import type { PgOpenOptions } from './connect.js';
import type { ClusterChoice } from './open-pg.js';
import type { SyncBoot, SyncError, SyncOpened, SyncQuery, SyncReply } from './pg-sync-protocol.js';

/** Beyond the connect and statement timeouts, how long a reply may take to cross the threads. */
const REPLY_MARGIN_MS = 5_000;
/** Starting the worker (loading pg, and tsx from source) before it connects. */
const BOOT_MS = 30_000;

export interface PgSyncSession {
  /** The rows of one statement ($1, $2, ... parameters), bigints as numbers. */
  query<T>(sql: string, params?: readonly unknown[]): T[];
  /** `fn`'s statements in one snapshot of the database (a read-only repeatable-read transaction). */
  read<T>(fn: () => T): T;
  close(): Promise<void>;
}

/** The one line a failed statement ends a command with, as the async store's (pg-db.ts pgRead). */
function rebuild(e: SyncError): Error {
  if (e.kind === 'database') return new DatabaseError(e.message);
  if (e.kind === 'not_found') return new NotFoundError(e.message);
  if (e.kind === 'server') return new DatabaseError(`cannot read the history: ${e.message}`);
  return new Error(e.message);
}

function opened(worker: Worker, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new DatabaseError(`cannot open the history: the PostgreSQL session did not start within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: SyncOpened) => finish(m.type === 'ready' ? null : rebuild(m.error));
    const onError = (e: Error) => finish(new DatabaseError(`cannot open the history: the PostgreSQL session failed: ${e.message.split('\n')[0]}`));
    const onExit = (code: number) => finish(new DatabaseError(`cannot open the history: the PostgreSQL session exited with code ${code}`));
    function finish(e: Error | null): void {
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      if (e) reject(e);
      else resolve();
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });
}

/**
 * Blocks until the worker has set the flag (after posting its reply), at most `waitMs`;
 * false when it did not. A wake-up alone proves nothing: the worker sets the flag, then
 * notifies, and a thread preempted between the two (a busy machine) wakes the next
 * statement's wait before that statement's reply exists.
 */
export function waitForFlag(flag: Int32Array, waitMs: number): boolean {
  const deadline = Date.now() + waitMs;
  while (Atomics.load(flag, 0) === 0) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(flag, 0, 0, left) === 'timed-out') return Atomics.load(flag, 0) !== 0;
  }
  return true;
}

class Session implements PgSyncSession {
  private next = 1;
  private broken: Error | null = null;
  private depth = 0;

  constructor(
    private readonly worker: Worker,
    private readonly port: MessagePort,
    private readonly flag: Int32Array,
    private readonly waitMs: number,
  ) {}

  query<T>(sql: string, params: readonly unknown[] = []): T[] {
    return this.post({ id: this.next++, sql, params });
  }

  private post<T>(q: SyncQuery): T[] {
    if (this.broken) throw this.broken;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage(q);
    if (!waitForFlag(this.flag, this.waitMs)) return this.fail(`no answer from the PostgreSQL session within ${this.waitMs} ms`);
    const got = receiveMessageOnPort(this.port)?.message as SyncReply | undefined;
    if (!got || got.id !== q.id) return this.fail('the PostgreSQL session answered out of turn');
    if ('error' in got) throw rebuild(got.error);
    return got.rows as T[];
  }

  read<T>(fn: () => T): T {
    if (this.depth > 0) return fn();
    this.post({ id: this.next++, sql: 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', params: [], transaction: 'begin' });
    this.depth++;
    try {
      const out = fn();
      this.post({ id: this.next++, sql: 'COMMIT', params: [], transaction: 'end' });
      return out;
    } catch (e) {
      // A failed statement dropped the connection (the transaction with it); otherwise end it here.
      try {
        this.post({ id: this.next++, sql: 'ROLLBACK', params: [], transaction: 'end' });
      } catch {
        /* the first error is the one to report */
      }
      throw e;
    } finally {
      this.depth--;
    }
  }

  /** A session that lost its worker answers every later call with the same error. */
  private fail(why: string): never {
    this.broken = new DatabaseError(`cannot read the history: ${why}`);
    void this.worker.terminate();
    throw this.broken;
  }

  async close(): Promise<void> {
    this.broken ??= new DatabaseError('cannot read the history: the PostgreSQL session is closed');
    this.port.close();
    await this.worker.terminate();
  }
}

/**
 * Opens a synchronous session on the PostgreSQL history at `url` (postgres://),
 * on `opts.cluster` (default: the default cluster; `create` false by default:
 * a reader is refused a cluster the history does not have). Opening is
 * asynchronous (the worker starts and connects); every statement after is not.
 */
export async function openPgSync(url: string, opts: PgOpenOptions & ClusterChoice = {}): Promise<PgSyncSession> {
  const { port1, port2 } = new MessageChannel();
  const signal = new SharedArrayBuffer(4);
  const boot: SyncBoot = { url, opts: { create: false, ...opts }, port: port2, signal };
  const worker = spawnModuleWorker(import.meta.url, './pg-sync-worker.ts', '../store/pg-sync-worker.js', { workerData: boot, transferList: [port2] });
  // The session's thread never keeps a command's process alive.
  worker.unref();
  const connectMs = opts.connectTimeoutMs ?? 10_000;
  try {
    await opened(worker, BOOT_MS + connectMs);
  } catch (e) {
    port1.close();
    await worker.terminate();
    throw e;
  }
  const waitMs = connectMs + (opts.statementTimeoutMs ?? 60_000) + REPLY_MARGIN_MS;
  return new Session(worker, port1, new Int32Array(signal), waitMs);
}
