// Two or three real examples per command, shown by `treesnap <command> --help`.
// One table, kept apart from the command definitions so either can change
// without the other; program.ts wires it with withExamples() per command.
import type { Argv, CommandModule } from 'yargs';

export const EXAMPLES: Record<string, [command: string, what: string][]> = {
  collect: [
    ['$0 collect --zk zk1:2181,zk2:2181/photon', 'one collection of the cluster under the /photon chroot'],
    ['$0 collect --zk zk1:2181/photon --zk-auth-file /etc/treesnap/zk-auth', 'the same with digest auth (the file holds user:password)'],
    ['$0 collect --config /etc/treesnap/prod.json --json', 'options from a file; the summary as JSON'],
  ],
  run: [
    ['$0 run --zk zk1:2181/photon --cron "*/5 * * * *"', 'collect every five minutes until stopped'],
    ['$0 run --zk zk1:2181/photon --cron "*/5 * * * *" --retain 90d --metrics-port 9464', 'also prune daily and serve Prometheus metrics'],
  ],
  prune: [
    ['$0 prune --older-than 90d --dry-run', 'what dropping history older than 90 days would remove'],
    ['$0 prune --older-than 90d', 'drop it, keeping what later snapshots read'],
  ],
  snapshots: [
    ['$0 snapshots --since "1d ago"', "the last day's collections and each source's outcome"],
    ['$0 snapshots --limit 0 --json', 'every snapshot, as JSON'],
  ],
  diff: [
    ['$0 diff "3h ago" latest', 'what changed in the last three hours, per source'],
    ['$0 diff 41 42 --source zk', 'between two snapshots by id, ZooKeeper only'],
  ],
  drift: [
    ['$0 drift latest', 'where the sources disagree now (exit 3 for settled drift; younger is listed as settling)'],
    ['$0 drift --since "1d ago"', 'disagreements of the last day as episodes'],
    ['$0 drift --since "10m ago" --ignore rules.json --fail-on leaf_owner_differs', 'for cron: exit 3 only for new, lasting drift of that kind'],
  ],
  history: [
    ['$0 history host-042', 'everything that happened to one host'],
    ['$0 history host-042 --since "7d ago" --json', 'its last week, as JSON'],
  ],
  missing: [
    ['$0 missing --since "1d ago"', "the last day's missing-host episodes"],
    ['$0 missing --host host-042 --since "7d ago"', "one host's, with what the probes said"],
  ],
  timeline: [
    ['$0 timeline --since 02:00Z --until 04:00Z', 'every change between 02:00 and 04:00 UTC, in time order'],
    ['$0 timeline --since "6h ago" --source status', 'probe results only'],
  ],
  report: [
    ['$0 report --since "6h ago" -o incident.html', 'a self-contained HTML report of the last six hours'],
    ['$0 report --since 2026-11-25T02:00Z --until 2026-11-25T04:00Z -o incident.md', 'a window, as Markdown'],
  ],
  show: [
    ['$0 show latest', 'the tree as last recorded'],
    ['$0 show --at 2026-11-25T03:00Z --source zk --source chairman', 'what ZooKeeper and the chairman said at 03:00 UTC'],
    ['$0 show latest~3 --json', 'three snapshots back, as JSON'],
  ],
  verify: [
    ['$0 verify', "SQLite's integrity check, then every snapshot, checkpoint and the recorded drift replayed (exit 6 on damage)"],
    ['$0 verify --quick', "SQLite's quick check alone"],
    ['$0 verify --salvage rescued.db', 'write every snapshot that still reconstructs into a new history'],
  ],
  backup: [
    ['$0 backup /var/backups/treesnap.db', 'a consistent, verified copy, safe while the daemon writes'],
    ['$0 backup /mnt/nfs/treesnap-$(date +%F).db --json', 'a dated copy; what was copied as JSON'],
  ],
  clusters: [
    ['$0 clusters --db postgres://treesnap@db1/treesnap', 'the clusters of a shared history, each with its last collection'],
    ['$0 clusters --json', 'the same as JSON'],
  ],
  import: [
    ['$0 import /var/lib/treesnap/treesnap.db --cluster east --db postgres://treesnap@db1/treesnap', "a SQLite history into PostgreSQL as cluster east, ids unchanged"],
    ['$0 import old.db --from-cluster default --cluster west --db shared.db', 'one cluster of a file into another SQLite history'],
  ],
  doctor: [
    ['$0 doctor --zk zk1:2181/photon --cron "*/5 * * * *"', 'check everything a scheduled run needs, before enabling it'],
    ['$0 doctor --config /etc/treesnap/prod.json --json', 'the same configuration as the daemon, verdicts as JSON'],
  ],
  sim: [
    ['$0 sim --zk 127.0.0.1:2181/sim --hosts 5000', 'a Photon-compatible cluster of 5,000 agents to rehearse against'],
    ['$0 sim --zk 127.0.0.1:2181/sim --hosts 200 --fanout 8', 'a small one, eight hosts per leaf'],
  ],
};

/** The command with its examples from EXAMPLES added to its --help. */
export function withExamples<T, U>(cmd: CommandModule<T, U>): CommandModule<T, U> {
  const name = String(cmd.command).split(' ')[0]!;
  const builder = cmd.builder;
  if (typeof builder !== 'function') return cmd;
  return {
    ...cmd,
    builder: (y: Argv<T>) => {
      let out = builder(y) as Argv<U>;
      for (const [example, what] of EXAMPLES[name] ?? []) out = out.example(example, what);
      return out;
    },
  };
}
