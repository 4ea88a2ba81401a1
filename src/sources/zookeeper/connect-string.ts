// Parsing and validating a ZooKeeper connect string, `host:port[,host:port][/chroot]`.
// Pure: used by config validation and before handing the string to the client
// library, whose own parser asserts (throws) on bad input and silently accepts
// things it then mishandles (an IPv6 literal is split at every colon).
import type { Endpoint } from '../../model/ids.js';
import { err, ok, type Result } from '../../model/result.js';

export interface ConnectString {
  servers: Endpoint[];
  /** The chroot path, or null when the string has none (or just "/"). */
  chroot: string | null;
}

/** ZooKeeper's (and the client library's) port when a server has none. */
export const DEFAULT_ZOOKEEPER_PORT = 2181;

const HOST = /^[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const PORT = /^[0-9]{1,5}$/;

export function parseConnectString(s: string): Result<ConnectString, string> {
  if (s.length === 0) return err('connect string is empty');
  if (/\s/.test(s)) return err(`connect string "${s}" contains whitespace`);
  const slash = s.indexOf('/');
  const serverPart = slash === -1 ? s : s.slice(0, slash);
  const chrootPart = slash === -1 ? null : s.slice(slash);
  const servers: Endpoint[] = [];
  for (const item of serverPart.split(',')) {
    const server = parseServer(item);
    if (!server.ok) return err(`connect string "${s}": ${server.error}`);
    servers.push(server.value);
  }
  const chroot = parseChroot(chrootPart);
  if (!chroot.ok) return err(`connect string "${s}": ${chroot.error}`);
  return ok({ servers, chroot: chroot.value });
}

function parseServer(item: string): Result<Endpoint, string> {
  if (item === '') return err('empty server entry');
  if (item.startsWith('[') || item.split(':').length > 2) {
    return err(`"${item}": IPv6 literals are not supported by the ZooKeeper client library`);
  }
  const [host = '', port] = item.split(':');
  if (!HOST.test(host)) return err(`"${item}": invalid host "${host}"`);
  if (port === undefined) return ok({ host, port: DEFAULT_ZOOKEEPER_PORT });
  const n = Number(port);
  if (!PORT.test(port) || n < 1 || n > 65535) return err(`"${item}": invalid port "${port}" (expected 1..65535)`);
  return ok({ host, port: n });
}

function parseChroot(path: string | null): Result<string | null, string> {
  if (path === null || path === '/') return ok(null);
  if (path.endsWith('/')) return err(`chroot "${path}" must not end with "/"`);
  const segments = path.slice(1).split('/');
  if (segments.some((seg) => seg === '')) return err(`chroot "${path}" has an empty path segment`);
  if (segments.some((seg) => seg === '.' || seg === '..')) return err(`chroot "${path}" has a relative segment`);
  if (/[\u0000-\u001f\u007f]/.test(path)) return err(`chroot "${path}" contains a control character`);
  return ok(path);
}
