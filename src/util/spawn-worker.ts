// Starting a worker thread whose entry is one of our modules, from source and
// from the bundle alike. Under tsx (development, tests) the entry is
// TypeScript and the worker does not inherit tsx's loader, so it registers it
// first. In the build (scripts/build.mjs) the caller's code lands in some
// bundle two levels below the package root, where `bundled` (a path like
// '../store/pg-sync-worker.js') names the worker's own bundle.
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * `callerUrl`: the caller's import.meta.url; `source`: the entry beside the
 * caller in src/ ('./pg-sync-worker.ts'); `bundled`: the entry's bundle
 * relative to any bundle of dist/.
 */
export function spawnModuleWorker(callerUrl: string, source: string, bundled: string, options: WorkerOptions = {}): Worker {
  const fromSource = callerUrl.endsWith('.ts');
  const entry = new URL(fromSource ? source : bundled, callerUrl);
  if (!fromSource) return new Worker(entry, options);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry.href)}); })`;
  return new Worker(boot, { ...options, eval: true });
}
