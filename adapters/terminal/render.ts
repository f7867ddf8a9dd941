import {
  type Block,
  type Card,
  type Inline,
  isoMinute,
  type Line,
} from '../../src/presentation/card.js';
import { formatClock } from '../../src/presentation/format.js';

/** The rule a divider block is drawn as. */
const RULE = '─'.repeat(40);

/**
 * Terminal text for a card, without a trailing newline: the title between `━━` rules, the banner
 * in brackets, each block in plain text (quotes behind `│ `, lists with `•` or numbers, sections
 * as a title over indented lines), then the footer and the notify line. Controls are left out:
 * in the terminal the person types the commands the card names. No words are added here.
 */
export function renderCard(card: Card): string {
  const head: string[] = [];
  if (card.title !== undefined) head.push(`━━ ${clean(card.title)} ━━`);
  if (card.banner !== undefined) head.push(`[${renderLine(card.banner)}]`);
  const parts: string[][] = [];
  if (head.length > 0) parts.push(head);
  for (const block of card.blocks) parts.push(renderBlock(block));
  if (card.footer !== undefined) parts.push([renderLine(card.footer)]);
  if (card.notify !== undefined) parts.push([renderLine(card.notify.line)]);
  return parts.map((lines) => lines.join('\n')).join('\n\n');
}

/** One line as plain terminal text: quotes as `[mm:ss] “words”` (time when known), mentions as `@id`. */
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
    return run.at === undefined ? quote : `[${formatClock(run.at)}] ${quote}`;
  }
  return isoMinute(run.date);
}

function renderBlock(block: Block): string[] {
  switch (block.type) {
    case 'text':
      return block.lines.flatMap((line) => indent(renderLine(line), ''));
    case 'quote':
      return block.lines.flatMap((line) => indent(renderLine(line), '│ '));
    case 'list':
      return block.items.flatMap((item, i) => {
        const marker = block.ordered ? `${i + 1}. ` : '• ';
        return indent(renderLine(item), ' '.repeat(marker.length), marker);
      });
    case 'section':
      return [
        ...indent(renderLine(block.title), ''),
        ...block.lines.flatMap((line) => indent(renderLine(line), '  ')),
      ];
    case 'note':
      return block.lines.flatMap((line) => indent(renderLine(line), ''));
    case 'divider':
      return [RULE];
  }
}

/** The text's lines, each behind `prefix` (the first behind `first` when given). */
function indent(text: string, prefix: string, first = prefix): string[] {
  return text.split('\n').map((line, i) => `${i === 0 ? first : prefix}${line}`);
}

/**
 * The text without control characters other than newlines and tabs, so that nothing in a card
 * (least of all a quote of what someone typed) can move the cursor or recolour the terminal.
 */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
  return text.replace(/\r\n?/g, '\n').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '');
}
