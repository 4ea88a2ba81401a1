// The machine a bench run measured, reported with every result: numbers
// from a 2-core box shared with other work are not numbers from a quiet one.
import { cpus, loadavg, totalmem, release } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
  /** 1-minute load average when the run started and ended: above the core count, the numbers carry contention. */
  loadAtStart: number;
  loadAtEnd?: number;
}

export function machineInfo(): MachineInfo {
  const c = cpus();
  return {
    cpus: c.length,
    cpuModel: c[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${process.platform} ${release()}`,
    loadAtStart: loadavg()[0]!,
  };
}

export function loadNow(): number {
  return loadavg()[0]!;
}
