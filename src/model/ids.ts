// Named identifiers of the scheduler tree. Plain strings on the wire; the names
// say which kind of id a function takes.
export type HostId = string;
export type SchedulerId = string;

export const ROOT_SCHEDULER_ID: SchedulerId = 'ROOT';

/** A host:port pair as Photon stores it (ServerAddress, ChildInfo.address/port). */
export interface Endpoint {
  host: string;
  port: number;
}

export function formatEndpoint(e: Endpoint | null): string {
  return e ? `${e.host}:${e.port}` : '-';
}
