// The layering of src/ as a check (README "Layout"): every import between the
// top folders of src/ runs downward in LAYERS, and no files import each other
// in a loop. Reads the imports as text (static, `export ... from`, dynamic
// `import()`), type-only ones included: a type is a dependency too.
//   tsx scripts/check-layers.ts   (exit 1 and one line per problem if any)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** Lowest first. A folder may import its own files and those of lower layers only; one layer's folders do not import each other. */
export const LAYERS: readonly (readonly string[])[] = [
  ['generated', 'model', 'errors'],
  ['util'],
  ['config', 'wire'],
  ['sources'],
  ['snapshot'],
  ['store'],
  ['query'],
  ['collect'],
  ['record'],
  ['present', 'sim'],
  ['verify'],
  ['report', 'daemon'],
  ['doctor'],
  ['cli'],
];

export interface ImportEdge {
  from: string;
  to: string;
}

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...tsFiles(p));
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

/** Every relative import between files of `srcDir`, as paths relative to it (".js" read as ".ts"). */
export function importEdges(srcDir: string): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const file of tsFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith('.')) continue;
      const target = resolve(dirname(file), spec).replace(/\.js$/, '.ts');
      edges.push({ from: relative(srcDir, file), to: relative(srcDir, target) });
    }
  }
  return edges;
}

/** "cli" for "cli/commands/x.ts", "errors" for "errors.ts". */
export function topFolder(path: string): string {
  const first = path.split(/[\\/]/)[0]!;
  return first.replace(/\.(d\.)?ts$/, '');
}

function layerOf(folder: string): number {
  return LAYERS.findIndex((l) => l.includes(folder));
}

/** Imports that run up a layer, sideways between folders of one layer, or into a folder no layer names. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const out: string[] = [];
  for (const e of edges) {
    const a = topFolder(e.from);
    const b = topFolder(e.to);
    if (a === b) continue;
    const la = layerOf(a);
    const lb = layerOf(b);
    if (la < 0 || lb < 0) out.push(`${e.from} -> ${e.to}: folder ${la < 0 ? a : b} has no layer in scripts/check-layers.ts`);
    else if (lb >= la) out.push(`${e.from} -> ${e.to}: ${a} may not import ${b} (${lb === la ? 'same layer' : 'upward'})`);
  }
  return out;
}

/** Each loop of files importing each other, once, as "a -> b -> a" (Tarjan's strongly connected components). */
export function importCycles(edges: readonly ImportEdge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      scc.push(w);
    } while (w !== v);
    if (scc.length > 1) cycles.push(`import loop: ${scc.sort().join(', ')}`);
  };
  for (const v of next.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

/** Things one place owns: the raw SQLite client (the store), pg (the PostgreSQL store) and the process's exit status (the CLI's program). */
export const OWNERS: readonly { what: string; pattern: RegExp; owner: (path: string) => boolean }[] = [
  { what: 'the raw SQLite client ($client)', pattern: /\$client\b/, owner: (p) => topFolder(p) === 'store' },
  { what: 'better-sqlite3', pattern: /from\s*['"]better-sqlite3['"]/, owner: (p) => topFolder(p) === 'store' },
  // The PostgreSQL driver: loaded only by the PostgreSQL store, so SQLite calls never load it.
  { what: 'pg', pattern: /from\s*['"]pg['"]|import\(\s*['"]pg['"]\s*\)/, owner: (p) => p.startsWith(join('store', 'postgres') + sep) },
  { what: 'process.exitCode', pattern: /process\.exitCode\s*=/, owner: (p) => p === join('cli', 'program.ts') },
];

/** Files that use what another place owns, as "file: uses X (owned by ...)" lines; `files` maps a path under src/ to its text. */
export function ownershipViolations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of files) {
    for (const o of OWNERS) if (!o.owner(path) && o.pattern.test(text)) out.push(`${path}: uses ${o.what}, which only its owner may`);
  }
  return out;
}

function sourceTexts(srcDir: string): Map<string, string> {
  return new Map(tsFiles(srcDir).map((f) => [relative(srcDir, f), readFileSync(f, 'utf8')]));
}

export function checkLayers(srcDir: string): string[] {
  const edges = importEdges(srcDir);
  return [...layerViolations(edges), ...importCycles(edges), ...ownershipViolations(sourceTexts(srcDir))];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const problems = checkLayers(resolve('src'));
  for (const p of problems) process.stderr.write(`check-layers: ${p}\n`);
  process.exit(problems.length ? 1 : 0);
}
