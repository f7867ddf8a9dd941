/**
 * A card's lines as Slack mrkdwn: product text escaped (its backticks stay Slack code), emphasis
 * in `*`, Slack user ids as mentions, the candidate's quotes stamped and linked to their messages,
 * dates in the reader's own time zone. Markup only: every word comes from the card.
 */
import { type Card, type Inline, isoMinute, type Line } from '../../src/presentation/card.js';
import { clipPlain, escapeMrkdwn, link } from './mrkdwn.js';

/** Permalinks of candidate messages by message id (their Slack `ts`). */
export type Permalinks = ReadonlyMap<string, string>;

/** Longest quote shown, in characters, before it is clipped with `…`. */
const QUOTE_CHARS = 280;

/** A Slack user id (`U…`, or `W…` in Enterprise Grid): anything else is no one to mention. */
const SLACK_USER = /^[UW][A-Z0-9]+$/;

/** A line as mrkdwn; `links` turns quote stamps into links to the quoted messages. */
export function mrkdwnLine(line: Line, links: Permalinks = new Map()): string {
  return line.map((run) => mrkdwnRun(run, links)).join('');
}

/**
 * A line as one bold mrkdwn text, e.g. a section's title: its own emphasis is dropped, since
 * Slack cannot nest `*`.
 */
export function boldLine(line: Line, links: Permalinks = new Map()): string {
  const flat = line.map((run) => (typeof run !== 'string' && 'strong' in run ? run.strong : run));
  return bold(mrkdwnLine(flat, links));
}

/** A user mention for a Slack user id; anything else shown as escaped text. */
export function mention(user: string): string {
  return SLACK_USER.test(user) ? `<@${user}>` : escapeMrkdwn(user);
}

/** Whether `line` mentions `user`. */
export function mentions(line: Line, user: string): boolean {
  return line.some((run) => typeof run !== 'string' && 'mention' in run && run.mention === user);
}

/** Message ids of every candidate quote in the card, to look their permalinks up before rendering. */
export function quotedMessageIds(card: Card): string[] {
  const lines: Line[] = [];
  if (card.banner) lines.push(card.banner);
  if (card.notify) lines.push(card.notify.line);
  if (card.footer) lines.push(card.footer);
  for (const block of card.blocks) {
    if (block.type === 'divider') continue;
    if (block.type === 'list') lines.push(...block.items);
    else lines.push(...block.lines);
    if (block.type === 'section') lines.push(block.title);
  }
  const ids = lines.flatMap((line) =>
    line.flatMap((run) =>
      typeof run !== 'string' && 'quote' in run && run.messageId !== undefined
        ? [run.messageId]
        : [],
    ),
  );
  return [...new Set(ids)];
}

function mrkdwnRun(run: Inline, links: Permalinks): string {
  if (typeof run === 'string') return escapeMrkdwn(run);
  if ('strong' in run) return bold(escapeMrkdwn(run.strong));
  if ('code' in run) return run.code === '' ? '' : `\`${escapeMrkdwn(run.code)}\``;
  if ('mention' in run) return mention(run.mention);
  if ('quote' in run) return quote(run, links);
  return date(run.date);
}

/**
 * `*text*`, line by line and with surrounding spaces kept outside the stars: Slack shows a star
 * next to a space, or across a line break, as a plain star.
 */
function bold(text: string): string {
  return text
    .split('\n')
    .map((part) => {
      const [, lead = '', core = '', trail = ''] = /^(\s*)(.*?)(\s*)$/s.exec(part) ?? [];
      return core === '' ? part : `${lead}*${core}*${trail}`;
    })
    .join('\n');
}

/**
 * `[time] “words”` on one line, clipped: the stamp (for a quote with a time, as the card gives it)
 * links to the message where Slack gave a permalink.
 */
function quote(run: Extract<Inline, { quote: string }>, links: Permalinks): string {
  const flat = run.quote.replace(/\s+/g, ' ').trim();
  const words = `“${escapeMrkdwn(clipPlain(flat, QUOTE_CHARS))}”`;
  if (run.at === undefined) return words;
  const stamp = `[${run.at}]`;
  const url = run.messageId === undefined ? undefined : links.get(run.messageId);
  return `${url ? link(url, stamp) : escapeMrkdwn(stamp)} ${words}`;
}

/** Slack's date token, shown in each reader's time zone; the fallback text is UTC. */
function date(ms: number): string {
  if (Number.isNaN(new Date(ms).getTime())) return '';
  return `<!date^${Math.floor(ms / 1000)}^{date_short_pretty} {time}|${isoMinute(ms)}>`;
}
