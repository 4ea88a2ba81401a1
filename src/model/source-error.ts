// Why a source (or one node of it) could not be read. Recorded in the store as
// the source's outcome; never turned into "empty".
export type SourceErrorKind =
  | 'timeout' // connected (or tried to) and the deadline passed
  | 'unreachable' // refused, reset, DNS failure, no route
  | 'protocol' // answered bytes that are not the expected Thrift reply
  | 'not_leader' // answered NOT_LEADER / NOT_IN_MAJORITY
  | 'system_error' // answered SYSTEM_ERROR or another non-OK code
  | 'no_leader' // ZooKeeper has zero or several members for the service
  | 'decode' // a stored value is not a valid struct
  | 'session_expired' // ZooKeeper session expired during the read
  | 'zookeeper' // any other ZooKeeper error code
  | 'abandoned' // `run`: the collection outlived its budget (or treesnap stopped) and was given up unwritten
  | 'backoff'; // `run`: not attempted this tick because recent collections read nothing (see daemon backoff)

export interface SourceError {
  kind: SourceErrorKind;
  message: string;
}

export function sourceError(kind: SourceErrorKind, message: string): SourceError {
  return { kind, message };
}

/** A failure confined to one ZooKeeper node; the rest of the read stands. */
export interface NodeError {
  path: string;
  kind: SourceErrorKind;
  message: string;
}
