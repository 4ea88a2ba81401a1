// One interval as the daemon's watcher records it, for docs/json.md's
// timeline example: a chairman that left and registered again, a gap, and
// events dropped past the daemon's bound.
import type { WatchedInterval } from '../../../src/model/watch-event.js';
import type { ZkStat } from '../../../src/model/zk-stat.js';

function stat(o: Partial<ZkStat>): ZkStat {
  return { ctime: 0, mtime: 0, czxid: '0', mzxid: '0', pzxid: '0', version: 0, cversion: 0, ephemeralOwner: '0', ...o };
}

/** `t`: the start of the snapshot before the interval. */
export function watchDocInterval(t: number): WatchedInterval {
  return {
    events: [
      { path: '/services/chairman', kind: 'children', added: [], removed: ['m-7'], stat: stat({ pzxid: '3000000a1', cversion: 8 }), arrivedAt: t + 17_412 },
      {
        path: '/services/chairman/m-8',
        kind: 'data',
        value: 'CwABAAAAA2MxCAACAAAnEAA=',
        stat: stat({ ctime: t + 37_020, mtime: t + 37_020, czxid: '3000000a2', mzxid: '3000000a2', ephemeralOwner: '1000a' }),
        arrivedAt: t + 37_031,
      },
    ],
    gaps: [{ from: t + 120_000, to: t + 150_500, reason: 'disconnected' }],
    dropped: 0,
  };
}
