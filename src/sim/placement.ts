// Fanout placement of hosts into leaf schedulers, as the chairman does it. Pure
// (no I/O); leaf ids come from the caller.
//
// Rules:
// - A new host joins the leaf that has had room the longest; when no leaf has
//   room it becomes the owner of a new leaf. With fanout 2 and hosts A, B, C
//   registering in that order: leaves [A, B] (owner A) and [C] (owner C).
// - A leaf's owner is its oldest member (hosts[0]). When the owner leaves, the
//   next oldest host takes over and the leaf keeps its id; a leaf left empty
//   is dropped.
import type { HostId, SchedulerId } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';

export interface PlacedLeaf {
  id: SchedulerId;
  /** Member hosts, oldest first; hosts[0] owns the leaf. Never empty. */
  hosts: readonly HostId[];
}

/** What one placement operation did to one leaf. */
export interface LeafChange {
  leafId: SchedulerId;
  /** Owner before the operation; null for a leaf it created. */
  ownerBefore: HostId | null;
  /** Owner after the operation; null for a leaf it dropped. */
  ownerAfter: HostId | null;
}

interface MutableLeaf {
  id: SchedulerId;
  hosts: HostId[];
}

export class Placement {
  private readonly leavesById = new Map<SchedulerId, MutableLeaf>();
  private readonly leafOfHost = new Map<HostId, MutableLeaf>();
  // Insertion-ordered: the first entry is the leaf that has had room the longest.
  private readonly withRoom = new Set<MutableLeaf>();

  constructor(readonly fanout: number) {
    if (!Number.isInteger(fanout) || fanout < 1) throw new RangeError(`fanout must be a positive integer, got ${fanout}`);
  }

  get hostCount(): number {
    return this.leafOfHost.size;
  }

  has(host: HostId): boolean {
    return this.leafOfHost.has(host);
  }

  leafIdOf(host: HostId): SchedulerId | null {
    return this.leafOfHost.get(host)?.id ?? null;
  }

  leaf(id: SchedulerId): PlacedLeaf | null {
    return this.leavesById.get(id) ?? null;
  }

  /** Leaves in creation order. */
  leaves(): PlacedLeaf[] {
    return [...this.leavesById.values()];
  }

  /** Places a host not yet placed; `newLeafId` is called only when a leaf is created. */
  place(host: HostId, newLeafId: () => SchedulerId): Result<LeafChange, string> {
    if (this.leafOfHost.has(host)) return err(`host ${host} is already in leaf ${this.leafIdOf(host)}`);
    const roomy = this.withRoom.values().next();
    if (!roomy.done) {
      const leaf = roomy.value;
      this.join(leaf, host);
      return ok({ leafId: leaf.id, ownerBefore: leaf.hosts[0] ?? null, ownerAfter: leaf.hosts[0] ?? null });
    }
    const leaf: MutableLeaf = { id: newLeafId(), hosts: [] };
    if (this.leavesById.has(leaf.id)) return err(`leaf id ${leaf.id} is already in use`);
    this.leavesById.set(leaf.id, leaf);
    this.join(leaf, host);
    return ok({ leafId: leaf.id, ownerBefore: null, ownerAfter: host });
  }

  /** Takes a host out of its leaf; null when it was not placed. */
  remove(host: HostId): LeafChange | null {
    const leaf = this.leafOfHost.get(host);
    if (!leaf) return null;
    const ownerBefore = leaf.hosts[0] ?? null;
    this.leave(leaf, host);
    return { leafId: leaf.id, ownerBefore, ownerAfter: leaf.hosts[0] ?? null };
  }

  /**
   * Moves a placed host to another existing leaf, ignoring fanout (used to make
   * the chairman's memory diverge from what it persisted). Both leaves change.
   */
  move(host: HostId, toLeafId: SchedulerId): Result<[LeafChange, LeafChange], string> {
    const from = this.leafOfHost.get(host);
    if (!from) return err(`host ${host} is not in any leaf`);
    const to = this.leavesById.get(toLeafId);
    if (!to) return err(`no leaf ${toLeafId}`);
    if (to === from) return err(`host ${host} is already in leaf ${toLeafId}`);
    const fromOwner = from.hosts[0] ?? null;
    const toOwner = to.hosts[0] ?? null;
    this.leave(from, host);
    this.join(to, host);
    return ok([
      { leafId: from.id, ownerBefore: fromOwner, ownerAfter: from.hosts[0] ?? null },
      { leafId: to.id, ownerBefore: toOwner, ownerAfter: to.hosts[0] ?? null },
    ]);
  }

  private join(leaf: MutableLeaf, host: HostId): void {
    leaf.hosts.push(host);
    this.leafOfHost.set(host, leaf);
    if (leaf.hosts.length >= this.fanout) this.withRoom.delete(leaf);
    else if (!this.withRoom.has(leaf)) this.withRoom.add(leaf);
  }

  private leave(leaf: MutableLeaf, host: HostId): void {
    leaf.hosts.splice(leaf.hosts.indexOf(host), 1);
    this.leafOfHost.delete(host);
    if (leaf.hosts.length === 0) {
      this.leavesById.delete(leaf.id);
      this.withRoom.delete(leaf);
      return;
    }
    if (leaf.hosts.length < this.fanout && !this.withRoom.has(leaf)) this.withRoom.add(leaf);
  }
}
