// Terminal rendering of `diff` (pure): per source, grouped by category,
// each group counted, rows aligned.
import type { ChangeCategory } from '../../query/classify-change.js';
import type { DiffReport } from '../../query/load-diff.js';
import { alignColumns } from '../../present/columns.js';
import { CATEGORY_TITLES, changePhrase } from '../../present/describe-change.js';
import { unknownNote } from '../../present/source-knowledge-text.js';
import { formatExact, formatMark } from '../../present/time-bounds.js';
import type { TimedChangeItem } from '../../query/diff.js';
import type { DiffHiddenChanges } from '../../query/hidden-changes.js';
import { pushAll } from '../../util/push-all.js';

/** "at 2026-11-25T03:02:17.412Z (ZooKeeper: ctime of /missing/h3)" where a Stat proves when; else nothing. */
function exactText(c: TimedChangeItem): string {
  return c.exact ? `at ${formatExact(c.exact)}` : '';
}

/** "changed 3 times in ZooKeeper, 1 in this diff: 2 watched" (the rest: "not watched"). */
export function diffHiddenPhrase(h: DiffHiddenChanges): string {
  const times = `${h.changes} time${h.changes === 1 ? '' : 's'}`;
  const what = h.recreated ? `deleted and created again (${times} in ZooKeeper)` : `changed ${times} in ZooKeeper`;
  const rest = h.changes - h.seen - h.watched;
  const parts = [...(h.watched ? [`${h.watched} watched (see timeline)`] : []), ...(rest > 0 ? [`${rest} not watched`] : [])];
  return `${what}, ${h.seen} in this diff${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

function groups(changes: readonly TimedChangeItem[]): [ChangeCategory, TimedChangeItem[]][] {
  const out: [ChangeCategory, TimedChangeItem[]][] = [];
  for (const c of changes) {
    const last = out[out.length - 1];
    if (last && last[0] === c.category) last[1].push(c);
    else out.push([c.category, [c]]);
  }
  return out;
}

export function renderDiffText(r: DiffReport): string {
  const lines = [`Diff ${formatMark(r.from)} → ${formatMark(r.to)}: ${r.total} change${r.total === 1 ? '' : 's'}`];
  for (const s of r.sources) {
    const notes = [unknownNote(s.from, `at #${r.from.id}`), unknownNote(s.to, `at #${r.to.id}`)].filter((n): n is string => n !== null);
    if (!s.total && !notes.length) continue;
    lines.push('', `${s.source} (${s.total})`);
    for (const n of notes) lines.push(`  ${n}`);
    for (const [category, items] of groups(s.changes)) {
      lines.push(`  ${CATEGORY_TITLES[category]} (${items.length})`);
      pushAll(lines, alignColumns(items.map((c) => [c.id, changePhrase(c), exactText(c)]), '    '));
    }
  }
  const quiet = r.sources.filter((s) => !s.total && s.from.known && s.to.known).map((s) => s.source);
  if (quiet.length) lines.push('', `No changes: ${quiet.join(', ')}`);
  if (r.hidden?.length) {
    lines.push('', `Changed in ZooKeeper between #${r.from.id} and #${r.to.id} more often than shown (${r.hidden.length})`);
    pushAll(lines, alignColumns(r.hidden.map((h) => [h.source, h.path, diffHiddenPhrase(h)]), '  '));
  }
  return lines.join('\n');
}
