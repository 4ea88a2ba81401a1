// Bad input to every command, through the real CLI process: one line on
// stderr naming what is wrong, the documented exit code, no stack trace, and
// the history file untouched. test/integration/cli-errors.test.ts covers
// collect's cluster options, show, snapshots and config files; this table
// covers the other commands (diff, drift, missing, history, timeline, report,
// run, prune, sim) for each kind of mistake, and database paths that cannot work.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/store/open-database.js';
import { writeSnapshot } from '../../src/store/write-snapshot.js';
import { observation } from '../support/observation.js';
import { assertOneLineError, treesnap } from '../support/treesnap-cli.js';

const USAGE = 2;
const DATABASE = 6;
const NOT_FOUND = 7;
const ZK = ['--zk', '127.0.0.1:1'];

const NOT_A_REF = /is not a snapshot reference \(an id, latest, latest~N, an ISO time or "2h ago"\)/;
const NOT_A_TIME = /is not a time \(examples: /;
const SINCE_AFTER_UNTIL = /^treesnap: --since is after --until$/;

let dir: string;
let db: string;
let authFile: string;
let sha: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'treesnap-cli-input-'));
  db = join(dir, 'history.db');
  authFile = join(dir, 'zk-auth');
  writeFileSync(authFile, 'user:password\n', { mode: 0o600 });
  const d = openDatabase(db);
  writeSnapshot(d, observation({ leaves: { L1: ['h1', 'h2'] }, at: Date.parse('2026-11-25T03:00:00Z') }));
  writeSnapshot(d, observation({ leaves: { L1: ['h1', 'h2'] }, offline: ['h2'], at: Date.parse('2026-11-25T03:05:00Z') }));
  d.$client.close();
  writeFileSync(join(dir, 'not-json.json'), '{"rules": [');
  writeFileSync(join(dir, 'bad-kind.json'), JSON.stringify({ rules: [{ kind: 'nope', ids: 'h1', reason: 'r', owner: 'o', until: '2999-12-31' }] }));
  sha = createHash('sha256').update(readFileSync(db)).digest('hex');
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Case = [string, string[], number, RegExp];

