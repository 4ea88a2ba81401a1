// `treesnap doctor`: checks a configuration against the live cluster before a
// schedule is enabled; one line per check (src/doctor). Exit 0 when every
// check passes, 4 when some fail.
import { UsageError } from '../../errors.js';
import { doctorReport, renderDoctorText } from '../../doctor/verdict.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { withClusterOptions, toCollectOptions } from '../collect-options.js';
import { envDefault as env } from '../../config/env-default.js';
import { printJson, sqliteHistoryPath } from '../shared-options.js';

export const doctorCommand = defineCommand({
  command: 'doctor',
  describe: 'check a configuration against the live cluster: ZooKeeper, chroot, auth, leaders, chairman, root, agents, database, cron',
  builder: (y) =>
    withClusterOptions(y)
      .option('cron', { type: 'string', default: env('CRON'), describe: 'the schedule `run` would use (env TREESNAP_CRON)' })
      .option('sample', { type: 'number', default: 8, describe: 'registered agents probed at most' }),
  run: async (argv) => {
    if (!Number.isInteger(argv.sample) || argv.sample < 1) throw new UsageError(`--sample must be a whole number >= 1, got ${String(argv.sample)}`);
    const opts = { ...toCollectOptions(argv), db: sqliteHistoryPath(argv.db), cron: argv.cron, sample: argv.sample };
    // The ZooKeeper and Thrift clients load here, not at start-up (as in collect).
    const { runDoctorChecks } = await import('../../doctor/checks.js');
    const report = doctorReport(await runDoctorChecks(opts));
    if (argv.json) printJson(report);
    else process.stdout.write(`${renderDoctorText(report)}\n`);
    return report.ok ? EXIT.OK : EXIT.PARTIAL;
  },
});
