import {
  type Block,
  type Card,
  type Inline,
  isoMinute,
  type Line,
} from '../../src/presentation/card.js';
import { graphemes, graphemeWidth, textWidth } from './text-width.js';

/** The rule a divider block is drawn as. */
const RULE = '─'.repeat(40);

/** How the text is laid out. */
export interface RenderOptions {
  /**
   * Columns to wrap each line to, at word boundaries (and between CJK characters and emoji), a
   * wrapped line continuing under its own indent; every line whole when absent (output to a file
   * or a pipe). Wide characters count as two columns.
   */
  readonly width?: number;
}

/**
 * Terminal text for a card, without a trailing newline: the title between `━━` rules, the banner
 * in brackets, each block in plain text (quotes behind `│ `, lists with `•` or numbers, sections
 * as a title over indented lines), then the footer and the notify line. Controls are left out:
 * in the terminal the person types the commands the card names. No words are added here.
 */
export function renderCard(card: Card, options: RenderOptions = {}): string {
  const { width } = options;
  const head: string[] = [];
  if (card.title !== undefined) head.push(...indent(`━━ ${clean(card.title)} ━━`, '', '', width));
  if (card.banner !== undefined)
    head.push(...indent(`[${renderLine(card.banner)}]`, '', '', width));
  const parts: string[][] = [];
  if (head.length > 0) parts.push(head);
  for (const block of card.blocks) parts.push(renderBlock(block, width));
  if (card.footer !== undefined) parts.push(indent(renderLine(card.footer), '', '', width));
  if (card.notify !== undefined) parts.push(indent(renderLine(card.notify.line), '', '', width));
  return parts.map((lines) => lines.join('\n')).join('\n\n');
}

/**
 * The columns to wrap a card to on `output`: its width when it is a terminal, at most `max` (long
 * lines of prose are hard to read); undefined (no wrapping) when it is a file or a pipe.
 */
export function terminalWidth(output: NodeJS.WritableStream, max = 100): number | undefined {
  const { isTTY, columns } = output as { isTTY?: boolean; columns?: number };
  return isTTY && columns !== undefined && columns > 0 ? Math.min(columns, max) : undefined;
}

/** One line as plain terminal text: quotes as `[time] “words”` (time when known), mentions as `@id`. */
export function renderLine(line: Line): string {
  return line.map(renderRun).join('');
}

function renderRun(run: Inline): string {
  if (typeof run === 'string') return clean(run);
  if ('strong' in run) return clean(run.strong);
  if ('code' in run) return clean(run.code);
  if ('mention' in run) return `@${clean(run.mention)}`;
  if ('quote' in run) {
    const quote = `“${clean(run.quote)}”`;
    return run.at === undefined ? quote : `[${clean(run.at)}] ${quote}`;
  }
  return isoMinute(run.date);
}

function renderBlock(block: Block, width: number | undefined): string[] {
  switch (block.type) {
    case 'text':
      return block.lines.flatMap((line) => indent(renderLine(line), '', '', width));
    case 'quote':
      return block.lines.flatMap((line) => indent(renderLine(line), '│ ', '│ ', width));
    case 'list':
      return block.items.flatMap((item, i) => {
        const marker = block.ordered ? `${i + 1}. ` : '• ';
        return indent(renderLine(item), ' '.repeat(marker.length), marker, width);
      });
    case 'section':
      return [
        ...indent(renderLine(block.title), '', '', width),
        ...block.lines.flatMap((line) => indent(renderLine(line), '  ', '  ', width)),
      ];
    case 'note':
      return block.lines.flatMap((line) => indent(renderLine(line), '', '', width));
    case 'divider':
      return [RULE];
  }
}

/**
 * The text's lines, each behind `prefix` (the first behind `first`), wrapped to `width` when
 * given: a row that goes on continues behind `prefix`, under the line's own leading spaces and
 * bullet (`• `, `⚑ `, `1. `), so a wrapped item still reads as one.
 */
function indent(text: string, prefix: string, first: string, width?: number): string[] {
  return text.split('\n').flatMap((line, i) => {
    const before = i === 0 ? first : prefix;
    if (width === undefined || textWidth(before + line) <= width) return [before + line];
    const hang = /^ *(?:(?:[•⚑]|\d+\.) )?/.exec(line)?.[0] ?? '';
    return wrap(before, line, prefix + ' '.repeat(textWidth(hang)), width);
  });
}

/**
 * `line` behind `before`, broken into rows of at most `width` columns at spaces and between the
 * pieces of a word (a longer piece overflows).
 */
function wrap(before: string, line: string, hanging: string, width: number): string[] {
  const lead = /^ */.exec(line)?.[0] ?? '';
  const rows: string[] = [];
  let row = `${before}${lead}`;
  let used = textWidth(row);
  let empty = true;
  for (const [i, word] of line.slice(lead.length).split(' ').entries()) {
    for (const [j, piece] of pieces(word).entries()) {
      // A space between words is kept within a row and dropped where the row ends.
      const joint = i > 0 && j === 0 ? ' ' : '';
      const columns = textWidth(piece);
      if (empty || used + joint.length + columns <= width) {
        row += empty ? piece : joint + piece;
        used += empty ? columns : joint.length + columns;
      } else {
        rows.push(row.trimEnd());
        row = hanging + piece;
        used = textWidth(hanging) + columns;
      }
      empty = false;
    }
  }
  rows.push(row);
  return rows;
}

/**
 * A word's pieces, between which a row may end as at a space. CJK text and emoji are written
 * without spaces, so a row may end before or after a wide character, but not before closing
 * punctuation (`。`, `」`, `ー`) nor after opening punctuation (`「`); a grapheme (a surrogate
 * pair, an emoji joined by zero-width joiners, a letter with its accents) is never broken.
 */
function pieces(word: string): string[] {
  const found: string[] = [];
  let piece = '';
  let previous = '';
  for (const grapheme of graphemes(word)) {
    const wide = graphemeWidth(grapheme) === 2 || graphemeWidth(previous) === 2;
    if (piece !== '' && wide && !NO_ROW_START.test(grapheme) && !NO_ROW_END.test(previous)) {
      found.push(piece);
      piece = '';
    }
    piece += grapheme;
    previous = grapheme;
  }
  found.push(piece);
  return found;
}

/** Punctuation a row may not start with: closing marks, and kana that lean on the one before. */
const NO_ROW_START =
  /^[)\]}.,:;!?%’”»、。，．：；？！）］｝〕〉》」』】〙〗〟ー々〻ゝゞヽヾぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ・…‥゛゜]/u;

/** Punctuation a row may not end with: opening marks. */
const NO_ROW_END = /[([{“‘«（［｛〔〈《「『【〘〖〝]$/u;

/**
 * The text without control characters other than newlines and tabs, so that nothing in a card
 * (least of all a quote of what someone typed) can move the cursor or recolour the terminal.
 */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
