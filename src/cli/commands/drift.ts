// `treesnap drift [SNAPSHOT | --at TIME]` and `treesnap drift --since T [--until T] [--limit N]`,
// with settling (--settle), ignore rules (--ignore) and --fail-on; `drift --accept`
// writes the current drift out as ignore rules.
// Exit status: 0 no drift, 3 (EXIT.DRIFT) drift found (settled, not ignored; of
// a --fail-on kind when given), others per exit-codes.ts.
import type { ArgumentsCamelCase } from 'yargs';
import { UsageError } from '../../errors.js';
import { fails, utcDate } from '../../query/drift-verdicts.js';
import { loadDriftHistory } from '../../query/load-drift-history.js';
import { judgeDriftHistory, loadSettledDrift, type DriftPolicy } from '../../query/load-settled-drift.js';
import { newestDriftEpisodes } from '../../query/newest-page.js';
import { type HistoryReader } from '../../store/index.js';
import { EXIT } from '../exit-codes.js';
import { renderAcceptText, renderDriftHistoryText, renderDriftText } from '../../present/drift-text.js';
import { defineQueryCommand, type Answer } from '../query-command.js';
import { limitArg, snapshotRefArg, TEXT_PAGE, windowArgs, type GlobalArgs } from '../shared-options.js';
import { existingRules, failOnArg, ignoreRulesArg, settleConfigArg, writeAcceptedRules } from '../drift-policy.js';

interface DriftArgs {
  snapshot?: string;
  at?: string;
  since?: string;
  until?: string;
  limit?: number;
  settle?: unknown;
  ignore?: string;
  failOn?: string;
  accept: boolean;
  reason?: string;
  owner?: string;
  force: boolean;
}

function checkArgs(argv: ArgumentsCamelCase<DriftArgs>): void {
  if (argv.snapshot && argv.at) throw new UsageError('give a snapshot or --at, not both');
  if (argv.until !== undefined && argv.since === undefined && !argv.accept) throw new UsageError('--until needs --since');
  if (argv.since !== undefined && (argv.snapshot || argv.at)) throw new UsageError('--since is a window: give no snapshot or --at with it');
  if (argv.limit !== undefined && argv.since === undefined) throw new UsageError('--limit pages the episodes of a window: give --since with it');
  if (argv.accept) {
    if (argv.since !== undefined) throw new UsageError('--accept takes the drift of one snapshot: give no --since');
    if (argv.ignore === undefined || argv.reason === undefined || argv.until === undefined) {
      throw new UsageError('--accept needs --ignore FILE (where to write), --reason TEXT and --until YYYY-MM-DD');
    }
  } else if (argv.reason !== undefined || argv.owner !== undefined || argv.force) {
    throw new UsageError('--reason, --owner and --force go with --accept');
  }
}

/** The snapshot asked for; with --accept, --until is the rules' expiry date, not a window end. */
function askedSnapshot(db: HistoryReader, argv: ArgumentsCamelCase<DriftArgs>, now: number) {
  return db.resolveSnapshot(snapshotRefArg(argv.at ?? argv.snapshot ?? 'latest', now));
}

/** --accept: today's settled, not yet ignored drift, added as rules to the --ignore file. */
function answerAccept(db: HistoryReader, argv: ArgumentsCamelCase<DriftArgs>, now: number): Answer {
  const file = argv.ignore!;
  const kept = existingRules(file, argv.force);
  const report = loadSettledDrift(db, askedSnapshot(db, argv, now), { settle: settleConfigArg(argv.settle), rules: kept, today: utcDate(now) });
  const owner = argv.owner ?? process.env.USER ?? 'unknown';
  const written = writeAcceptedRules(report.drift, kept, { file, reason: argv.reason!, owner, until: argv.until! });
  const result = { file, snapshot: report.snapshot, ...written };
  return { json: () => result, text: () => renderAcceptText(result) };
}

function answerDrift(db: HistoryReader, argv: ArgumentsCamelCase<DriftArgs>, now: number): Answer {
  if (argv.accept) return answerAccept(db, argv, now);
  const policy: DriftPolicy = { settle: settleConfigArg(argv.settle), rules: ignoreRulesArg(argv.ignore), today: utcDate(now) };
  const failOn = failOnArg(argv.failOn);
  if (argv.since !== undefined) {
    const limit = limitArg(argv.limit);
    const { report, counting } = judgeDriftHistory(loadDriftHistory(db, windowArgs(argv.since, argv.until, now)), policy);
    // The page cuts what is printed: the exit status and the header's counts are the whole window's.
    return {
      json: () => newestDriftEpisodes(report, limit),
      text: () => renderDriftHistoryText(newestDriftEpisodes(report, limit ?? TEXT_PAGE)),
      exit: fails(counting, failOn) ? EXIT.DRIFT : EXIT.OK,
    };
  }
  const report = loadSettledDrift(db, askedSnapshot(db, argv, now), policy);
  return { json: () => report, text: () => renderDriftText(report), exit: fails(report.drift, failOn) ? EXIT.DRIFT : EXIT.OK };
}

export const driftCommand = defineQueryCommand<GlobalArgs & DriftArgs>({
  command: 'drift [snapshot]',
  describe: 'disagreements between sources in one snapshot (exit 3 when found), or as episodes over a window (--since)',
  builder: (y) =>
    y
      .positional('snapshot', { type: 'string', describe: 'id, latest, latest~N, ISO time or "2h ago" (default latest)' })
      .option('at', { type: 'string', describe: 'the snapshot in force at this time' })
      .option('since', { type: 'string', describe: 'drift history: episodes from this time' })
      .option('until', { type: 'string', describe: 'drift history: up to this time (default now); with --accept: the rules\' expiry, YYYY-MM-DD' })
      .option('limit', { type: 'number', describe: `drift history: only the newest N episodes, with a count of the older ones (0: all; default: all in --json, ${TEXT_PAGE} in text)` })
      .option('settle', {
        describe: 'younger drift is settling, not drift; episodes shorter are transient (config: a duration or {"<kind>": "2m", "default": "60s"})',
        defaultDescription: '60s',
      })
      .option('ignore', { type: 'string', describe: 'ignore rules file (JSON, README "Ignore rules"): matching drift is listed apart' })
      .option('fail-on', { type: 'string', describe: 'exit 3 only for drift of these kinds (KIND,...)' })
      .option('accept', { type: 'boolean', default: false, describe: "write this snapshot's drift as rules into the --ignore file" })
      .option('reason', { type: 'string', describe: '--accept: why the drift is accepted' })
      .option('owner', { type: 'string', describe: '--accept: who accepts it', defaultDescription: '$USER' })
      .option('force', { type: 'boolean', default: false, describe: '--accept: replace an --ignore file that is not a rules file' }),
  check: checkArgs,
  answer: answerDrift,
});
