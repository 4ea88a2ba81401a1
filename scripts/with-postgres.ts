// Runs a command with TREESNAP_PG pointing at a PostgreSQL server: the
// configured one when TREESNAP_PG is set, else a throwaway server started (and
// stopped) here. A server that cannot start is a failure, never a skip.
// Usage: tsx scripts/with-postgres.ts <command> [args...]
import { spawn } from 'node:child_process';
import { postgresForRun } from './postgres-server.js';

async function main(): Promise<number> {
  const [cmd, ...args] = process.argv.slice(2);
  if (!cmd) {
    process.stderr.write('usage: with-postgres <command> [args...]\n');
    return 2;
  }
  const { url, server } = await postgresForRun();
  try {
    const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, TREESNAP_PG: url } });
    const forward = (sig: NodeJS.Signals) => child.kill(sig);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return await new Promise<number>((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 128 + 1 : 1))));
  } finally {
    await server?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
