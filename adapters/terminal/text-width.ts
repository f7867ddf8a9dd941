/**
 * How many columns text takes on a terminal, counted by grapheme (what reads as one character: a
 * letter with its accents, an emoji with its skin tone, a flag, a family joined by zero-width
 * joiners), so that lines are wrapped to what the terminal draws and never broken inside one.
 */

/** Splits text into graphemes by the Unicode rules (surrogate pairs and ZWJ sequences stay whole). */
const SEGMENTER = new Intl.Segmenter('en', { granularity: 'grapheme' });

/**
 * Code point ranges that are East Asian Wide or Fullwidth and not emoji (those are found by
 * their emoji presentation): CJK ideographs, kana, Hangul syllables, CJK punctuation and
 * fullwidth forms. Halfwidth kana (U+FF61–FFDC) take one column and are not here.
 */
const WIDE: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f], // Hangul Jamo leading consonants
  [0x2329, 0x232a], // angle brackets
  [0x2630, 0x2637], // trigrams
  [0x268a, 0x268f], // monograms and digrams
  [0x2e80, 0x303e], // CJK and Kangxi radicals, ideographic description, CJK symbols and punctuation
  [0x3041, 0x3247], // kana, Bopomofo, Hangul compatibility Jamo, enclosed CJK letters
  [0x3250, 0x4dbf], // enclosed CJK letters, CJK compatibility, CJK extension A
  [0x4dc0, 0x4dff], // Yijing hexagram symbols
  [0x4e00, 0xa4cf], // CJK unified ideographs, Yi
  [0xa960, 0xa97f], // Hangul Jamo extended-A
  [0xac00, 0xd7a3], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xfe10, 0xfe19], // vertical forms
  [0xfe30, 0xfe6f], // CJK compatibility forms, small form variants
  [0xff01, 0xff60], // fullwidth ASCII and brackets
  [0xffe0, 0xffe6], // fullwidth signs
  [0x16fe0, 0x16fff], // ideographic symbols and punctuation
  [0x17000, 0x18dff], // Tangut, Khitan
  [0x1aff0, 0x1b2ff], // kana extensions, Nushu
  [0x1d300, 0x1d356], // Tai Xuan Jing symbols
  [0x1d360, 0x1d376], // counting rod numerals
  [0x1f200, 0x1f2ff], // enclosed ideographic supplement
  [0x20000, 0x3fffd], // CJK extensions B and later, planes 2 and 3
];

/** Columns `text` takes on a terminal. */
export function textWidth(text: string): number {
  let width = 0;
  for (const { segment } of SEGMENTER.segment(text)) width += graphemeWidth(segment);
  return width;
}

/** The graphemes of `text`, in order: a line may be broken between them, never inside one. */
export function graphemes(text: string): string[] {
  return Array.from(SEGMENTER.segment(text), (s) => s.segment);
}

/**
 * Columns one grapheme takes: two for an emoji drawn as a picture (by default, or asked for with
 * the variation selector U+FE0F) and for an East Asian wide or fullwidth character; none for one
 * that is only marks or format characters (a zero-width space, a lone joiner); one otherwise,
 * ambiguous-width characters (`“`, `•`, `█`, `━`) included, as a terminal drawing Western text
 * draws them.
 */
export function graphemeWidth(grapheme: string): 0 | 1 | 2 {
  const first = grapheme.codePointAt(0);
  if (first === undefined) return 0;
  if (EMOJI_PICTURE.test(grapheme) || (grapheme.includes('\ufe0f') && EMOJI.test(grapheme))) {
    return 2;
  }
  // A soft hyphen is a format character that terminals draw as a hyphen.
  if (ZERO_WIDTH.test(grapheme) && first !== 0xad) return 0;
  return WIDE.some(([from, to]) => first >= from && first <= to) ? 2 : 1;
}

/** Characters drawn as emoji pictures by default (flags' regional indicators included). */
const EMOJI_PICTURE = /\p{Emoji_Presentation}/u;
/** A grapheme that starts with a character that can be an emoji (`❤`, `1` of a keycap). */
const EMOJI = /^\p{Emoji}/u;
/** A grapheme made of combining marks, format characters and line separators only. */
const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}\p{Zl}\p{Zp}]+$/u;
