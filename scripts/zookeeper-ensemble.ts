// A throwaway ZooKeeper ensemble of N members on loopback, for tests where a
// quorum matters: each member can be stopped and started again on its own
// ports and data, so a test can take the quorum away and give it back.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureZookeeperInstalled, freePort, JARS } from './zookeeper-server.js';

export interface Ensemble {
  /** Every member, as a client's connect string. */
  connectString: string;
  size: number;
  stopMember(i: number): Promise<void>;
  startMember(i: number): void;
  /** Resolves when every running member serves requests (a quorum is up). */
  serving(timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

interface Member {
  clientPort: number;
  dir: string;
  child: ChildProcess | null;
}

/** A four-letter command's reply ('' when the member does not answer). */
function fourLetters(port: number, cmd: string): Promise<string> {
  return new Promise((resolve) => {
    const sock = connect(port, '127.0.0.1');
    let reply = '';
    sock.setTimeout(2000, () => sock.destroy());
    sock.on('connect', () => sock.write(cmd));
    sock.on('data', (d) => (reply += d.toString()));
    sock.on('error', () => resolve(''));
    sock.on('close', () => resolve(reply));
  });
}

function config(m: Member, peers: string[]): string {
  return [
    `dataDir=${join(m.dir, 'data')}`,
    `clientPort=${m.clientPort}`,
    'clientPortAddress=127.0.0.1',
    'tickTime=500',
    'initLimit=20',
    'syncLimit=10',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,stat,mntr',
    'maxClientCnxns=0',
    'minSessionTimeout=1000',
    'maxSessionTimeout=60000',
    ...peers,
    '',
  ].join('\n');
}

export async function startEnsemble(size = 3): Promise<Ensemble> {
  ensureZookeeperInstalled();
  const root = mkdtempSync(join(tmpdir(), 'treesnap-zk-ensemble-'));
  const members: Member[] = [];
  const peers: string[] = [];
  for (let i = 0; i < size; i++) {
    const m = { clientPort: await freePort(), dir: join(root, `m${i + 1}`), child: null };
    mkdirSync(join(m.dir, 'data'), { recursive: true });
    writeFileSync(join(m.dir, 'data', 'myid'), `${i + 1}\n`);
    peers.push(`server.${i + 1}=127.0.0.1:${await freePort()}:${await freePort()}`);
    members.push(m);
  }
  for (const m of members) {
    writeFileSync(join(m.dir, 'zoo.cfg'), config(m, peers));
    writeFileSync(join(m.dir, 'log4j.properties'), `log4j.rootLogger=WARN, F\nlog4j.appender.F=org.apache.log4j.FileAppender\nlog4j.appender.F.File=${join(m.dir, 'zookeeper.log')}\nlog4j.appender.F.layout=org.apache.log4j.PatternLayout\nlog4j.appender.F.layout.ConversionPattern=%d %p %c{1}: %m%n\n`);
  }
  const startMember = (i: number): void => {
    const m = members[i]!;
    if (m.child) return;
    m.child = spawn(
      'java',
      ['-Xmx192m', `-Dlog4j.configuration=file:${join(m.dir, 'log4j.properties')}`, '-cp', JARS.join(':'),
        'org.apache.zookeeper.server.quorum.QuorumPeerMain', join(m.dir, 'zoo.cfg')],
      { stdio: 'ignore' },
    );
    const child = m.child;
    child.on('exit', () => {
      if (m.child === child) m.child = null;
    });
  };
  const stopMember = async (i: number): Promise<void> => {
    const child = members[i]!.child;
    if (!child) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
  };
  const serving = async (timeoutMs = 60_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const running = members.filter((m) => m.child);
      const replies = await Promise.all(running.map((m) => fourLetters(m.clientPort, 'srvr')));
      if (replies.every((r) => /Mode: (leader|follower)/.test(r))) return;
      if (Date.now() > deadline) throw new Error(`zookeeper ensemble: not serving within ${timeoutMs} ms (logs under ${root})`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  for (let i = 0; i < size; i++) startMember(i);
  await serving();
  return {
    connectString: members.map((m) => `127.0.0.1:${m.clientPort}`).join(','),
    size,
    stopMember,
    startMember,
    serving,
    async stop() {
      for (let i = 0; i < size; i++) await stopMember(i);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
