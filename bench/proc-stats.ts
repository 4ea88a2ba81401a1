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
}

function statusKiB(status: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) : NaN;
}

/** null when the process is gone. */
export function sampleProcess(pid: number): ProcSample | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return {
      at: Date.now(),
      rssMiB: statusKiB(status, 'VmRSS') / 1024,
      peakRssMiB: statusKiB(status, 'VmHWM') / 1024,
      cpuSeconds: ticks / TICKS_PER_SECOND,
    };
  } catch {
    return null;
  }
}
