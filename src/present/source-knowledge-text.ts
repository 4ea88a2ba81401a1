// A source's read state as a short note (pure).
import type { SourceKnowledge } from '../query/source-knowledge.js';

export function unknownNote(k: SourceKnowledge, where: string): string | null {
  if (k.known) return null;
  const last = k.lastOkSnapshot !== null ? `as last read in #${k.lastOkSnapshot}` : 'never read';
  return `UNKNOWN ${where} (${k.error.kind}: ${k.error.message}); ${last}`;
}
