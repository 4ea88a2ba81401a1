// A checkpoint's text read in pieces (checkpoint-text.ts) gives what one
// JSON.parse of the whole text gives, for every text encodeState can write
// (cuts guessed wrong included), and reads as damaged (null) whatever that
// parse would not accept as kind groups.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { FACT_KINDS, type FactKind } from '../../../src/snapshot/fact.js';
import { decodeState, encodeState, packState, type StoredFact } from '../../../src/store/checkpoint-format.js';
import { parseStateText } from '../../../src/store/checkpoint-text.js';

/** The reference: the whole text through JSON.parse, as kind → strings, or null. */
function wholeParse(text: string): Map<string, string[]> | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return null;
  const out = new Map<string, string[]>();
  for (const [kind, list] of Object.entries(parsed)) {
    if (!(FACT_KINDS as string[]).includes(kind) || !Array.isArray(list) || list.some((x) => typeof x !== 'string')) return null;
    out.set(kind, list);
  }
  return out;
}

const read = (text: string) => parseStateText(Buffer.from(text, 'utf8'));

// Strings made of the characters that decide where a piece may be cut: quotes,
// backslashes, commas and brackets, next to plain and non-ASCII text.
const tricky = fc.array(fc.constantFrom('"', '\\', ',', '[', ']', '{', '}', ':', 'a', 'ß', '🛰', '\n', '","', '],"', '\\"'), { maxLength: 24 }).map((parts) => parts.join(''));
const fact = fc.record({ kind: fc.constantFrom<FactKind>(...FACT_KINDS), entity: tricky, value: tricky });

test('any state encodeState writes reads back in pieces as the whole parse reads it', () => {
  fc.assert(
    fc.property(fc.array(fact, { maxLength: 30 }), (facts) => {
      const text = encodeState(facts as StoredFact[]);
      assert.deepEqual(read(text), wholeParse(text));
    }),
    { numRuns: 500 },
  );
});

test('a state larger than a piece is cut only between elements, however its values end', () => {
  // Values ending in backslashes and escaped quotes sit on every cut's doorstep: 6,000 pairs, ~600 KB, ~12 pieces.
  const endings = ['\\', '\\\\', '"', '\\"', '","', '],"', 'ok', 'ü'];
  const facts: StoredFact[] = [];
  for (let i = 0; i < 6000; i++) {
    const kind = FACT_KINDS[i % 3]!;
    facts.push({ kind, entity: `host-${i}${endings[i % endings.length]}`, value: JSON.stringify({ n: i, pad: 'x'.repeat(i % 70), tail: endings[(i * 7) % endings.length] }) });
  }
  const text = encodeState(facts);
  assert.ok(text.length > 10 * 48 * 1024);
  const groups = read(text);
  assert.deepEqual(groups, wholeParse(text));
  assert.deepEqual(decodeState(packState(text)), groups);
});

test('an empty state, and empty kinds among full ones, read as written', () => {
  for (const text of ['{}', '{"placement":[]}', '{"placement":[],"leaf":["a","b"]}', '{"leaf":["a","b"],"placement":[]}']) assert.deepEqual(read(text), wholeParse(text), text);
});

test('what is not kind groups of strings reads as damaged, and what the whole parse accepts is read as it reads it', () => {
  const texts = [
    '',
    '{',
    '[]',
    '{"placement":["a","b"]',
    '{"placement":["a","b"]}x',
    '{"nokind":["a","b"]}',
    '{"placement":["a",1]}',
    '{"placement":[["a"],"b"]}',
    '{"placement":[["a"],"b"],"leaf":["c","d"]}',
    '{"placement":["a","b"],}',
    '{"placement":"ab"}',
    '{placement:["a","b"]}',
    '{"placement":["a","b"] ,"leaf":[]}',
  ];
  for (const text of texts) assert.deepEqual(read(text), wholeParse(text), text);
  assert.equal(texts.filter((t) => read(t) === null).length, texts.length - 1);
});

test('a cut guessed inside a string (a value that opens with a comma, or ends in "],") falls back to the whole parse', () => {
  // Every value opens with `,` so each `","` guessed after 48 KB opens an element, and one entity ends in `],`.
  const facts: StoredFact[] = [];
  for (let i = 0; i < 3000; i++) facts.push({ kind: 'placement', entity: i === 2999 ? 'last],' : `,h${i}`, value: `,${'v'.repeat(40)}` });
  facts.push({ kind: 'leaf', entity: ',x', value: '],' });
  const text = encodeState(facts);
  assert.ok(text.length > 3 * 48 * 1024);
  assert.deepEqual(read(text), wholeParse(text));
});

test('a text cut short anywhere is damaged or, at a cut that leaves valid JSON, what the whole parse reads', () => {
  const text = encodeState([
    { kind: 'placement', entity: 'h"1', value: '{"leaf":"a\\\\"}' },
    { kind: 'leaf', entity: 'l,1', value: '["x","y"]' },
  ]);
  for (let n = 0; n < text.length; n++) assert.deepEqual(read(text.slice(0, n)), wholeParse(text.slice(0, n)), text.slice(0, n));
});

test('the bytes read are as they were afterwards: states read in pieces, cuts guessed wrong, damaged texts', () => {
  // The pieces' brackets are written over the bytes either side of each piece while it is parsed.
  const big: StoredFact[] = [];
  for (let i = 0; i < 3000; i++) big.push({ kind: 'placement', entity: i % 500 === 0 ? `,h${i}],` : `h${i}`, value: `,${'v'.repeat(40 + (i % 9))}` });
  const texts = [encodeState(big), encodeState(big.slice(0, 2999)), '{"placement":["a",1]}', '{"placement":["a","b"]', '{"nokind":["a","b"]}'];
  for (let i = 0; i < 2000; i++) big[i] = { kind: 'leaf', entity: `l${i}`, value: 'x'.repeat(i % 50) };
  texts.push(encodeState(big), encodeState(big).slice(0, 100_000));
  for (const text of texts) {
    const bytes = Buffer.from(text, 'utf8');
    const copy = Buffer.from(bytes);
    parseStateText(bytes);
    assert.ok(bytes.equals(copy), text.slice(0, 40));
  }
});
