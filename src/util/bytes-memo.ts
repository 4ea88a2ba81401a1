// The last decoding of each key's bytes, reused while the bytes are the same.
// The daemon's collection reads every host's ZooKeeper value each
// tick, and at 5,000 hosts decoding them (Thrift) made ~30 MiB of garbage and
// a fifth of its CPU per tick on a cluster where nothing changed. A value
// whose bytes are the same as at the last read decodes to the object decoded
// then, which is also what lets the daemon share it with the observation
// before (daemon/share-unchanged.ts) at once. Decoders must be pure and their results never
// mutated (they are shared between reads).
//
// Kept per round (one collection's read): a key not read in a round is
// forgotten at the next, so the memo holds what the last read saw, no more.
// The bytes are compared exactly, from a copy (a reply's bytes are a view of
// the socket's chunk, which would otherwise stay alive).
export class BytesMemo<T> {
  private last = new Map<string, { bytes: Buffer; value: T }>();
  private current = new Map<string, { bytes: Buffer; value: T }>();

  constructor(private readonly decodeBytes: (bytes: Buffer) => T) {}

  /** Starts a round: what the round before did not read is forgotten. */
  round(): void {
    this.last = this.current;
    this.current = new Map();
  }

  decode(key: string, bytes: Buffer): T {
    const seen = this.current.get(key) ?? this.last.get(key);
    if (seen && seen.bytes.equals(bytes)) {
      this.current.set(key, seen);
      return seen.value;
    }
    const entry = { bytes: Buffer.from(bytes), value: this.decodeBytes(bytes) };
    this.current.set(key, entry);
    return entry.value;
  }
}
