// The one normalized scheduler-tree model every source is read into.
import type { Endpoint, HostId, SchedulerId } from './ids.js';

export interface HostNode {
  id: HostId;
  address: Endpoint | null;
}

export interface LeafNode {
  id: SchedulerId;
  /** The host whose agent runs this leaf's role; null when no child matches the owner. */
  owner: HostId | null;
  /** Where the leaf scheduler listens (its owner's address). */
  address: Endpoint | null;
  hosts: HostNode[];
}

export interface SchedulerTree {
  /** Root scheduler address (the root-scheduler leader), null when unknown. */
  rootAddress: Endpoint | null;
  leaves: LeafNode[];
}

/** The root scheduler's own view: its children as it was configured with them. */
export interface RootChild {
  id: SchedulerId;
  owner: HostId | null;
  address: Endpoint | null;
}
