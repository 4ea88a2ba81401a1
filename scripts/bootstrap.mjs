// Entry of `npm test` and `npm run demo`: plain JavaScript with no dependency,
// so it runs on a fresh clone. Installs what the task needs from the machine
// (Debian's zookeeper, and for the tests chromium and postgresql,
// scripts/setup.mjs) and the node modules when missing, builds, then runs the
// task with a ZooKeeper (throwaway unless TREESNAP_ZK is set); the integration
// tests also get a PostgreSQL (scripts/run-tests.ts; throwaway unless TREESNAP_PG is set). Set-up prints one line per step; the full output goes
// to .tmp/setup.log, named only when a step fails.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRequirements, quietSteps } from './setup.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const [task, ...rest] = process.argv.slice(2);
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const suites = rest.length ? rest : ['all'];
const tasks = {
  test: {
    argv: ['scripts/run-tests.ts', ...suites],
    needs: suites.some((s) => s === 'all' || s === 'integration') ? ['chromium', ...(process.env.TREESNAP_PG ? [] : ['postgresql'])] : [],
  },
  demo: { argv: ['scripts/demo.ts', ...rest], needs: [] },
  bench: { argv: ['bench/run.ts', ...rest], needs: [] },
};
if (!tasks[task]) {
  process.stderr.write(`bootstrap: unknown task ${task}; one of ${Object.keys(tasks).join(', ')}\n`);
  process.exit(2);
}
const steps = quietSteps(join(root, '.tmp', 'setup.log'));
ensureRequirements([...(process.env.TREESNAP_ZK ? [] : ['zookeeper']), ...tasks[task].needs], steps);
// Also when package.json names a package node_modules lacks (a checkout that gained a dependency).
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });
const installed = (name) => existsSync(join(root, 'node_modules', name, 'package.json'));
if (!existsSync(join(root, 'node_modules', '.package-lock.json')) || !declared.every(installed)) {
  steps.run('node modules: npm ci', npm, ['ci', '--no-audit', '--no-fund'], { cwd: root });
}
steps.run('build: npm run build', npm, ['run', '--silent', 'build'], { cwd: root });
const res = spawnSync(tsx, ['scripts/with-zookeeper.ts', tsx, ...tasks[task].argv], { stdio: 'inherit', cwd: root });
process.exit(res.status ?? 1);
