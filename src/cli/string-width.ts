// The terminal width of a string, for yargs' help layout: bundled in place of
// the string-width package (scripts/build.mjs). string-width's Unicode-set
// regexes (the /v flag: \p{RGI_Emoji}, ...) cost V8 about 70 ms to compile on
// every CLI call on our machines, a quarter of a whole query's budget, to lay
// out help text that is ASCII. This is the classic wcwidth rule: ANSI escapes
// and combining marks take no column, East Asian wide characters and emoji
// two, everything else one.
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]/g;
const ZERO_WIDTH = /[\u0000-\u001f\u007f-\u009f\u0300-\u036f\u200b-\u200f\u20d0-\u20ff\ufe00-\ufe0f]/;

// Inclusive code point ranges two columns wide.
const WIDE: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

function isWide(codePoint: number): boolean {
  return WIDE.some(([lo, hi]) => codePoint >= lo && codePoint <= hi);
}

export default function stringWidth(text: string): number {
  let width = 0;
  for (const ch of text.replace(ANSI, '')) {
    if (ZERO_WIDTH.test(ch)) continue;
    width += isWide(ch.codePointAt(0)!) ? 2 : 1;
  }
  return width;
}
