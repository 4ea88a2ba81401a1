// ZkReader over a connected node-zookeeper-client session. Read calls only:
// this module never creates, changes or deletes a node.
import type { Socket } from 'node:net';
import zookeeper from 'node-zookeeper-client';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';
import { withDeadline } from '../../util/with-deadline.js';
import { isNoNode, zkSourceError } from './zk-error.js';
import type { ZkReader } from './zk-reader.js';
import type { ZkStat } from '../../model/zk-stat.js';
import { toZkStat } from './zk-stat.js';
import type { Closable, ConnectionScope } from '../connection-scope.js';

type Callback<V> = (error: Error | zookeeper.Exception | null, value: V, stat?: zookeeper.Stat) => void;

const ABSENT: unique symbol = Symbol('absent');

/** How long close() waits for the server to acknowledge the session end before dropping the socket. */
const CLOSE_WAIT_MS = 1000;

export class ClientZkReader implements ZkReader {
  private sessionExpired = false;
  private readonly seen = new Map<string, ZkStat>();
  private closing: Promise<void> | null = null;
  /** What the collection's scope ends: the session, at once (its pending requests fail with CONNECTION_LOSS). */
  private readonly held: Closable = { destroy: () => endClientNow(this.client) };

  constructor(
    private readonly client: zookeeper.Client,
    private readonly requestTimeoutMs: number,
    private readonly scope?: ConnectionScope,
  ) {
    client.on('expired', () => {
      this.sessionExpired = true;
    });
    scope?.hold(this.held);
  }

  get expired(): boolean {
    return this.sessionExpired;
  }

  async children(path: string): Promise<Result<string[] | null, SourceError>> {
    const r = await this.call<string[]>(`list ${path}`, path, (cb) => this.client.getChildren(path, cb));
    if (!r.ok) return r;
    return ok(r.value === ABSENT ? null : r.value);
  }

  async data(path: string): Promise<Result<Buffer | null, SourceError>> {
    const r = await this.call<Buffer | null | undefined>(`read ${path}`, path, (cb) => this.client.getData(path, cb));
    if (!r.ok) return r;
    if (r.value === ABSENT) return ok(null);
    // A node created without data answers no buffer; to a decoder that is an empty value.
    return ok(r.value ?? Buffer.alloc(0));
  }

  /** True when the node exists; a failed check is an error, not "absent". */
  async exists(path: string): Promise<Result<boolean, SourceError>> {
    const r = await this.stat(path);
    return r.ok ? ok(r.value !== null) : r;
  }

  async stat(path: string): Promise<Result<ZkStat | null, SourceError>> {
    const r = await this.call<zookeeper.Stat | null>(`check ${path}`, path, (cb) => this.client.exists(path, (e, stat) => cb(e, stat, stat)));
    if (!r.ok) return r;
    return ok(r.value === ABSENT || !r.value ? null : toZkStat(r.value));
  }

  seenStats(): ReadonlyMap<string, ZkStat> {
    return this.seen;
  }

  close(): Promise<void> {
    this.scope?.release(this.held);
    this.closing ??= closeClient(this.client);
    return this.closing;
  }

  /** One request with its own deadline; NO_NODE answers ABSENT. */
  private async call<V>(what: string, path: string, start: (cb: Callback<V>) => void): Promise<Result<V | typeof ABSENT, SourceError>> {
    if (this.sessionExpired) return err(this.expiredError(what));
    if (this.scope?.ended) return err(this.scope.ended);
    return withDeadline<Result<V | typeof ABSENT, SourceError>>(
      this.requestTimeoutMs,
      (settle) => {
        try {
          start((e, value, stat) => {
            if (!e && stat) this.seen.set(path, toZkStat(stat));
            if (!e) settle(ok(value));
            else if (isNoNode(e)) settle(ok(ABSENT));
            else settle(err(this.sessionExpired ? this.expiredError(what) : zkSourceError(e, what)));
          });
        } catch (e) {
          // The library asserts on malformed paths instead of answering.
          settle(err(sourceError('zookeeper', `${what}: ${e instanceof Error ? e.message : String(e)}`)));
        }
      },
      () => err(this.timeoutError(what)),
    );
  }

  // Once expired, the library closes the client and answers CONNECTION_LOSS
  // to everything; the cause the caller needs is the expiry.
  private expiredError(what: string): SourceError {
    return sourceError('session_expired', `${what}: ZooKeeper session expired; reconnect to read again`);
  }

  private timeoutError(what: string): SourceError {
    const state = this.client.getState().name;
    return sourceError('timeout', `${what}: no answer within ${this.requestTimeoutMs} ms (client state ${state})`);
  }
}

/**
 * Ends a client whatever its state. close() alone is not enough: it only
 * queues a close-session request, so a client that never got a session (dead
 * or silent server) or a server that does not answer keeps the socket, and
 * the process, alive. The socket is the library's internal field.
 */
export async function closeClient(client: zookeeper.Client): Promise<void> {
  const connected = client.getState() === zookeeper.State.SYNC_CONNECTED;
  const acknowledged = connected ? new Promise<void>((resolve) => client.once('disconnected', () => resolve())) : null;
  client.close();
  if (acknowledged) await withDeadline(CLOSE_WAIT_MS, (settle) => void acknowledged.then(() => settle(undefined)), () => undefined);
  internalSocket(client)?.destroy();
}

/** Ends a client without waiting for the server: for a collection given up, whose session nobody reads again. */
export function endClientNow(client: zookeeper.Client): void {
  client.close();
  internalSocket(client)?.destroy();
}

function internalSocket(client: zookeeper.Client): Socket | undefined {
  const manager = (client as unknown as { connectionManager?: { socket?: Socket } }).connectionManager;
  return manager?.socket;
}
