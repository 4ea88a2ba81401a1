// `treesnap sim`: a Photon-compatible cluster on loopback for rehearsing
// incidents (and for the demo, tests and benchmarks). Runs until SIGINT/SIGTERM.
import { envDefault } from '../../config/env-default.js';
import { UsageError } from '../../errors.js';
import { parseConnectString } from '../../sources/zookeeper/connect-string.js';
import { defineCommand } from '../define-command.js';
import { EXIT } from '../exit-codes.js';
import { createInterface } from 'node:readline';
import type { SimulatedCluster } from '../../sim/cluster.js';

function wholeNumber(n: number, flag: string, min: number, max: number): number {
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be a whole number from ${min} to ${max}`);
  return n;
}

/** Each stdin line is a console command (src/sim/sim-console.ts), run one at a time; the end of stdin ends only the console. */
function readConsole(cluster: SimulatedCluster, out: (line: string) => void): () => void {
  const lines = createInterface({ input: process.stdin, terminal: false });
  // Loaded once, at the first line, not with the command: most runs never type one.
  let queue: Promise<unknown> = Promise.resolve();
  let commands: Promise<typeof import('../../sim/sim-console.js')> | null = null;
  lines.on('line', (line) => {
    queue = queue.then(async () => {
      const { runConsoleLine } = await (commands ??= import('../../sim/sim-console.js'));
      const answer = await runConsoleLine(cluster, line);
      if (answer !== null) out(answer);
    });
  });
  return () => lines.close();
}

export const simCommand = defineCommand({
  command: 'sim',
  describe: 'run a simulated Photon cluster (chairman, root scheduler, N agents) against a ZooKeeper',
  builder: (y) =>
    y
      .option('zk', { type: 'string', default: envDefault('ZK'), describe: 'ZooKeeper host:port[/chroot] to write the cluster into (env TREESNAP_ZK)' })
      .option('hosts', { type: 'number', default: 20, describe: 'number of agents' })
      .option('fanout', { type: 'number', default: 32, describe: 'hosts per leaf scheduler' }),
  run: async (argv) => {
    if (!argv.zk) throw new UsageError('no ZooKeeper given: use --zk host:port[/chroot] or TREESNAP_ZK');
    const zk = parseConnectString(argv.zk);
    if (!zk.ok) throw new UsageError(`--zk: ${zk.error}`);
    const hosts = wholeNumber(argv.hosts, 'hosts', 0, 20_000);
    const fanout = wholeNumber(argv.fanout, 'fanout', 1, 10_000);
    const out = (line: string) => process.stdout.write(`${line}\n`);
    // Loaded here, not at start-up: every other command would pay for the simulator's modules.
    const { runSimulator } = await import('../../sim/run-simulator.js');
    const cluster = await runSimulator({ zk: argv.zk, hosts, fanout }, out);
    out('running; Ctrl-C to stop');
    out("faults and repairs from stdin, one per line ('help' lists them)");
    const stopConsole = readConsole(cluster, out);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    stopConsole();
    await cluster.stop();
    return EXIT.OK;
  },
});
