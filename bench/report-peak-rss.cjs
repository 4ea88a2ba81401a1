// Preloaded into one CLI call of each command (NODE_OPTIONS=--require): at
// exit, the process's peak RSS as the last line on stderr, where the bench
// reads it (queries.ts measurePeakRss). A call of its own, apart from the
// timed ones: the preload is one more file to load.
//
// VmHWM (/proc/self/status), the high-water mark of this process's memory
// since its exec, not getrusage's ru_maxrss: Linux keeps that across exec, so
// a child forked from the bench started at the bench's own size (every call
// read ~100 MiB after the bench had opened a large history).
'use strict';
const { readFileSync, writeSync } = require('node:fs');

process.on('exit', () => {
  const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
  if (hwm) writeSync(2, `\ntreesnap-bench peak-rss-kib ${hwm[1]}\n`);
});
