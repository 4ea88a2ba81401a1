// Entry of `npm test` and `npm run demo`: plain JavaScript with no dependency,
// so it runs on a fresh clone. Installs node modules when missing, builds, then
// runs the task with a ZooKeeper (throwaway unless TREESNAP_ZK is set).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

function run(cmd, args) {
  const res = spawnSync(cmd, args, { stdio: 'inherit', cwd: root });
  if (res.status !== 0) process.exit(res.status ?? 1);
}

const [task, ...rest] = process.argv.slice(2);
if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) run(npm, ['ci', '--no-audit', '--no-fund']);
run(npm, ['run', '--silent', 'build']);
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const tasks = {
  test: ['scripts/run-tests.ts', ...(rest.length ? rest : ['all'])],
  demo: ['scripts/demo.ts', ...rest],
  bench: ['bench/run.ts', ...rest],
};
if (!tasks[task]) {
  process.stderr.write(`bootstrap: unknown task ${task}; one of ${Object.keys(tasks).join(', ')}\n`);
  process.exit(2);
}
run(tsx, ['scripts/with-zookeeper.ts', tsx, ...tasks[task]]);
