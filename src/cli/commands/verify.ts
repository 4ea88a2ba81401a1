// `treesnap verify [--quick]`: SQLite's check of the history file, then
// treesnap's own invariants (src/verify/verify-history.ts). Exit 0 when
// intact, 6 when not; every finding names its snapshot range and source.
import { existsSync } from 'node:fs';
import type { CommandModule } from 'yargs';
import { DatabaseError } from '../../errors.js';
import { formatRange, type Damage } from '../../verify/damage.js';
import { verifyHistory, type VerifyResult } from '../../verify/verify-history.js';
import { EXIT } from '../exit-codes.js';
import { progressLine } from '../render/progress.js';
import { openDbForRead, printJson, type GlobalArgs } from '../shared-options.js';

interface VerifyArgs extends GlobalArgs {
  quick: boolean;
}

function damageLine(d: Damage): string {
  const times = d.fromTime ? ` (${d.fromTime}${d.toTime && d.toTime !== d.fromTime ? ` to ${d.toTime}` : ''})` : '';
  return `damaged: ${d.kind}${d.source ? ` ${d.source}` : ''} ${formatRange(d.from, d.to)}${times}: ${d.detail}`;
}

export function renderVerifyText(path: string, r: VerifyResult): string {
  const lines = [`${path}: SQLite ${r.quick ? 'quick_check' : 'integrity_check'} ${r.sqlite.length ? 'FAILED' : 'ok'}`];
  if (!r.quick) {
    const range = r.firstSnapshot === null ? 'no snapshots' : `${r.snapshots} snapshot(s) #${r.firstSnapshot}-#${r.lastSnapshot}`;
    lines.push(`checked ${range}; recorded drift compared through #${r.driftCheckedThrough}`);
  }
  for (const d of r.damage) lines.push(damageLine(d));
  lines.push(r.intact ? 'intact' : `NOT intact: ${r.damage.length} finding(s); README "Backups and recovery" says what to do`);
  return lines.join('\n');
}

export const verifyCommand: CommandModule<GlobalArgs, VerifyArgs> = {
  command: 'verify',
  describe: "check the history file: SQLite's integrity check, then treesnap's invariants (exit 6 when damaged)",
  builder: (y) =>
    y.option('quick', { type: 'boolean', default: false, describe: "SQLite's quick_check alone" }) as never,
  handler: (argv) => {
    if (argv.db !== ':memory:' && !existsSync(argv.db)) throw new DatabaseError(`no history at ${argv.db}`);
    const db = openDbForRead(argv.db);
    const progress = process.stderr.isTTY ? progressLine(process.stderr, 'verifying') : undefined;
    try {
      const r = verifyHistory(db, { quick: argv.quick, progress: progress?.update });
      progress?.done();
      if (argv.json) printJson({ file: argv.db, ...r });
      else process.stdout.write(`${renderVerifyText(argv.db, r)}\n`);
      if (!r.intact) process.exitCode = EXIT.DATABASE;
    } finally {
      db.$client.close();
    }
  },
};
