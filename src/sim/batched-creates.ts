// Gathers node creations made close together into ZooKeeper multi-ops: 5,000
// registrations arriving at once become a few dozen round trips instead of
// 5,000 (the client library's per-reply buffer handling and the server's log
// syncs are what a simulated startup otherwise spends its time on). A batch
// that fails as a whole (say one node already exists) is retried node by node
// with create-or-overwrite, so each caller still gets its own outcome.
import type { Result } from '../model/result.js';
import type { ZkSession } from './zk-session.js';

interface Pending {
  path: string;
  data: Buffer;
  resolve: (r: Result<void, string>) => void;
}

export class BatchedCreates {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(
    private readonly zk: ZkSession,
    private readonly maxBatch = 256,
  ) {}

  /** Create-or-overwrite a persistent node, batched with the other calls of this turn of the event loop. */
  put(path: string, data: Buffer): Promise<Result<void, string>> {
    return new Promise((resolve) => {
      this.pending.push({ path, data, resolve });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => this.drain());
    });
  }

  private drain(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += this.maxBatch) void this.commit(all.slice(i, i + this.maxBatch));
  }

  private async commit(batch: Pending[]): Promise<void> {
    const together = await this.zk.createAll(batch, 'persistent');
    if (together.ok) {
      for (const p of batch) p.resolve(together);
      return;
    }
    await Promise.all(batch.map(async (p) => p.resolve(await this.zk.put(p.path, p.data, 'persistent'))));
  }
}
