// `treesnap clusters`: the clusters recorded in the history, each with its
// last collection.
import type { ClusterRow } from '../../store/index.js';
import { formatTime } from '../../util/time.js';
import { defineQueryCommand } from '../query-command.js';
import { renderTable } from '../render/table.js';

function outcome(r: ClusterRow): string {
  if (r.failedSources === 0) return 'complete';
  return `${r.failedSources} source${r.failedSources === 1 ? '' : 's'} failed`;
}

export function clustersText(rows: readonly ClusterRow[]): string {
  if (rows.length === 0) return 'no cluster has a snapshot yet; run `treesnap collect --cluster NAME`';
  const table = rows.map((r) => [r.name, `#${r.firstSnapshotId}`, `#${r.lastSnapshotId}`, formatTime(r.startedAt), outcome(r)]);
  return renderTable(['cluster', 'first', 'last', 'last started', 'last outcome'], table, ['left', 'right', 'right', 'left', 'left']);
}

export const clustersCommand = defineQueryCommand({
  command: 'clusters',
  describe: 'list the clusters in the history with their last collection',
  builder: (y) => y,
  answer: (db) => {
    const rows = db.listClusters();
    return { json: () => ({ clusters: rows }), text: () => clustersText(rows) };
  },
});
