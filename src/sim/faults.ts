// Faults a simulated cluster can be put into that no ordinary RPC produces:
// corrupt values, extra service members, hosts registered but never placed.
// (Process-level faults, stop/start/hang, are methods of the processes.)
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import photon from '../generated/thrift/photon_types.js';
import type { Endpoint } from '../model/ids.js';
import { err, ok, type Result } from '../model/result.js';
import { encodeBinary } from '../wire/thrift-binary.js';
import { servicePath, type PhotonService } from './zk-paths.js';
import type { ZkSession } from './zk-session.js';

/**
 * Not a Thrift struct: a string field header whose length (2 GiB) runs past
 * the end of the value, so any binary-protocol decoder must fail on it.
 */
export const CORRUPT_VALUE: Buffer = Buffer.from([0x0b, 0x00, 0x01, 0x7f, 0xff, 0xff, 0xff]);

/** Writes `bytes` at `path` (creating it and its parents as persistent nodes). */
export async function writeCorruptValue(zk: ZkSession, path: string, bytes: Buffer = CORRUPT_VALUE): Promise<Result<void, string>> {
  const parent = path.slice(0, path.lastIndexOf('/'));
  if (parent !== '') {
    const made = await zk.ensurePath(parent);
    if (!made.ok) return made;
  }
  return zk.put(path, bytes, 'persistent', true);
}

/**
 * Adds another EPHEMERAL member to a service (on `zk`'s session, so it goes
 * when the cluster stops), leaving the service with no single leader.
 * Answers the member's path.
 */
export async function addSecondMember(zk: ZkSession, service: PhotonService, address: Endpoint): Promise<Result<string, string>> {
  const path = `${servicePath(service)}/node-${randomUUID()}`;
  const value = encodeBinary(new photon.ServerAddress({ host: address.host, port: address.port }));
  const created = await zk.create(path, value, 'ephemeral');
  if (!created.ok) return created;
  return ok(path);
}

/** A port nothing listens on right now (bound, then released), for addresses that must be offline. */
export function unusedPort(host: string): Promise<Result<number, string>> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (e) => resolve(err(`no free port on ${host}: ${e.message}`)));
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(ok(port)));
    });
  });
}
