// Every exit status treesnap uses, in one place (README "Exit codes").
import { TreesnapError } from '../errors.js';
import { isCorruption } from '../store/index.js';

export const EXIT = {
  OK: 0,
  /** A bug: an error treesnap did not expect. */
  INTERNAL: 1,
  /** Bad command line, config value, or reference syntax. */
  USAGE: 2,
  /** `drift`: disagreements between sources were found. */
  DRIFT: 3,
  /** `collect`: recorded, but one or more sources failed (unknown in this snapshot). */
  PARTIAL: 4,
  /** `collect`: no source could be read at all (the snapshot records that). */
  UNAVAILABLE: 5,
  /** The database cannot be opened, read or written; nothing was changed. */
  DATABASE: 6,
  /** A reference that matches nothing (no such snapshot, no such host). */
  NOT_FOUND: 7,
  /** `import`: the target cluster already has snapshots; nothing was copied. */
  CONFLICT: 8,
} as const;

export function exitCodeFor(e: unknown): number {
  // SQLite met a damaged page while a command read: the file's problem, not a bug.
  if (isCorruption(e)) return EXIT.DATABASE;
  if (!(e instanceof TreesnapError)) return EXIT.INTERNAL;
  switch (e.kind) {
    case 'usage':
      return EXIT.USAGE;
    case 'database':
      return EXIT.DATABASE;
    case 'not_found':
      return EXIT.NOT_FOUND;
    case 'conflict':
      return EXIT.CONFLICT;
  }
}
