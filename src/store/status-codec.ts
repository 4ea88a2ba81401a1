// A probe's status value packed by its shape (pure). A status is the commonest
// version in a history (a flapping host writes one per flip: 170,000 of the
// 400,000 versions of the bench's 100,000-snapshot history) and `show` reads
// up to thousands of them after a checkpoint, so it must pack small and read
// back fast, which deflate does not (~6 µs per value to inflate). Its canonical
// JSON has one shape, {"address":{"host":H,"port":P},"message":M,"status":S},
// so the packed form keeps only H, P, M and S:
//
//   [id] [status: index in STATUSES] [address: 0 null | 1 IPv4, 4 bytes | 2 name, length byte, UTF-8]
//   [port: 2 bytes, big-endian, when an address] [message: 0 null | 1, then UTF-8 to the end]
//
// In the message, each "H:P" of the node's own address is one NUL byte (a
// refused connect names it twice). A text is packed only when unpacking gives
// it back exactly; any other text (another shape, a NUL in the message, a
// status not listed) stays text. The list and the layout never change once
// written: a new status or layout takes a new id (value-codec.ts).
import type { NodeStatus } from '../model/status.js';

export const STATUS_SHAPE_ID = 4;

const STATUSES: readonly NodeStatus[] = ['ONLINE', 'OFFLINE', 'ERROR', 'UNKNOWN'];

interface StatusValue {
  address: { host: string; port: number } | null;
  message: string | null;
  status: string;
}

/** The packed bytes of a status text, or null when it does not have the shape. */
export function packStatus(text: string): Buffer | null {
  let v: StatusValue;
  try {
    v = JSON.parse(text) as StatusValue;
  } catch {
    return null;
  }
  const bytes = encode(v);
  return bytes && unpackStatus(bytes) === text ? bytes : null;
}

function encode(v: StatusValue): Buffer | null {
  const status = STATUSES.indexOf(v?.status as NodeStatus);
  if (status < 0 || v.message === undefined || v.address === undefined) return null;
  const parts: Buffer[] = [Buffer.of(STATUS_SHAPE_ID, status)];
  let own = '';
  if (v.address === null) parts.push(Buffer.of(0));
  else {
    const { host, port } = v.address;
    if (typeof host !== 'string' || !Number.isInteger(port) || port < 0 || port > 0xffff) return null;
    const quad = ipv4(host);
    const name = Buffer.from(host, 'utf8');
    if (quad) parts.push(Buffer.of(1, ...quad));
    else if (name.length <= 0xff) parts.push(Buffer.of(2, name.length), name);
    else return null;
    parts.push(Buffer.of(port >> 8, port & 0xff));
    own = `${host}:${port}`;
  }
  if (v.message === null) parts.push(Buffer.of(0));
  else {
    if (typeof v.message !== 'string' || v.message.includes('\0')) return null;
    parts.push(Buffer.of(1), Buffer.from(own ? v.message.split(own).join('\0') : v.message, 'utf8'));
  }
  return Buffer.concat(parts);
}

/** Four bytes for a dotted quad written as a number would print it, else null. */
function ipv4(host: string): number[] | null {
  const parts = host.split('.');
  if (parts.length !== 4) return null;
  const bytes = parts.map(Number);
  return bytes.every((b, i) => Number.isInteger(b) && b >= 0 && b <= 255 && String(b) === parts[i]) ? bytes : null;
}

/** The status text of packed bytes (the first is STATUS_SHAPE_ID); throws RangeError on bytes that cannot be one. */
export function unpackStatus(b: Uint8Array): string {
  const status = STATUSES[b[1] ?? -1];
  if (status === undefined) throw new RangeError(`no status ${b[1]}`);
  let i = 3;
  let own = '';
  const tag = b[2];
  if (tag === 1) {
    own = `${b[3]}.${b[4]}.${b[5]}.${b[6]}`;
    i = 7;
  } else if (tag === 2) {
    i = 4 + (b[3] ?? 0);
    own = Buffer.from(b.buffer, b.byteOffset + 4, Math.max(0, Math.min(i, b.length) - 4)).toString('utf8');
  } else if (tag !== 0) throw new RangeError(`no address form ${tag}`);
  let address = 'null';
  if (tag !== 0) {
    if (i + 2 > b.length) throw new RangeError('cut short');
    const port = (b[i]! << 8) | b[i + 1]!;
    address = `{"host":${JSON.stringify(own)},"port":${port}}`;
    own = `${own}:${port}`;
    i += 2;
  }
  const hasMessage = b[i];
  if (hasMessage !== 0 && hasMessage !== 1) throw new RangeError('cut short');
  if (hasMessage === 0 && i + 1 !== b.length) throw new RangeError('trailing bytes');
  const message = hasMessage === 1 ? (plainMessage(b, i + 1, own) ?? anyMessage(b, i + 1, own)) : 'null';
  return `{"address":${address},"message":${message},"status":"${status}"}`;
}

/**
 * The message as a JSON string when it is printable ASCII with nothing to
 * escape (what probes write), else null. A loop over the bytes: decoding
 * through a Buffer took 0.9 µs of a refused connect's ~1 µs.
 */
function plainMessage(b: Uint8Array, from: number, own: string): string | null {
  let s = '"';
  for (let i = from; i < b.length; i++) {
    const c = b[i]!;
    if (c === 0) s += own;
    else if (c < 0x20 || c === 0x22 || c === 0x5c || c > 0x7e) return null;
    else s += String.fromCharCode(c);
  }
  return s + '"';
}

function anyMessage(b: Uint8Array, from: number, own: string): string {
  return JSON.stringify(Buffer.from(b.buffer, b.byteOffset + from, b.length - from).toString('utf8').split('\0').join(own));
}
