// The messages between the synchronous PostgreSQL session (pg-sync.ts, the
// query layer's thread) and its worker (pg-sync-worker.ts, which holds the
// connection). Errors cross as plain data and are rebuilt as the store's
// typed errors on the caller's side, so their exit codes hold.
import type { PgOpenOptions } from './connect.js';
import type { ClusterChoice } from './open-pg.js';
import type { MessagePort } from 'node:worker_threads';

export interface SyncBoot {
  url: string;
  opts: PgOpenOptions & ClusterChoice;
  /** The queries' port (the caller takes replies from it with receiveMessageOnPort). */
  port: MessagePort;
  /** One Int32: the worker sets it to 1 and notifies once a reply is on the port. */
  signal: SharedArrayBuffer;
}

export interface SyncQuery {
  id: number;
  sql: string;
  params: readonly unknown[];
  /** The statement opens or ends a read transaction (pg-sync.ts read()). */
  transaction?: 'begin' | 'end';
}

/** An error as data: which of the store's errors it was, and its one line. */
export interface SyncError {
  /** DatabaseError and NotFoundError keep their class; 'server': the server or the connection failed (a read error, exit 6); 'other': a bug. */
  kind: 'database' | 'not_found' | 'server' | 'other';
  message: string;
}

export type SyncReply = { id: number; rows: unknown[] } | { id: number; error: SyncError };

/** What the worker posts on its parent port once the history is open (or could not be). */
export type SyncOpened = { type: 'ready' } | { type: 'failed'; error: SyncError };
