// The ZooKeeper layout Photon writes (see the protocol doc), relative to the
// connect string's chroot.
import type { HostId } from '../model/ids.js';

export type PhotonService = 'chairman' | 'root-scheduler';

export const SERVICES_PATH = '/services';
export const HOSTS_PATH = '/hosts';
export const ROLES_PATH = '/roles';
export const MISSING_PATH = '/missing';

/** Persistent parents the chairman and the services expect to exist. */
export const LAYOUT_PARENTS: readonly string[] = [
  `${SERVICES_PATH}/chairman`,
  `${SERVICES_PATH}/root-scheduler`,
  HOSTS_PATH,
  ROLES_PATH,
  MISSING_PATH,
];

export function servicePath(service: PhotonService): string {
  return `${SERVICES_PATH}/${service}`;
}

export function hostPath(id: HostId): string {
  return `${HOSTS_PATH}/${id}`;
}

/** A leaf's role lives under its owner's host id. */
export function rolesPath(owner: HostId): string {
  return `${ROLES_PATH}/${owner}`;
}

/** Missing entries are keyed by host or scheduler id. */
export function missingPath(id: string): string {
  return `${MISSING_PATH}/${id}`;
}
