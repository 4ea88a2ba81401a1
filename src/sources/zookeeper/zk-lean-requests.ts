// The requests a reader sends (getData, getChildren, exists), written by small
// classes instead of node-zookeeper-client's generic jute Record, which builds
// each request field by field through closures and measures it twice on the
// way out. At 5,000 hosts a collection sends ~10,000 of them (README
// "Performance"). Installed once, for every client of the process, like
// zk-lean-replies.ts: the same fields, the same bytes (a path with the
// connection's chroot before it, as the library writes it); every other
// request is the library's own.
import { replaceJuteClasses } from './jute-classes.js';

/** xid and type, two ints (given to the constructor by the library's ping, else set after). */
class RequestHeader {
  xid: number;
  type: number;

  constructor(xid?: unknown, type?: unknown) {
    this.xid = typeof xid === 'number' ? xid : 0;
    this.type = typeof type === 'number' ? type : 0;
  }

  byteLength(): number {
    return 8;
  }

  serialize(buffer: Buffer, offset: number): number {
    buffer.writeInt32BE(this.xid, offset);
    buffer.writeInt32BE(this.type, offset + 4);
    return 8;
  }
}

/** A path (with the chroot before it) and whether to set a watch: GetDataRequest, GetChildren2Request and ExistsRequest alike. */
class PathRequest {
  path: string | undefined = undefined;
  watch = false;
  private chrootPath: string | undefined = undefined;

  setChrootPath(path: string): void {
    this.chrootPath = path;
  }

  /** The library's prependChroot: "/" under a chroot is the chroot itself. */
  private fullPath(): string | undefined {
    if (!this.chrootPath) return this.path;
    return this.path === '/' ? this.chrootPath : `${this.chrootPath}${this.path}`;
  }

  byteLength(): number {
    const path = this.fullPath();
    return 4 + (typeof path === 'string' ? Buffer.byteLength(path) : 0) + 1;
  }

  serialize(buffer: Buffer, offset: number): number {
    const path = this.fullPath();
    let written = 4;
    if (typeof path === 'string') {
      const length = buffer.write(path, offset + 4, 'utf8');
      buffer.writeInt32BE(length, offset);
      written += length;
    } else buffer.writeInt32BE(-1, offset);
    buffer.writeUInt8(this.watch ? 1 : 0, offset + written);
    return written + 1;
  }
}

export const LEAN_REQUESTS = {
  RequestHeader,
  GetDataRequest: class GetDataRequest extends PathRequest {},
  GetChildren2Request: class GetChildren2Request extends PathRequest {},
  ExistsRequest: class ExistsRequest extends PathRequest {},
};

/** The library's own classes these replace, kept for comparison (test/unit/zookeeper/zk-lean-requests.test.ts). */
export const LIBRARY_REQUESTS = replaceJuteClasses(LEAN_REQUESTS);
