// Real file-system faults for database tests: a small tmpfs that fills up and
// can be remounted read-only. Tests run as root here, where a 0444 file mode
// stops nothing, so read-only and disk-full need a real mount; without the
// right to mount, read-only falls back to chmod (when not root) and a full disk
// cannot be made at all: fill() throws, so that test fails rather than passing
// as some other fault.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ScratchDir {
  dir: string;
  /** How faults are made here: 'tmpfs' (mount) or a fallback. */
  mechanism: 'tmpfs' | 'chmod' | 'rlimit';
  /** Makes the directory (and everything in it) read-only. */
  readOnly(): void;
  readWrite(): void;
  /** Fills the file system up to `leaveBytes` free; throws when this is not a tmpfs (a full disk cannot be made). */
  fill(leaveBytes: number): void;
  /** Removes what fill() wrote. */
  unfill(): void;
  /**
   * The command prefix that runs a process with no room to grow files beyond
   * the tmpfs (tmpfs: none; rlimit: a file-size limit of `bytes` with SIGXFSZ ignored, so writes fail with EFBIG).
   */
  spaceLimited(command: string[], bytes: number): string[];
  dispose(): void;
}

function run(cmd: string, args: string[]): { ok: boolean; stderr: string } {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return { ok: r.status === 0, stderr: r.stderr };
}

function mountTmpfs(dir: string, sizeBytes: number): boolean {
  return run('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes},mode=0700`, 'tmpfs', dir]).ok;
}

/**
 * A fresh directory for one test: a tmpfs of `sizeBytes` when this process may
 * mount (root with CAP_SYS_ADMIN) and `mount` is not false, else a plain temp
 * directory with the fallbacks: chmod for read-only (effective only when not
 * root) and a file-size rlimit for "no space".
 */
export function scratchDir(sizeBytes: number, opts: { mount?: boolean } = {}): ScratchDir {
  const dir = mkdtempSync(join(tmpdir(), 'treesnap-fsfault-'));
  const mounted = (opts.mount ?? true) && mountTmpfs(dir, sizeBytes);
  const filler = join(dir, 'filler');
  if (mounted) {
    return {
      dir,
      mechanism: 'tmpfs',
      readOnly: () => mustRun('mount', ['-o', 'remount,ro', dir]),
      readWrite: () => mustRun('mount', ['-o', 'remount,rw', dir]),
      fill(leaveBytes) {
        const { bavail, bsize } = statfsSync(dir);
        const free = bavail * bsize;
        if (free > leaveBytes) writeFileSync(filler, Buffer.alloc(free - leaveBytes));
      },
      unfill: () => rmSync(filler, { force: true }),
      spaceLimited: (command) => command,
      dispose() {
        run('umount', ['-l', dir]);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const root = process.getuid?.() === 0;
  return {
    dir,
    mechanism: root ? 'rlimit' : 'chmod',
    readOnly() {
      if (root) throw new Error(`cannot make ${dir} read-only: no right to mount here, and as root file modes do not stop writes`);
      chmodSync(dir, 0o500);
    },
    readWrite: () => chmodSync(dir, 0o700),
    fill() {
      // A full disk cannot be faked here; a file-size limit is a different fault, with its own test.
      throw new Error(`cannot fill ${dir} up: it is not a tmpfs (${root ? 'mount failed' : 'not root: no right to mount'}), so a full disk cannot be made here`);
    },
    unfill() {},
    // bash's ulimit -f counts 1024-byte blocks; an ignored SIGXFSZ turns an over-limit write into EFBIG.
    spaceLimited: (command, bytes) => ['bash', '-c', `trap '' XFSZ; ulimit -f ${Math.ceil(bytes / 1024)}; exec "$@"`, 'limited', ...command],
    dispose() {
      chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function mustRun(cmd: string, args: string[]): void {
  const r = run(cmd, args);
  if (!r.ok) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
}
