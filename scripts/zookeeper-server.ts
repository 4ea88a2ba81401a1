// A throwaway ZooKeeper server for tests, the demo and benchmarks: installs
// Debian's zookeeper package when absent, starts it on a free loopback port in
// a temp dir, and stops it. Never used when TREESNAP_ZK points at a server.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureRequirements, quietSteps } from './setup.mjs';

export const JARS = ['/usr/share/java/zookeeper.jar', '/usr/share/java/slf4j-log4j12.jar', '/usr/share/java/log4j-1.2.jar'];

export interface ZkServer {
  connectString: string;
  port: number;
  stop(): Promise<void>;
}

/** Installs Debian's zookeeper when absent, quietly (scripts/setup.mjs), or says how and exits. */
export function ensureZookeeperInstalled(): void {
  if (JARS.every((j) => existsSync(j))) return;
  ensureRequirements(['zookeeper'], quietSteps(join(dirname(fileURLToPath(import.meta.url)), '..', '.tmp', 'setup.log')));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function ruok(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let reply = '';
    sock.setTimeout(1000, () => sock.destroy());
    sock.on('connect', () => sock.write('ruok'));
    sock.on('data', (d) => (reply += d.toString()));
    sock.on('error', () => resolve(false));
    sock.on('close', () => resolve(reply === 'imok'));
  });
}

/** A port found free can be taken by another process before the server binds it: then another port is tried. */
const BIND_ATTEMPTS = 3;

export async function startZookeeper(opts: { port?: number; dataDir?: string } = {}): Promise<ZkServer> {
  ensureZookeeperInstalled();
  const dir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'treesnap-zk-'));
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(opts.port ?? (await freePort()), dir, opts);
    } catch (e) {
      const log = join(dir, 'zookeeper.log');
      const taken = existsSync(log) && readFileSync(log, 'utf8').includes('Address already in use');
      if (opts.port !== undefined || !taken || attempt === BIND_ATTEMPTS) throw e;
      rmSync(log, { force: true });
    }
  }
}

async function startOnce(port: number, dir: string, opts: { dataDir?: string }): Promise<ZkServer> {
  const cfg = join(dir, 'zoo.cfg');
  writeFileSync(
    cfg,
    [
      `dataDir=${join(dir, 'data')}`,
      `clientPort=${port}`,
      'clientPortAddress=127.0.0.1',
      'admin.enableServer=false',
      '4lw.commands.whitelist=ruok,srvr,stat,mntr',
      'tickTime=500',
      'maxClientCnxns=0',
      'minSessionTimeout=1000',
      'maxSessionTimeout=60000',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'log4j.properties'), 'log4j.rootLogger=WARN, F\nlog4j.appender.F=org.apache.log4j.FileAppender\n' +
    `log4j.appender.F.File=${join(dir, 'zookeeper.log')}\nlog4j.appender.F.layout=org.apache.log4j.PatternLayout\n` +
    'log4j.appender.F.layout.ConversionPattern=%d %p %c{1}: %m%n\n');
  const child: ChildProcess = spawn(
    'java',
    ['-Xmx256m', `-Dlog4j.configuration=file:${join(dir, 'log4j.properties')}`, '-cp', JARS.join(':'),
      'org.apache.zookeeper.server.ZooKeeperServerMain', cfg],
    { stdio: 'ignore' },
  );
  let exited = false;
  child.on('exit', () => (exited = true));
  const deadline = Date.now() + 30_000;
  while (!(await ruok(port))) {
    if (exited) throw new Error(`zookeeper: server exited during start (log: ${join(dir, 'zookeeper.log')})`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('zookeeper: server did not answer ruok within 30 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    port,
    connectString: `127.0.0.1:${port}`,
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await gone;
        clearTimeout(timer);
      }
      if (!opts.dataDir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
