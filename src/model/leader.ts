// The original rule for a ZooKeeper service's leader (photon-protocol.md):
// the service's only member. Zero or several members: no leader.
export function leaderOf<M>(members: readonly M[]): M | null {
  return members.length === 1 ? members[0]! : null;
}
