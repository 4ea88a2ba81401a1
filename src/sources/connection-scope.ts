// What one collection has open, so that abandoning it closes every connection
// at once. The daemon collects in its own thread: a collection it gives up
// (past its budget, or while stopping) must not keep sockets open until their
// own timeouts, nor open new ones, while the next tick runs. Each connection
// is held from its connect until it closes; ending the scope destroys every
// held one, and a connection opened after the end is refused.
//
// A Set rather than an 'abort' listener per socket: a collection opens ~5,000
// sockets, and EventTarget listeners cost several times a Set's add and delete.
import { sourceError, type SourceError } from '../model/source-error.js';

/** Anything a scope can end: a socket, or a ZooKeeper client's close. */
export interface Closable {
  destroy(): void;
}

export class ConnectionScope {
  private readonly open = new Set<Closable>();
  private why: SourceError | null = null;

  /** Why the scope ended (error kind 'abandoned'), or null while it is open. */
  get ended(): SourceError | null {
    return this.why;
  }

  /** Holds `c` until released. Once the scope has ended, destroys `c` at once and returns false. */
  hold(c: Closable): boolean {
    if (this.why) {
      c.destroy();
      return false;
    }
    this.open.add(c);
    return true;
  }

  release(c: Closable): void {
    this.open.delete(c);
  }

  /** Destroys everything held; later holds are refused. A second end keeps the first reason. */
  end(message: string): void {
    if (this.why) return;
    this.why = sourceError('abandoned', message);
    const held = [...this.open];
    this.open.clear();
    for (const c of held) c.destroy();
  }

  /** A scope that ends when `signal` aborts; the listener is removed by the returned dispose. */
  static of(signal: AbortSignal | undefined, message: string): { scope: ConnectionScope; dispose: () => void } {
    const scope = new ConnectionScope();
    if (!signal) return { scope, dispose: () => undefined };
    const onAbort = (): void => scope.end(message);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    return { scope, dispose: () => signal.removeEventListener('abort', onAbort) };
  }
}
