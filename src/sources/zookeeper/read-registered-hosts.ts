// The registered hosts: every /hosts child decoded as HostConfig (either
// generation). A value that does not decode is a NodeError; the rest stands.
// A value read with the same bytes as at the last read is not decoded again
// (util/bytes-memo.ts): the daemon reads every host each tick.
import type { HostRegistration } from '../../model/host-config.js';
import { ok, type Result } from '../../model/result.js';
import type { NodeError, SourceError } from '../../model/source-error.js';
import { BytesMemo } from '../../util/bytes-memo.js';
import { decodeHostConfig } from './decode.js';
import { readChildrenData } from './read-children-data.js';
import type { ZkReader } from './zk-reader.js';

export const HOSTS_PATH = '/hosts';

/** By node path; the process's reads share it (a read of another cluster only misses). */
const hostConfigs = new BytesMemo(decodeHostConfig);

export interface RegisteredHostsReading {
  /** In /hosts child-name order. The id is the value's agent_id, as in the original tool. */
  hosts: HostRegistration[];
  errors: NodeError[];
  /** False when /hosts does not exist (hosts is then empty). */
  hostsPathPresent: boolean;
}

export async function readRegisteredHosts(zk: ZkReader): Promise<Result<RegisteredHostsReading, SourceError>> {
  const read = await readChildrenData(zk, HOSTS_PATH);
  if (!read.ok) return read;
  hostConfigs.round();
  const hosts: HostRegistration[] = [];
  const errors: NodeError[] = [];
  for (const child of read.value.children) {
    if ('error' in child) {
      errors.push(child.error);
      continue;
    }
    const decoded = hostConfigs.decode(child.path, child.data);
    if (decoded.ok) hosts.push(decoded.value);
    else errors.push({ path: child.path, ...decoded.error });
  }
  return ok({ hosts, errors, hostsPathPresent: read.value.parentPresent });
}
