// RSS and CPU time of another process, from /proc (Linux).
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100;

export interface ProcSample {
  /** ms since the epoch */
  at: number;
  rssMiB: number;
  /** Peak RSS so far (VmHWM). */
  peakRssMiB: number;
  /** user + system CPU seconds so far. */
  cpuSeconds: number;
  /** Of which in the kernel (system time): on loopback it also holds the peers' side of each TCP handshake. */
  systemSeconds: number;
}

function statusKiB(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : NaN;
}

/** User and system CPU seconds from a /proc/PID/stat line (proc(5): utime and stime, fields 14 and 15). */
export function cpuTimes(stat: string): { user: number; system: number } {
  // Fields after the command name, which is in parentheses and may hold spaces and parentheses.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { user: Number(fields[11]) / TICKS_PER_SECOND, system: Number(fields[12]) / TICKS_PER_SECOND };
}

/** null when the process is gone. */
export function sampleProcess(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const { user, system } = cpuTimes(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return {
      at: Date.now(),
      rssMiB: statusKiB(status, 'VmRSS') / 1024,
      peakRssMiB: statusKiB(status, 'VmHWM') / 1024,
      cpuSeconds: user + system,
      systemSeconds: system,
    };
  } catch {
    return null;
  }
}
