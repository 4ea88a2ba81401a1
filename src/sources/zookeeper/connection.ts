// Opening a read-only ZooKeeper session for one collection run.
//
// node-zookeeper-client's connect() retries a dead or silent server forever
// without an event, so the session must arrive within connectTimeoutMs or the
// client is closed and the attempt reported as a timeout. The library applies
// a chroot given in the connect string to every path, but a chroot that does
// not exist is not an error to the server (every read just answers NO_NODE,
// which would look like an empty cluster), so it is checked here.
import zookeeper from 'node-zookeeper-client';
import { err, ok, type Result } from '../../model/result.js';
import { sourceError, type SourceError } from '../../model/source-error.js';
import { parseConnectString } from './connect-string.js';
import { ClientZkReader, closeClient, endClientNow } from './zk-client-reader.js';
import type { ConnectionScope } from '../connection-scope.js';
import './zk-reply-buffer.js';
import './zk-lean-replies.js';
import './zk-lean-requests.js';
import './zk-request-writes.js';
import type { ZkReader } from './zk-reader.js';
import { withDeadline } from '../../util/with-deadline.js';

export { parseConnectString, type ConnectString } from './connect-string.js';

export interface ZookeeperConnectOptions {
  connectTimeoutMs: number;
  /** Session timeout asked of the server (it clamps it to its own bounds). Default 30 s. */
  sessionTimeoutMs?: number;
  requestTimeoutMs: number;
  /** Digest credentials, sent as `user:password` with scheme "digest". */
  auth?: { user: string; password: string };
  /** The collection's connections, which ending it closes (connection-scope.ts). */
  scope?: ConnectionScope;
}

const DEFAULT_SESSION_TIMEOUT_MS = 30_000;

type SessionOutcome = 'connected' | 'expired' | 'authenticationFailed' | 'timeout' | 'abandoned';

export async function connectZookeeper(
  connectString: string,
  opts: ZookeeperConnectOptions,
): Promise<Result<ZkReader, SourceError>> {
  const parsed = parseConnectString(connectString);
  if (!parsed.ok) return err(sourceError('zookeeper', `invalid connect string: ${parsed.error}`));
  if (opts.scope?.ended) return err(opts.scope.ended);
  const client = zookeeper.createClient(connectString, {
    sessionTimeout: opts.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    retries: 0,
  });
  if (opts.auth) client.addAuthInfo('digest', Buffer.from(`${opts.auth.user}:${opts.auth.password}`));
  const outcome = await awaitSession(client, opts.connectTimeoutMs, opts.scope);
  if (outcome === 'abandoned') {
    endClientNow(client);
    return err(opts.scope?.ended ?? sourceError('abandoned', 'the collection was given up while connecting'));
  }
  if (outcome !== 'connected') {
    await closeClient(client);
    return err(sessionError(outcome, connectString, opts.connectTimeoutMs));
  }
  const reader = new ClientZkReader(client, opts.requestTimeoutMs, opts.scope);
  const chroot = parsed.value.chroot;
  if (chroot === null) return ok(reader);
  const present = await reader.exists('/');
  if (present.ok && present.value) return ok(reader);
  await reader.close();
  if (!present.ok) return err(sourceError(present.error.kind, `checking chroot ${chroot}: ${present.error.message}`));
  return err(sourceError('zookeeper', `chroot ${chroot} does not exist on ${connectString}`));
}

function awaitSession(client: zookeeper.Client, timeoutMs: number, scope: ConnectionScope | undefined): Promise<SessionOutcome> {
  const events = ['connected', 'expired', 'authenticationFailed'] as const;
  const listeners = new Map<string, () => void>();
  const waiting = { destroy: () => undefined as void };
  return withDeadline<SessionOutcome>(
    timeoutMs,
    (settle) => {
      waiting.destroy = () => settle('abandoned');
      if (scope && !scope.hold(waiting)) return;
      for (const event of events) {
        const listener = (): void => settle(event);
        listeners.set(event, listener);
        client.once(event, listener);
      }
      client.connect();
    },
    () => 'timeout',
  ).finally(() => {
    scope?.release(waiting);
    for (const [event, listener] of listeners) client.removeListener(event, listener);
  });
}

function sessionError(outcome: Exclude<SessionOutcome, 'connected' | 'abandoned'>, connectString: string, timeoutMs: number): SourceError {
  switch (outcome) {
    case 'timeout':
      return sourceError('timeout', `no ZooKeeper session with ${connectString} within ${timeoutMs} ms (server down, refusing or silent)`);
    case 'expired':
      return sourceError('session_expired', `ZooKeeper ${connectString} refused the session as expired`);
    case 'authenticationFailed':
      return sourceError('zookeeper', `ZooKeeper ${connectString} rejected the credentials`);
  }
}
