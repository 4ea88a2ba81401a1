// Terminal rendering of a collection summary (pure).
import type { CollectionSummary } from '../../collect/collection-summary.js';
import { formatTime } from '../../util/time.js';
import { renderTable } from './table.js';

function list(ids: string[], max = 10): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} … (+${ids.length - max})`;
}

export function renderCollectionText(s: CollectionSummary): string {
  const rows = s.sources.map((src) => [
    src.source,
    src.ok ? 'ok' : 'UNKNOWN',
    src.count === null ? '-' : String(src.count),
    String(src.changes),
    `${src.durationMs}ms`,
    src.error ?? '',
  ]);
  const lines = [
    `Snapshot #${s.snapshotId} recorded at ${formatTime(s.startedAt)} in ${s.durationMs}ms` +
      (s.failedSources.length ? ` — ${s.failedSources.length} source(s) UNKNOWN` : ''),
    '',
    renderTable(['source', 'outcome', 'count', 'changes', 'took', 'error'], rows, ['left', 'left', 'right', 'right', 'right']),
  ];
  const news: [string, string[]][] = [
    ['newly missing', s.newlyMissing],
    ['no longer missing', s.noLongerMissing],
    ['newly offline', s.newlyOffline],
    ['back online', s.backOnline],
  ];
  const changed = news.filter(([, ids]) => ids.length > 0);
  if (changed.length) lines.push('');
  for (const [label, ids] of changed) lines.push(`${label} (${ids.length}): ${list(ids)}`);
  return lines.join('\n');
}
