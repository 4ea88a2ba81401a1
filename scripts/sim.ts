// Runs the simulator by hand until `treesnap sim` is wired into the CLI.
// Usage: npx tsx scripts/sim.ts --zk 127.0.0.1:2181/chroot [--hosts 5000] [--fanout 32] [--once] [--clean]
//   --once   stop right after startup (for timing); --clean  delete the layout when stopping.
// Otherwise runs until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { runSimulator } from '../src/sim/run-simulator.js';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      zk: { type: 'string' },
      hosts: { type: 'string', default: '100' },
      fanout: { type: 'string', default: '32' },
      once: { type: 'boolean', default: false },
      clean: { type: 'boolean', default: false },
    },
  });
  if (!values.zk) {
    process.stderr.write('usage: sim.ts --zk HOST:PORT[/chroot] [--hosts N] [--fanout N] [--once] [--clean]\n');
    return 2;
  }
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const cluster = await runSimulator({ zk: values.zk, hosts: Number(values.hosts), fanout: Number(values.fanout) }, out);
  if (!values.once) {
    out('running; Ctrl-C stops');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    });
  }
  const t0 = Date.now();
  await cluster.stop({ clean: values.clean });
  out(`stopped (${Date.now() - t0} ms)`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
