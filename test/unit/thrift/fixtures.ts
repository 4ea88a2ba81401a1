// Photon get_schedulers answers as the real services send them, for the
// converter unit tests and the integration servers.
import photon from '../../../src/generated/thrift/photon_types.js';
import type { GetSchedulersResponse } from '../../../src/generated/thrift/photon_types.js';

export const HOST_A = { id: 'host-a', host: '10.0.0.1', port: 8835 };
export const HOST_B = { id: 'host-b', host: '10.0.0.2', port: 8835 };
export const HOST_C = { id: 'host-c', host: '10.0.0.3', port: 8836 };
export const LEAF_1 = 'leaf-1-uuid';
export const LEAF_2 = 'leaf-2-uuid';

type Host = typeof HOST_A;

export function childInfo(h: Host, ownerHost?: string): photon.ChildInfo {
  return new photon.ChildInfo({ id: h.id, address: h.host, port: h.port, ...(ownerHost ? { owner_host: ownerHost } : {}) });
}

/** A leaf's ChildInfo under ROOT: the leaf id, its owner's address, owner_host. */
export function leafChild(leafId: string, owner: Host): photon.ChildInfo {
  return new photon.ChildInfo({ id: leafId, address: owner.host, port: owner.port, owner_host: owner.id });
}

export function rootEntry(children: photon.ChildInfo[]): photon.SchedulerEntry {
  return new photon.SchedulerEntry({ role: new photon.SchedulerRole({ id: 'ROOT', scheduler_children: children }) });
}

export function leafEntry(leafId: string, owner: Host, hosts: Host[]): photon.SchedulerEntry {
  return new photon.SchedulerEntry({
    role: new photon.SchedulerRole({
      id: leafId,
      parent_id: 'ROOT',
      hosts: hosts.map((h) => h.id),
      host_children: hosts.map((h) => childInfo(h)),
    }),
    agent: owner.id,
  });
}

/** Hosts A, B, C registered in that order with fanout 2: leaves [A, B] (owner A) and [C] (owner C). */
export function chairmanAnswer(): GetSchedulersResponse {
  return new photon.GetSchedulersResponse({
    result: photon.GetSchedulersResultCode.OK,
    schedulers: [
      rootEntry([leafChild(LEAF_1, HOST_A), leafChild(LEAF_2, HOST_C)]),
      leafEntry(LEAF_1, HOST_A, [HOST_A, HOST_B]),
      leafEntry(LEAF_2, HOST_C, [HOST_C]),
    ],
  });
}

/** The root scheduler's answer for the same tree: its role, children without hosts. */
export function rootAnswer(): GetSchedulersResponse {
  return new photon.GetSchedulersResponse({
    result: photon.GetSchedulersResultCode.OK,
    schedulers: [rootEntry([leafChild(LEAF_1, HOST_A), leafChild(LEAF_2, HOST_C)])],
  });
}

export function failedAnswer(code: photon.GetSchedulersResultCode, error?: string): GetSchedulersResponse {
  return new photon.GetSchedulersResponse({ result: code, ...(error !== undefined ? { error } : {}) });
}
