// Puts record classes of ours in place of node-zookeeper-client's jute classes
// of the same names (zk-lean-replies.ts, zk-lean-requests.ts). The library
// looks its classes up on `jute.protocol` at each use, so every client of the
// process gets ours from then on. The library's own are remembered on the
// module itself, so that a second copy of ours (a bundle beside the sources)
// still finds the library's, not the first copy's.
import jute from 'node-zookeeper-client/lib/jute/index.js';

type RecordClass = new (...args: unknown[]) => object;
const remembered = ((jute as { treesnapLibraryClasses?: Record<string, RecordClass> }).treesnapLibraryClasses ??= {});

/** Installs `ours` and returns the library's classes they replace, by the same names. */
export function replaceJuteClasses<K extends string>(ours: Record<K, RecordClass>): Record<K, RecordClass> {
  const library = {} as Record<K, RecordClass>;
  for (const name of Object.keys(ours) as K[]) {
    library[name] = remembered[name] ??= jute.protocol[name]!;
    jute.protocol[name] = ours[name];
  }
  return library;
}
