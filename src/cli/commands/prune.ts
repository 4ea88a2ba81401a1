// `treesnap prune --older-than 90d [--dry-run]`: drops history past a horizon
// (see src/store/prune.ts for what is kept and why the rest stays true).
import { existsSync } from 'node:fs';
import { DatabaseError } from '../../errors.js';
import { formatDuration, formatTime } from '../../util/time.js';
import { isPostgresUrl, openHistoryStore, sqliteHistoryStore, type PruneResult } from '../../store/index.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { clusterOfCall, durationArg, openDbForWrite, printJson } from '../shared-options.js';

/** MB with one decimal; KB below 0.1 MB, so a few freed pages do not read "0.0 MB". */
function mb(bytes: number): string {
  return bytes < 104_858 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1_048_576).toFixed(1)} MB`;
}

/** What `prune --json` prints (docs/json.md). */
export function pruneJson(r: PruneResult, before: number, olderThanMs: number) {
  return { before: formatTime(before), olderThan: formatDuration(olderThanMs), ...r };
}

export function renderPruneText(r: PruneResult, before: number): string {
  const verb = r.dryRun ? 'would drop' : 'dropped';
  if (r.snapshotsDeleted === 0 && r.versionsDeleted === 0 && r.versionsCarried === 0) {
    return `nothing older than ${formatTime(before)} to prune${r.oldestKept === null ? ' (no history)' : ''}`;
  }
  const lines = [
    `${verb} ${r.snapshotsDeleted} snapshot(s) older than ${formatTime(before)}; history now starts at #${r.oldestKept}`,
    `${verb} ${r.versionsDeleted} superseded fact version(s) and ${r.keysDeleted} fact key(s); ` +
      `${r.versionsCarried} version(s) in force at #${r.oldestKept} ${r.dryRun ? 'would be' : 'were'} carried to it`,
  ];
  if (!r.dryRun) lines.push(r.bytesFreed > 0 ? `the file shrank by ${mb(r.bytesFreed)}` : 'freed pages are reused by later collections');
  return lines.join('\n');
}

export const pruneCommand = defineCommand({
  command: 'prune',
  describe: 'drop history older than a horizon; what remains reads exactly as before',
  builder: (y) =>
    y
      .option('older-than', { type: 'string', demandOption: true, describe: 'horizon as a duration before now, e.g. 90d' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'count what would be dropped, change nothing' }),
  run: async (argv) => {
    const olderThan = durationArg(argv['older-than'], 'older-than');
    const postgres = isPostgresUrl(argv.db);
    if (!postgres && argv.db !== ':memory:' && !existsSync(argv.db)) throw new DatabaseError(`no history at ${argv.db}`);
    const before = Date.now() - olderThan;
    const store = postgres ? await openHistoryStore(argv.db, { cluster: clusterOfCall() }) : sqliteHistoryStore(openDbForWrite(argv.db));
    try {
      const r = await store.prune({ before, dryRun: argv['dry-run'] });
      if (argv.json) printJson(pruneJson(r, before, olderThan));
      else process.stdout.write(`${renderPruneText(r, before)}\n`);
      return EXIT.OK;
    } finally {
      await store.close();
    }
  },
});
