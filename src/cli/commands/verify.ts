// `treesnap verify [--quick]`: SQLite's check of the history file, then
// treesnap's own invariants (src/verify/verify-history.ts). Exit 0 when
// intact, 6 when not; every finding names its snapshot range and source.
import { existsSync } from 'node:fs';
import { DatabaseError, UsageError } from '../../errors.js';
import { formatRange, type Damage } from '../../verify/damage.js';
import { salvageHistory, type SalvageResult } from '../../verify/salvage-history.js';
import { verifyHistory, type VerifyResult } from '../../verify/verify-history.js';
import { closeDatabase, DEFAULT_CLUSTER, isCorruption, listClusters, type Db } from '../../store/index.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { progressLine } from '../render/progress.js';
import { clusterOfCall, openDbForRead, printJson, sqliteHistoryPath } from '../shared-options.js';

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

/**
 * Salvage writes one cluster, `default`, into the new file: a history of
 * several clusters would lose the others, so it is refused. When the list of
 * clusters is itself on a damaged page, the salvage goes ahead (the file's
 * one cluster is the common case, and the salvage is the way out).
 */
function refuseSeveralClusters(db: Db): void {
  let names: string[] = [];
  try {
    names = listClusters(db).map((c) => c.name);
  } catch (e) {
    if (!isCorruption(e)) throw e;
  }
  if (clusterOfCall() !== DEFAULT_CLUSTER || names.some((n) => n !== DEFAULT_CLUSTER)) {
    throw new UsageError('--salvage rebuilds the `default` cluster alone, and this history holds others (`treesnap clusters`); copy each out with `treesnap import` first');
  }
}

/** Salvages, then checks the new file the way `verify` would: it must pass. */
function salvageInto(db: Db, path: string): SalvageResult {
  refuseSeveralClusters(db);
  const s = salvageHistory(db, path);
  const copy = openDbForRead(path);
  try {
    const v = verifyHistory(copy);
    if (!v.intact) throw new DatabaseError(`the salvaged file ${path} does not verify (${v.damage[0]!.kind} ${formatRange(v.damage[0]!.from, v.damage[0]!.to)}: ${v.damage[0]!.detail})`);
  } finally {
    closeDatabase(copy);
  }
  return s;
}

export function renderSalvageText(s: SalvageResult): string {
  const lines = [`salvaged ${s.kept} snapshot(s) into ${s.path} (it verifies)`];
  for (const d of s.lost) lines.push(`lost: ${formatRange(d.from, d.to)}${d.fromTime ? ` (${d.fromTime}${d.toTime !== d.fromTime ? ` to ${d.toTime}` : ''})` : ''}: ${d.detail}`);
  if (!s.lost.length) lines.push('nothing lost');
  return lines.join('\n');
}

export const verifyCommand = defineCommand({
  command: 'verify',
  describe: "check the history file: SQLite's integrity check, then treesnap's invariants (exit 6 when damaged)",
  builder: (y) =>
    y
      .option('quick', { type: 'boolean', default: false, describe: "SQLite's quick_check alone" })
      .option('salvage', { type: 'string', describe: 'write every snapshot whose state still reconstructs into this new file' }),
  run: (argv) => {
    if (argv.quick && argv.salvage !== undefined) throw new UsageError('--salvage reads the whole history: it cannot be --quick');
    sqliteHistoryPath(argv.db);
    if (argv.db !== ':memory:' && !existsSync(argv.db)) throw new DatabaseError(`no history at ${argv.db}`);
    const db = openDbForRead(argv.db);
    const progress = process.stderr.isTTY ? progressLine(process.stderr, 'verifying') : undefined;
    try {
      const r = verifyHistory(db, { quick: argv.quick, progress: progress?.update });
      progress?.done();
      const salvage = argv.salvage === undefined ? undefined : salvageInto(db, argv.salvage);
      if (argv.json) printJson({ file: argv.db, ...r, ...(salvage ? { salvage } : {}) });
      else process.stdout.write(`${renderVerifyText(argv.db, r)}\n${salvage ? `${renderSalvageText(salvage)}\n` : ''}`);
      return r.intact ? EXIT.OK : EXIT.DATABASE;
    } finally {
      closeDatabase(db);
    }
  },
});
