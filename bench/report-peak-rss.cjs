// Preloaded into one CLI call of each command (NODE_OPTIONS=--require): at
// exit, the process's peak RSS (getrusage's ru_maxrss, KiB) as the last line
// on stderr, where the bench reads it (queries.ts measurePeakRss). A call of its
// own, apart from the timed ones: the preload is one more file to load.
'use strict';
const { writeSync } = require('node:fs');

process.on('exit', () => {
  writeSync(2, `\ntreesnap-bench peak-rss-kib ${process.resourceUsage().maxRSS}\n`);
});