const cases: Record<string, Case[]> = {
  'unknown snapshot references': [
    ['diff: A is not a reference', ['diff', 'the-big-one', 'latest'], USAGE, /^treesnap: A: "the-big-one" /],
    ['diff: B is not a reference', ['diff', '1', 'nope'], USAGE, /^treesnap: B: "nope" /],
    ['diff: no such snapshot', ['diff', '1', '999'], NOT_FOUND, /^treesnap: no snapshot #999$/],
    ['diff: one snapshot only', ['diff', '1'], USAGE, /Not enough non-option arguments: got 1, need at least 2/],
    ['drift: not a reference', ['drift', 'the-big-one'], USAGE, NOT_A_REF],
    ['drift: no such snapshot', ['drift', '999'], NOT_FOUND, /^treesnap: no snapshot #999$/],
    ['show: latest~N past the start', ['show', 'latest~99'], NOT_FOUND, /fewer than 100 snapshots recorded/],
    ['history: no such host', ['history', 'nope'], NOT_FOUND, /^treesnap: no host "nope" in the history$/],
  ],
  'malformed times and durations': [
    ['show --at', ['show', '--at', 'yesterday-ish'], USAGE, NOT_A_REF],
    ['drift --at', ['drift', '--at', 'yesterday-ish'], USAGE, NOT_A_REF],
    ['drift --since', ['drift', '--since', 'yesterday-ish'], USAGE, /--since: "yesterday-ish" is not a time/],
    ['missing --since', ['missing', '--since', 'yesterday-ish'], USAGE, NOT_A_TIME],
    ['missing --until', ['missing', '--until', 'yesterday-ish'], USAGE, /--until: "yesterday-ish" is not a time/],
    ['history --since', ['history', 'h1', '--since', 'yesterday-ish'], USAGE, NOT_A_TIME],
    ['timeline --since', ['timeline', '--since', 'yesterday-ish'], USAGE, NOT_A_TIME],
    ['report --since', ['report', '--since', 'yesterday-ish'], USAGE, NOT_A_TIME],
    ['prune --older-than', ['prune', '--older-than', 'soon'], USAGE, /--older-than: "soon" is not a duration/],
    ['run --budget', ['run', ...ZK, '--budget', 'soon'], USAGE, /--budget: "soon" is not a duration/],
    ['run --stop-timeout', ['run', ...ZK, '--stop-timeout', 'never'], USAGE, /--stop-timeout: "never" is not a duration/],
    ['collect --timeout 0', ['collect', ...ZK, '--timeout', '0'], USAGE, /--timeout: "0" is not a duration/],
  ],
  '--since after --until': [
    ['drift', ['drift', '--since', 'now', '--until', '2h ago'], USAGE, SINCE_AFTER_UNTIL],
    ['missing', ['missing', '--since', 'now', '--until', '2h ago'], USAGE, SINCE_AFTER_UNTIL],
    ['history', ['history', 'h1', '--since', 'now', '--until', '2h ago'], USAGE, SINCE_AFTER_UNTIL],
    ['timeline', ['timeline', '--since', 'now', '--until', '2h ago'], USAGE, SINCE_AFTER_UNTIL],
    ['report', ['report', '--since', 'now', '--until', '2h ago'], USAGE, SINCE_AFTER_UNTIL],
  ],
  'malformed host:port': [
    ['collect --root', ['collect', ...ZK, '--root', 'nohost'], USAGE, /^treesnap: --root: "nohost" is not host:port$/],
    ['collect --chairman port range', ['collect', ...ZK, '--chairman', 'h:99999'], USAGE, /--chairman: "h:99999": port must be 1-65535/],
    ['collect --zk port range', ['collect', '--zk', '127.0.0.1:99999'], USAGE, /--zk: .*invalid port "99999"/],
    ['run --chairman', ['run', ...ZK, '--chairman', 'nohost'], USAGE, /--chairman: "nohost" is not host:port/],
    ['run --root', ['run', ...ZK, '--root', 'h:0'], USAGE, /--root: "h:0": port must be 1-65535/],
    ['run --zk', ['run', '--zk', 'not a host::x'], USAGE, /--zk: connect string "not a host::x"/],
    ['sim --zk', ['sim', '--zk', 'not a host::x'], USAGE, /--zk: connect string "not a host::x"/],
  ],
  'conflicting or misplaced flags': [
    ['drift snapshot and --at', ['drift', '1', '--at', 'now'], USAGE, /give a snapshot or --at, not both/],
    ['drift snapshot and --since', ['drift', '1', '--since', '1h ago'], USAGE, /--since is a window: give no snapshot or --at with it/],
    ['drift --until alone', ['drift', '--until', 'now'], USAGE, /--until needs --since/],
    ['collect --zk-auth and --zk-auth-file', ['collect', ...ZK, '--zk-auth', 'u:p', '--zk-auth-file', '<auth>'], USAGE, /give --zk-auth or --zk-auth-file, not both/],
    ['run --zk-auth and --zk-auth-file', ['run', ...ZK, '--zk-auth', 'u:p', '--zk-auth-file', '<auth>'], USAGE, /give --zk-auth or --zk-auth-file, not both/],
    ['collect --zk-auth without a password', ['collect', ...ZK, '--zk-auth', 'nocolon'], USAGE, /^treesnap: --zk-auth must be user:password$/],
    ['collect --zk-auth-file missing', ['collect', ...ZK, '--zk-auth-file', '<dir>/nope'], USAGE, /--zk-auth-file: cannot read .*nope: no such file/],
    ['report --json', ['report', '--since', '1h ago', '--json'], USAGE, /report writes HTML or Markdown/],
  ],
  'unknown sources and options': [
    ['diff --source', ['diff', '1', 'latest', '--source', 'etcd'], USAGE, /Invalid values: Argument: source, Given: "etcd", Choices: "zk", "chairman", "root", "status"/],
    ['timeline --source', ['timeline', '--since', '1h ago', '--source', 'etcd'], USAGE, /Invalid values: Argument: source, Given: "etcd"/],
    ['drift takes no --source', ['drift', '--source', 'zk'], USAGE, /^treesnap: Unknown argument: source$/],
    ['missing takes no --source', ['missing', '--source', 'zk'], USAGE, /^treesnap: Unknown argument: source$/],
    ['history takes no --source', ['history', 'h1', '--source', 'zk'], USAGE, /^treesnap: Unknown argument: source$/],
    ['report takes no --source', ['report', '--since', '1h ago', '--source', 'zk'], USAGE, /^treesnap: Unknown argument: source$/],
    ['misspelt option', ['snapshots', '--limt', '5'], USAGE, /^treesnap: Unknown argument: limt$/],
    ['collect --probe-mode', ['collect', ...ZK, '--probe-mode', 'fast'], USAGE, /Invalid values: Argument: probe-mode, Given: "fast", Choices: "connect", "ping"/],
    ['run --log-level', ['run', ...ZK, '--log-level', 'loud'], USAGE, /Invalid values: Argument: log-level, Given: "loud"/],
    ['run --log-format', ['run', ...ZK, '--log-format', 'xml'], USAGE, /Invalid values: Argument: log-format, Given: "xml"/],
  ],
  'drift settling, ignore rules and --fail-on': [
    ['drift --ignore not JSON', ['drift', '--ignore', '<dir>/not-json.json'], USAGE, /^treesnap: ignore rules .*not-json\.json: not JSON \(/],
    ['drift --ignore unknown kind', ['drift', '--ignore', '<dir>/bad-kind.json'], USAGE, /^treesnap: ignore rules .*bad-kind\.json: rules\[0\]\.kind 'nope' is not a drift kind$/],
    ['drift --ignore no such file', ['drift', '--ignore', '<dir>/absent.json'], USAGE, /^treesnap: ignore rules: cannot read .*absent\.json: no such file$/],
    ['drift --settle', ['drift', '--settle', 'soon'], USAGE, /^treesnap: --settle: expected a duration like 60s, 2m or 500ms, got 'soon'$/],
    ['drift --fail-on', ['drift', '--fail-on', 'nope'], USAGE, /^treesnap: --fail-on: unknown drift kind 'nope' \(kinds: /],
    ['drift --accept without --reason', ['drift', '--accept', '--ignore', '<dir>/new.json', '--until', '2999-12-31'], USAGE, /--accept needs --ignore FILE/],
    ['drift --accept --until not a date', ['drift', '--accept', '--ignore', '<dir>/new.json', '--reason', 'r', '--until', 'soon'], USAGE, /^treesnap: --until: expected YYYY-MM-DD, got 'soon'$/],
    ['drift --accept onto a file that is not rules', ['drift', '--accept', '--ignore', '<dir>/not-json.json', '--reason', 'r', '--until', '2999-12-31'], USAGE, /not JSON .*refusing to overwrite it; --force replaces it\)$/],
    ['drift --reason without --accept', ['drift', '--reason', 'r'], USAGE, /--reason, --owner and --force go with --accept/],
  ],
  'missing or out-of-range values': [
    ['history without a host', ['history'], USAGE, /Not enough non-option arguments: got 0, need at least 1/],
    ['timeline without --since', ['timeline'], USAGE, /^treesnap: Missing required argument: since$/],
    ['report without --since', ['report'], USAGE, /^treesnap: Missing required argument: since$/],
    ['prune without --older-than', ['prune'], USAGE, /^treesnap: Missing required argument: older-than$/],
    ['sim without --zk', ['sim'], USAGE, /no ZooKeeper given/],
    ['sim --hosts', ['sim', ...ZK, '--hosts', '-1'], USAGE, /--hosts must be a whole number from 0 to 20000/],
    ['sim --fanout', ['sim', ...ZK, '--fanout', '0'], USAGE, /--fanout must be a whole number from 1 to 10000/],
    ['snapshots --limit not a number', ['snapshots', '--limit', 'abc'], USAGE, /--limit must be a whole number >= 0/],
    ['snapshots --limit fraction', ['snapshots', '--limit', '1.5'], USAGE, /--limit must be a whole number >= 0/],
    ['snapshots --limit negative', ['snapshots', '--limit=-3'], USAGE, /--limit must be a whole number >= 0/],
    ['timeline --limit negative', ['timeline', '--since', '1h ago', '--limit=-3'], USAGE, /--limit must be a whole number >= 0/],
    ['drift --since --limit fraction', ['drift', '--since', '1h ago', '--limit', '1.5'], USAGE, /--limit must be a whole number >= 0/],
    // yargs hands over NaN for a text: the message then names no value rather than "got NaN".
    ['history --limit not a number', ['history', 'h1', '--limit', 'abc'], USAGE, /^treesnap: --limit must be a whole number >= 0 \(0: all\)$/],
    ['drift --limit without --since', ['drift', '--limit', '5'], USAGE, /--limit pages the episodes of a window: give --since with it/],
    ['report --max-rows', ['report', '--since', '1h ago', '--max-rows', 'abc'], USAGE, /--max-rows: a whole number >= 1/],
    ['collect --probe-concurrency', ['collect', ...ZK, '--probe-concurrency', 'abc'], USAGE, /--probe-concurrency must be a whole number from 1 to 4096/],
    ['run --metrics-port', ['run', ...ZK, '--metrics-port', 'abc'], USAGE, /--metrics-port must be a whole number from 0 to 65535/],
    ['run --backoff-after', ['run', ...ZK, '--backoff-after', '-1'], USAGE, /--backoff-after must be a whole number from 0 to 1000/],
  ],
};

function withPaths(args: string[]): string[] {
  return args.map((a) => a.replace('<auth>', authFile).replace('<dir>', dir));
}

// Each case is its own process: a few at a time (they only read, or fail before touching the file).
for (const [group, rows] of Object.entries(cases)) {
  describe(group, { concurrency: 4 }, () => {
    for (const [name, args, code, pattern] of rows) {
      test(name, async () => {
        const r = await treesnap([...withPaths(args), '--db', db], { timeoutMs: 60_000 });
        assertOneLineError(r, code, pattern, name);
        assert.equal(r.stdout, '', 'nothing on stdout');
      });
    }
  });
}

describe('database paths that cannot work', { concurrency: 4 }, () => {
  const paths: [string, () => string, string[], RegExp][] = [
    ['a path under a regular file', () => '/etc/passwd/history.db', ['collect', ...ZK, '--connect-timeout', '200ms'], /cannot open database \/etc\/passwd\/history\.db: ENOTDIR/],
    // Node 20's recursive mkdirSync never returns for a path under /proc: treesnap creates directories itself.
    ['a directory that cannot be created', () => '/proc/treesnap-nope/history.db', ['collect', ...ZK, '--connect-timeout', '200ms'], /cannot create the database directory \/proc\/treesnap-nope: the directory does not exist/],
    ['a directory given as the file (write)', () => dir, ['collect', ...ZK, '--connect-timeout', '200ms'], /cannot open database/],
    ['a directory given as the file (read)', () => dir, ['show'], /database/],
    ['prune with no history file', () => join(dir, 'absent.db'), ['prune', '--older-than', '1d'], /^treesnap: no history at .*absent\.db$/],
  ];
  for (const [name, path, args, pattern] of paths) {
    test(name, async () => {
      const r = await treesnap([...args, '--db', path()], { timeoutMs: 30_000 });
      assert.equal(r.signal, null, `${name}: killed after 30 s (hung)`);
      assertOneLineError(r, DATABASE, pattern, name);
    });
  }
});

test('after every bad command above, the history file is unchanged byte for byte', () => {
  assert.equal(createHash('sha256').update(readFileSync(db)).digest('hex'), sha);
});
