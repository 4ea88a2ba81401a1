// The threads that stand for the network (latency proxies, their clock) should
// not queue for a CPU behind other work: on this shared 2-core machine a woken
// thread at normal priority waited up to several milliseconds (echo p90 5.5 ms
// through a proxy set to 0.5 ms), which no network does. Where permitted, the
// bench's own process runs at real-time priority (SCHED_FIFO, through
// util-linux's chrt) while proxies run in it, with reset-on-fork so that the
// collectors it starts run at normal priority; else at nice -10; else as is.
// Its threads are idle but for the moments they forward bytes.
import { spawnSync } from 'node:child_process';
import { getPriority, setPriority } from 'node:os';

export type NetworkPriority = 'realtime' | 'nice' | 'normal';

const NICE = -10;

function chrt(args: string[]): boolean {
  const r = spawnSync('chrt', [...args, String(process.pid)], { stdio: 'ignore' });
  return r.status === 0;
}

/** Raises every thread of this process; answers how far it got and a function that undoes it. */
export function raiseNetworkPriority(): { got: NetworkPriority; restore: () => void } {
  if (chrt(['-a', '-R', '-f', '-p', '10'])) return { got: 'realtime', restore: () => void chrt(['-a', '-o', '-p', '0']) };
  const before = getPriority();
  try {
    setPriority(NICE);
    return { got: 'nice', restore: () => setPriority(before) };
  } catch {
    return { got: 'normal', restore: () => undefined };
  }
}
