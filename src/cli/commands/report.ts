// `treesnap report --since T [--until T] [-o FILE] [--format html|md] [--max-rows N]`
// A post-incident report of a window: HTML (self-contained) or Markdown.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { UsageError } from '../../errors.js';
import { buildReport } from '../../report/build-report.js';
import { loadReportInput } from '../../report/load-report-input.js';
import { REPORT_FORMATS, renderReport, type ReportFormat } from '../../report/render-report.js';
import { DEFAULT_MAX_ROWS } from '../../report/report-sections.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { openForRead } from '../query-command.js';
import { windowArgs } from '../shared-options.js';
import { fileErrorText } from '../../util/file-error.js';

/** --format (one of REPORT_FORMATS: yargs checks the choice), else from the output file's extension, else HTML. */
function formatOf(argv: { format?: string; output?: string }): ReportFormat {
  if (argv.format) return argv.format as ReportFormat;
  return argv.output && /\.(md|markdown)$/i.test(argv.output) ? 'md' : 'html';
}

/** Written beside the target and renamed over it, so a failed run never leaves half a report. */
function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw new UsageError(`--output: ${fileErrorText('write', path, e)}`);
  }
}

export const reportCommand = defineCommand({
  command: 'report',
  describe: 'a post-incident report of a window: summary, timeline chart, episodes, the tree before and after (HTML or Markdown)',
  builder: (y) =>
    y
      .option('since', { type: 'string', demandOption: true, describe: 'window start' })
      .option('until', { type: 'string', describe: 'window end (default now)' })
      .option('output', { alias: 'o', type: 'string', describe: 'write to this file (default stdout)' })
      .option('format', { type: 'string', choices: REPORT_FORMATS, describe: 'html or md (default: from --output\'s extension, else html)' })
      .option('max-rows', { type: 'number', default: DEFAULT_MAX_ROWS, describe: 'rows per table (and hosts per leaf) before "N more"' }),
  run: async (argv) => {
    if (argv.json) throw new UsageError('report writes HTML or Markdown (--format); for data use timeline, missing or drift with --json');
    const maxRows = argv['max-rows'];
    if (!Number.isInteger(maxRows) || maxRows < 1) throw new UsageError(`--max-rows: a whole number >= 1, got ${String(maxRows)}`);
    const window = windowArgs(argv.since, argv.until, Date.now());
    const db = await openForRead(argv.db);
    let text: string;
    try {
      text = renderReport(buildReport(loadReportInput(db, window)), formatOf(argv), { maxRows });
    } finally {
      await db.close();
    }
    if (argv.output) writeAtomically(argv.output, text);
    else process.stdout.write(text);
    return EXIT.OK;
  },
});
