// Splits a TFramedTransport byte stream (4-byte big-endian length, then the
// payload) into whole frames. The length is checked against a limit before
// anything is buffered for it: a peer that claims a 4 GB frame is refused at
// the header, never allocated for.
import { err, ok, type Result } from '../../model/result.js';

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

const HEADER_BYTES = 4;

export class FrameReader {
  private chunks: Buffer[] = [];
  private buffered = 0;

  constructor(private readonly maxFrameBytes: number = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes received that do not yet form a whole frame. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Feeds received bytes; returns the frames they complete, or why the stream is invalid. */
  push(chunk: Buffer): Result<Buffer[], string> {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    while (this.buffered >= HEADER_BYTES) {
      const size = this.peekFrameSize();
      if (size > this.maxFrameBytes) {
        return err(`frame of ${size} bytes exceeds the ${this.maxFrameBytes}-byte limit`);
      }
      if (this.buffered < HEADER_BYTES + size) break;
      frames.push(this.take(HEADER_BYTES + size).subarray(HEADER_BYTES));
    }
    return ok(frames);
  }

  // Unsigned: a length with the top bit set is a huge frame, not a negative one.
  private peekFrameSize(): number {
    const head = this.chunks[0] as Buffer;
    if (head.length >= HEADER_BYTES) return head.readUInt32BE(0);
    return this.take(HEADER_BYTES, false).readUInt32BE(0);
  }

  // Joins the first `n` buffered bytes; removes them unless `consume` is false.
  private take(n: number, consume = true): Buffer {
    const joined = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    if (!consume) return joined.subarray(0, n);
    const rest = joined.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
    return joined.subarray(0, n);
  }
}
