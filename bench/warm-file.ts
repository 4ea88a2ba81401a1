// Reads a history file once, front to back, so that the OS holds it in its
// page cache before queries on it are timed. This machine's VM gives the page
// cache back within minutes even with 22 GiB free (the 525,600-snapshot
// history, 341 MiB, read whole: a minute later, idle, 301 MiB of it was still
// cached); a day's `diff` on it measured p50 / p99 8.8 / 43.8 ms on a partly
// evicted file and 4.6 / 8.9 ms after it was read again. A collector's machine
// keeps a file it queries; the timings should measure the queries, not the VM.
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const CHUNK = 4 * 2 ** 20;

/** Reads the whole file (its bytes are not kept) and returns the milliseconds it took. */
export function readWholeFile(path: string): number {
  const started = performance.now();
  const buffer = Buffer.allocUnsafe(CHUNK);
  const fd = openSync(path, 'r');
  try {
    while (readSync(fd, buffer, 0, CHUNK, null) > 0);
  } finally {
    closeSync(fd);
  }
  return performance.now() - started;
}
