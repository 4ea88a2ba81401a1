// A service instance's membership: an EPHEMERAL `node-<uuid>` child of
// /services/<service> holding its ServerAddress (Thrift binary). Each member
// has a ZooKeeper session of its own, so stopping one service (or the process
// dying) makes exactly its member disappear, as with the Java services.
import { randomUUID } from 'node:crypto';
import photon from '../generated/thrift/photon_types.js';
import type { Endpoint } from '../model/ids.js';
import { ok, type Result } from '../model/result.js';
import { encodeBinary } from '../wire/thrift-binary.js';
import { servicePath, type PhotonService } from './zk-paths.js';
import { openZkSession } from './zk-session.js';

export interface ServiceMember {
  /** The member node's path, e.g. /services/chairman/node-<uuid>. */
  readonly path: string;
  /** Deletes the member node and ends its session. Idempotent. */
  leave(): Promise<void>;
}

export async function joinService(connectString: string, service: PhotonService, address: Endpoint): Promise<Result<ServiceMember, string>> {
  const opened = await openZkSession(connectString);
  if (!opened.ok) return opened;
  const session = opened.value;
  const parent = await session.ensurePath(servicePath(service));
  const path = `${servicePath(service)}/node-${randomUUID()}`;
  const value = encodeBinary(new photon.ServerAddress({ host: address.host, port: address.port }));
  const created = parent.ok ? await session.create(path, value, 'ephemeral') : parent;
  if (!created.ok) {
    await session.close();
    return created;
  }
  let leaving: Promise<void> | null = null;
  return ok({
    path,
    leave() {
      // Deleting first makes the member vanish at once; closing the session alone would too, but only
      // once the server has processed the close.
      leaving ??= session.remove(path).then(() => session.close());
      return leaving;
    },
  });
}
