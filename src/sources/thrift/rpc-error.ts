// Maps what sockets and the thrift runtime throw or reject with onto the
// SourceError kinds treesnap records.
import { sourceError, type SourceError } from '../../model/source-error.js';

const TIMEOUT_CODES = new Set(['ETIMEDOUT']);

/** A socket 'error' event (or a synchronous throw from net.connect). */
export function socketError(e: unknown, where: string): SourceError {
  const code = errorCode(e);
  const kind = code !== null && TIMEOUT_CODES.has(code) ? 'timeout' : 'unreachable';
  return sourceError(kind, `${where}: ${describe(e)}`);
}

// TApplicationExceptionType values: UNKNOWN (0) is what the generated
// processors send when a handler fails; INTERNAL_ERROR (6) is a server fault.
// Every other type means the two sides disagree about the protocol.
const SERVER_FAULT_TYPES = new Set([0, 6]);

/** A rejection of a generated client's call promise. */
export function callRejection(e: unknown, method: string): SourceError {
  if (isApplicationException(e)) {
    const kind = SERVER_FAULT_TYPES.has(e.type) ? 'system_error' : 'protocol';
    return sourceError(kind, `${method}: server raised ${e.message || `application exception type ${e.type}`}`);
  }
  // The generated recv_* rejects with a bare string when the reply has no result.
  return sourceError('protocol', `${method}: ${describe(e)}`);
}

export function describe(e: unknown): string {
  if (e instanceof Error) {
    // The runtime's InputBufferUnderrunError has no message: a read ran past the frame.
    if (e.name === 'InputBufferUnderrunError') return 'message ends before its frame does (truncated)';
    const message = e.message || e.name;
    const code = errorCode(e);
    return code !== null && !message.includes(code) ? `${code} ${message}` : message;
  }
  if (typeof e === 'object' && e !== null && 'message' in e && typeof e.message === 'string') return e.message;
  return String(e);
}

function errorCode(e: unknown): string | null {
  if (typeof e !== 'object' || e === null || !('code' in e)) return null;
  return typeof e.code === 'string' ? e.code : null;
}

// The runtime's TApplicationException keeps its type in `type` (and `code`).
function isApplicationException(e: unknown): e is { type: number; message: string } {
  return (
    typeof e === 'object' &&
    e !== null &&
    (e as { name?: unknown }).name === 'TApplicationException' &&
    typeof (e as { type?: unknown }).type === 'number'
  );
}
