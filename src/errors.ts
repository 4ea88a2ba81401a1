// Typed errors that end a command. Each maps to one exit code in
// src/cli/exit-codes.ts; messages are one line, meant for the operator.
export abstract class TreesnapError extends Error {
  abstract readonly kind: 'usage' | 'database' | 'not_found' | 'conflict';
}

/** Bad CLI argument, config value or reference syntax. */
export class UsageError extends TreesnapError {
  readonly kind = 'usage';
}

/** The database cannot be opened, read or written: nothing was changed. */
export class DatabaseError extends TreesnapError {
  readonly kind = 'database';
}

/** A well-formed reference that matches nothing (no such snapshot). */
export class NotFoundError extends TreesnapError {
  readonly kind = 'not_found';
}

/** `import` into a cluster that already has a history: nothing is merged or renumbered, nothing was copied. */
export class ConflictError extends TreesnapError {
  readonly kind = 'conflict';
}
