// One copy of each short string the collector keeps. A collection decodes the
// same few strings thousands of times: each host's id in /hosts, /roles, the
// chairman's tree and its agent's answer; every HostConfig's deployment id,
// network names and datastore types. Decoded, each occurrence is a string of
// its own, and the daemon keeps an observation and the drift record's facts
// between ticks: at 5,000 hosts it held ~9 copies of every host id and 5,000
// of each repeated name (a heap snapshot: 87,359 host-id strings for 10,164
// ids; docs/performance-log.md, "Daemon"). Handed through this pool (by the
// sources' decoders, and as the drift record's facts are applied:
// query/cluster-facts.ts), equal strings are one string.
//
// Bounded: only short strings (ids, names, addresses; not messages), and the
// pool starts afresh when full, so a source that sends ever new strings costs
// at most the pool's size. A pooled string is equal to the one given, so no
// answer depends on the pool.

/** Longer strings are rarely repeated (error messages, paths with ids): not pooled. */
const MAX_LENGTH = 64;
/** 3-6x the distinct short strings a 5,000-host cluster sends (~10,000 ids, a few thousand names and addresses). */
const MAX_ENTRIES = 65_536;

export class StringPool {
  private readonly strings = new Map<string, string>();

  constructor(
    private readonly maxEntries = MAX_ENTRIES,
    private readonly maxLength = MAX_LENGTH,
  ) {}

  get size(): number {
    return this.strings.size;
  }

  /** `s`, or the equal string pooled before it. */
  pooled(s: string): string {
    if (s.length > this.maxLength) return s;
    const known = this.strings.get(s);
    if (known !== undefined) return known;
    if (this.strings.size >= this.maxEntries) this.strings.clear();
    this.strings.set(s, s);
    return s;
  }
}

/** The pool every decoder shares, for as long as the process runs. */
const shared = new StringPool();

/** `s`, or the equal string the sources decoded before it (StringPool.pooled). */
export const pooled = (s: string): string => shared.pooled(s);
