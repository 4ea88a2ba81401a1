// The options that say how to reach a cluster, shared by `collect` and `run`,
// and their validation into CollectOptions (every bad value: one-line UsageError).
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { CollectOptions } from '../collect/collect.js';
import { DEFAULT_AGENT_CONCURRENCY } from '../model/agent-view.js';
import { parseEndpoint } from '../config/endpoint-arg.js';
import { UsageError } from '../errors.js';
import { parseConnectString } from '../sources/zookeeper/connect-string.js';
import { envDefault as env } from '../config/env-default.js';
import { durationArg } from './shared-options.js';
import { fileErrorText } from '../util/file-error.js';

export interface ClusterArgs {
  zk?: string;
  'zk-auth'?: string;
  'zk-auth-file'?: string;
  chairman?: string;
  root?: string;
  'connect-timeout': string;
  timeout: string;
  'probe-timeout': string;
  'probe-concurrency': number;
  'probe-mode': string;
  agents: string;
  'agent-concurrency': number;
}

export function withClusterOptions<T>(y: Argv<T>) {
  return y
    .option('zk', { type: 'string', default: env('ZK'), describe: 'ZooKeeper connect string host:port[,host:port][/chroot] (env TREESNAP_ZK)' })
    .option('zk-auth', { type: 'string', default: env('ZK_AUTH'), defaultDescription: '$TREESNAP_ZK_AUTH', describe: 'digest auth user:password (env TREESNAP_ZK_AUTH; never logged)' })
    .option('zk-auth-file', { type: 'string', default: env('ZK_AUTH_FILE'), describe: 'file holding user:password for digest auth' })
    .option('chairman', { type: 'string', default: env('CHAIRMAN'), describe: 'chairman host:port (default: its leader in ZooKeeper)' })
    .option('root', { type: 'string', default: env('ROOT'), describe: 'root scheduler host:port (default: its leader in ZooKeeper)' })
    .option('connect-timeout', { type: 'string', default: env('CONNECT_TIMEOUT') ?? '5s', describe: 'connect timeout for ZooKeeper and Thrift' })
    .option('timeout', { type: 'string', default: env('TIMEOUT') ?? '10s', describe: 'timeout of each ZooKeeper request and Thrift call' })
    .option('probe-timeout', { type: 'string', default: env('PROBE_TIMEOUT') ?? '2s', describe: 'status probe timeout per node' })
    .option('probe-concurrency', { type: 'number', default: Number(env('PROBE_CONCURRENCY') ?? 64), describe: 'status probes in flight at once' })
    .option('probe-mode', { type: 'string', default: env('PROBE_MODE') ?? 'connect', choices: ['connect', 'ping'], describe: 'connect: TCP connect (the original rule); ping: also AgentControl.ping' })
    .option('agents', { type: 'string', default: env('AGENTS') ?? 'owners', choices: ['owners', 'all'], describe: "whose own view of its leaf role to read (get_schedulers): the leaf owners, or every registered host" })
    .option('agent-concurrency', { type: 'number', default: Number(env('AGENT_CONCURRENCY') ?? DEFAULT_AGENT_CONCURRENCY), describe: 'agents asked at once' });
}

function auth(args: ClusterArgs): CollectOptions['zkAuth'] {
  if (args['zk-auth'] && args['zk-auth-file']) throw new UsageError('give --zk-auth or --zk-auth-file, not both');
  let text = args['zk-auth'];
  if (args['zk-auth-file']) {
    try {
      text = readFileSync(args['zk-auth-file'], 'utf8').trim();
    } catch (e) {
      throw new UsageError(`--zk-auth-file: ${fileErrorText('read', args['zk-auth-file'], e)}`);
    }
  }
  if (text === undefined) return undefined;
  const at = text.indexOf(':');
  if (at <= 0 || at === text.length - 1) throw new UsageError('--zk-auth must be user:password');
  return { user: text.slice(0, at), password: text.slice(at + 1) };
}

function endpoint(text: string | undefined, flag: string) {
  if (text === undefined) return undefined;
  const r = parseEndpoint(text);
  if (!r.ok) throw new UsageError(`--${flag}: ${r.error}`);
  return r.value;
}

function wholeNumber(n: number, flag: string): number {
  if (!Number.isInteger(n) || n < 1 || n > 4096) throw new UsageError(`--${flag} must be a whole number from 1 to 4096`);
  return n;
}

export function toCollectOptions(args: ClusterArgs): CollectOptions {
  if (!args.zk) throw new UsageError('no ZooKeeper given: use --zk host:port[/chroot], TREESNAP_ZK, or "zk" in --config');
  const zk = parseConnectString(args.zk);
  if (!zk.ok) throw new UsageError(`--zk: ${zk.error}`);
  const concurrency = wholeNumber(args['probe-concurrency'], 'probe-concurrency');
  return {
    zk: args.zk,
    zkAuth: auth(args),
    chairman: endpoint(args.chairman, 'chairman'),
    root: endpoint(args.root, 'root'),
    connectTimeoutMs: durationArg(args['connect-timeout'], 'connect-timeout'),
    requestTimeoutMs: durationArg(args.timeout, 'timeout'),
    probeTimeoutMs: durationArg(args['probe-timeout'], 'probe-timeout'),
    probeConcurrency: concurrency,
    probeMode: args['probe-mode'] === 'ping' ? 'ping' : 'connect',
    agents: args.agents === 'all' ? 'all' : 'owners',
    agentConcurrency: wholeNumber(args['agent-concurrency'], 'agent-concurrency'),
  };
}
