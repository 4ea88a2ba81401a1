// The trees at the window's start and end, side by side per leaf, and the
// net differences between the two collections (pure). Leaves where anything
// changed come first and open; unchanged leaves are one collapsed group.
import { formatEndpoint } from '../model/ids.js';
import { CHANGE_CATEGORIES } from '../query/classify-change.js';
import type { DiffReport } from '../query/load-diff.js';
import { CATEGORY_TITLES, changePhrase } from '../present/describe-change.js';
import { formatMark } from '../present/time-bounds.js';
import { cell, plural, tableGroup, type Cell, type Section, type TableGroup } from './report-document.js';
import type { TreeComparison, TreeHost, TreeLeaf, TreeSide } from './report-model.js';

const TREE_TITLES: Record<TreeComparison['source'], string> = {
  'zk.roles': 'ZooKeeper tree (/roles) at start and end',
  chairman: "Chairman's tree at start and end",
};

function hostChip(h: TreeHost): Cell {
  const marks = [h.status && h.status !== 'ONLINE' ? h.status : null, h.missing ? 'missing' : null, h.registered ? null : 'unregistered'].filter(
    (x): x is string => x !== null,
  );
  const text = marks.length ? `${h.id} (${marks.join(', ')})` : h.id;
  if (h.changes.length) return cell(text, 'changed', h.changes.join('; '));
  return cell(text, marks.length ? 'bad' : undefined);
}

function hostsCell(leaf: TreeLeaf | undefined, maxChips: number): Cell {
  if (!leaf) return cell('(not in this tree)', 'muted');
  const chips = leaf.hosts.slice(0, maxChips).map(hostChip);
  if (leaf.hosts.length > maxChips) chips.push(cell(`+${leaf.hosts.length - maxChips} more`, 'muted'));
  const c = cell(plural(leaf.hosts.length, 'host'), leaf.changes.length ? 'changed' : undefined, leaf.changes.join('; ') || undefined);
  c.chips = chips;
  return c;
}

function changed(leaf: TreeLeaf | undefined): boolean {
  return !!leaf && (leaf.changes.length > 0 || leaf.hosts.some((h) => h.changes.length > 0));
}

function changeNotes(a: TreeLeaf | undefined, b: TreeLeaf | undefined): string {
  const notes = new Set<string>([...(a?.changes ?? []), ...(b?.changes ?? [])]);
  for (const h of [...(a?.hosts ?? []), ...(b?.hosts ?? [])]) for (const c of h.changes) notes.add(`${h.id}: ${c}`);
  return [...notes].join('; ');
}

function sideNote(name: string, s: TreeSide): string {
  const root = `root scheduler ${formatEndpoint(s.rootAddress)} ${s.rootStatus ?? 'not probed'}`;
  if (s.known) return `${name} ${formatMark(s.snapshot)}: ${plural(s.leaves.length, 'leaf', 'leaves')}, ${root}.`;
  const last = s.lastOkSnapshot === null ? 'never read' : `as last read in #${s.lastOkSnapshot}`;
  return `${name} ${formatMark(s.snapshot)}: not read (${s.error ?? 'unknown'}); shown ${last}, ${root}.`;
}

export function treeSection(t: TreeComparison, maxRows: number): Section {
  const start = new Map(t.start.leaves.map((l) => [l.id, l]));
  const end = new Map(t.end.leaves.map((l) => [l.id, l]));
  const ids = [...new Set([...start.keys(), ...end.keys()])].sort();
  const row = (id: string): Cell[] => {
    const a = start.get(id);
    const b = end.get(id);
    const leaf = (b ?? a)!;
    return [cell(id, changed(a) || changed(b) ? 'changed' : undefined), cell(leaf.owner ?? '(none)'), hostsCell(a, maxRows), hostsCell(b, maxRows), cell(changeNotes(a, b) || '—')];
  };
  const columns = ['Leaf', 'Owner', `At start (#${t.start.snapshot.id})`, `At end (#${t.end.snapshot.id})`, 'Changes'];
  const isChanged = (id: string) => changed(start.get(id)) || changed(end.get(id)) || !start.has(id) || !end.has(id);
  const changedIds = ids.filter(isChanged);
  const same = ids.filter((id) => !isChanged(id));
  const groups: TableGroup[] = [];
  if (changedIds.length) groups.push({ ...tableGroup(`Leaves that changed (${changedIds.length})`, columns, changedIds.map(row), maxRows), open: true });
  if (same.length) groups.push({ ...tableGroup(`Unchanged leaves (${same.length})`, columns, same.map(row), maxRows), open: false });
  return { id: `tree-${t.source.replace('.', '-')}`, title: TREE_TITLES[t.source], notes: [sideNote('Start', t.start), sideNote('End', t.end)], groups };
}

export function differencesSection(diff: DiffReport, maxRows: number): Section {
  const groups: TableGroup[] = [];
  const notes: string[] = [
    diff.total
      ? `${plural(diff.total, 'difference')} between ${formatMark(diff.from)} and ${formatMark(diff.to)} (what changed and changed back is not a difference).`
      : `No difference between ${formatMark(diff.from)} and ${formatMark(diff.to)}.`,
  ];
  for (const s of diff.sources) {
    for (const [end, k] of [['start', s.from], ['end', s.to]] as const) {
      if (k.known) continue;
      const last = k.lastOkSnapshot === null ? 'never read' : `compared as last read in #${k.lastOkSnapshot}`;
      notes.push(`${s.source} was not read at the ${end} (${k.error.kind}: ${k.error.message}); ${last}.`);
    }
    for (const category of CHANGE_CATEGORIES) {
      const changes = s.changes.filter((c) => c.category === category);
      if (!changes.length) continue;
      const rows = changes.map((c) => [cell(c.id, 'changed'), cell(changePhrase(c))]);
      groups.push(tableGroup(`${s.source}: ${CATEGORY_TITLES[category]} (${changes.length})`, ['Id', 'Change'], rows, maxRows));
    }
  }
  return { id: 'differences', title: 'Differences between start and end', notes, groups };
}
