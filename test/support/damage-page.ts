// Damages one page of a real SQLite file, and says which rows that page held.
// Pages come from SQLite's dbstat table (compiled into better-sqlite3): for a
// b-tree, its pages in path order are an in-order walk, so the rows a leaf
// holds are a slice of the table read in key order.
import Database from 'better-sqlite3';
import { closeSync, openSync, writeSync } from 'node:fs';

interface PageRow {
  path: string;
  pageno: number;
  pagetype: string;
  ncell: number;
}

export interface Leaf {
  pageno: number;
  /** Rank of the leaf's first row in key order, and how many it holds. */
  start: number;
  count: number;
}

function parentOf(path: string): string {
  return path.replace(/[0-9a-f]+\/$/, '');
}

/**
 * The leaves of one b-tree with the ranks of the rows they hold. `withoutRowid`:
 * an index-shaped b-tree, whose interior cells hold rows too.
 */
export function leaves(file: string, btree: string, withoutRowid: boolean): Leaf[] {
  const db = new Database(file, { readonly: true });
  try {
    const rows = (db.prepare('SELECT path, pageno, pagetype, ncell FROM dbstat WHERE name = ? ORDER BY path').all(btree) as PageRow[]).filter(
      (r) => r.pagetype !== 'overflow',
    );
    const children = new Map<string, PageRow[]>();
    for (const r of rows) if (r.path !== '/') children.set(parentOf(r.path), [...(children.get(parentOf(r.path)) ?? []), r]);
    const out: Leaf[] = [];
    let rank = 0;
    const visit = (page: PageRow) => {
      if (page.pagetype === 'leaf') {
        out.push({ pageno: page.pageno, start: rank, count: page.ncell });
        rank += page.ncell;
        return;
      }
      const kids = children.get(page.path) ?? [];
      kids.forEach((kid, i) => {
        visit(kid);
        if (withoutRowid && i < page.ncell) rank++;
      });
    };
    visit(rows.find((r) => r.path === '/')!);
    return out;
  } finally {
    db.close();
  }
}

/** Overwrites one whole page with zeros (a page type SQLite cannot read). */
export function zeroPage(file: string, pageno: number): void {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(pageSize), 0, pageSize, (pageno - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}
