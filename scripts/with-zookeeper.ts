// Runs a command with TREESNAP_ZK pointing at a ZooKeeper: the configured one
// when TREESNAP_ZK is set, else a throwaway server started (and stopped) here.
// Usage: tsx scripts/with-zookeeper.ts <command> [args...]
import { spawn } from 'node:child_process';
import { startZookeeper } from './zookeeper-server.js';

async function main(): Promise<number> {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    process.stderr.write('usage: with-zookeeper <command> [args...]\n');
    return 2;
  }
  const server = process.env.TREESNAP_ZK ? null : await startZookeeper();
  const env = { ...process.env, TREESNAP_ZK: process.env.TREESNAP_ZK ?? server!.connectString };
  if (server) process.stderr.write(`zookeeper: throwaway server on ${server.connectString}\n`);
  const child = spawn(cmd, args, { stdio: 'inherit', env });
  const forward = (sig: NodeJS.Signals) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  const code = await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 1 : 1))));
  await server?.stop();
  return code;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
