import {
  type APIAllowedMentions,
  type APIEmbed,
  type APIEmbedField,
  escapeMarkdown,
  type RESTPostAPIChannelMessageJSONBody,
} from 'discord.js';
import {
  type Block,
  type Card,
  type Inline,
  type Line,
  plainLine,
  type Tone,
} from '../../src/presentation/card.js';
import { type DiscordPlace, messageLink } from './address.js';
import { controlRow } from './controls.js';
import {
  charCount,
  EMBED_LIMITS,
  fitEmbed,
  fitLines,
  packEmbeds,
  splitContent,
  truncate,
} from './embed-limits.js';

/** One Discord message to post: content, embeds, buttons and who may be pinged. */
export type DiscordMessage = Pick<
  RESTPostAPIChannelMessageJSONBody,
  'content' | 'embeds' | 'components' | 'allowed_mentions'
>;

/** Embed colours, by the tone of a card. */
export const COLOURS: Readonly<Record<Tone, number>> = {
  brand: 0x5865f2,
  phase: 0x5865f2,
  interjection: 0xf0b232,
  closing: 0x80848e,
  neutral: 0x80848e,
  good: 0x23a55a,
  fair: 0xf0b232,
  poor: 0xf23f43,
  error: 0xf23f43,
  warning: 0xf0b232,
};

/** Longest candidate quote shown in one line; the rest of the message is a jump link away. */
const QUOTE_CHARS = 240;

/** Longest line of product text in an embed field (whose limit is 1024). */
const PROSE_CHARS = 400;

const SNOWFLAKE = /^\d{1,20}$/;
/** Pings no one: mentions in the text still show, but only `notify` users are pinged. */
const NO_PINGS: APIAllowedMentions = { parse: [] };

/**
 * A card as one or more Discord messages, posted in order; its buttons go on the last one.
 *
 * A card with a title, banner, footer or section is an embed (several, over several messages,
 * when it exceeds Discord's limits); any other card (a few lines) is plain message content. The
 * people the card notifies are mentioned in the first message's content and are the only ones
 * pinged. `place` is where the messages will be posted, for jump links to the candidate's
 * messages; without it quotes show their time only.
 */
export function renderCard(card: Card, place?: DiscordPlace): DiscordMessage[] {
  const line = (l: Line) => renderLine(l, place);
  const notify = card.notify ? notifyContent(card.notify, line) : undefined;
  const messages = isPlain(card)
    ? plainMessages(card, line, notify)
    : embedMessages(card, line, notify);
  const row = controlRow(card.controls);
  const last = messages[messages.length - 1];
  if (row && last) last.components = [row];
  return messages;
}

/** The markdown of one line: its runs side by side. */
function renderLine(line: Line, place?: DiscordPlace): string {
  return line.map((run) => renderInline(run, place)).join('');
}

/** The markdown of one run; product text and quotes are escaped so only our markup counts. */
function renderInline(run: Inline, place?: DiscordPlace): string {
  if (typeof run === 'string') return escapeProduct(run);
  if ('strong' in run) return `**${escapeProduct(run.strong)}**`;
  if ('code' in run) return code(run.code);
  if ('mention' in run) {
    return SNOWFLAKE.test(run.mention) ? `<@${run.mention}>` : escapeWords(`@${run.mention}`);
  }
  if ('date' in run) {
    const seconds = Math.floor(run.date / 1000);
    return `<t:${seconds}:f> (<t:${seconds}:R>)`;
  }
  const words = `“${escapeWords(truncate(run.quote.replace(/\s+/g, ' ').trim(), QUOTE_CHARS))}”`;
  if (run.at === undefined) return words;
  // The time as the card gives it: a link to the message where there is one, else code.
  const stamp =
    place && run.messageId && SNOWFLAKE.test(run.messageId)
      ? `[${escapeWords(run.at)}](${messageLink(place, run.messageId)})`
      : code(run.at);
  return `${stamp} ${words}`;
}

/** Whether a card is shown as plain content rather than an embed. */
function isPlain(card: Card): boolean {
  return (
    card.title === undefined &&
    card.banner === undefined &&
    card.footer === undefined &&
    card.blocks.every((block) => block.type !== 'section')
  );
}

interface NotifyContent {
  readonly text: string;
  readonly allowed: APIAllowedMentions;
}

/** `<@a> <@b> why`: the people a card notifies, pinged and nobody else. */
function notifyContent(
  notify: NonNullable<Card['notify']>,
  line: (l: Line) => string,
): NotifyContent {
  const users = [...new Set(notify.users.filter((id) => SNOWFLAKE.test(id)))];
  const named = new Set(
    notify.line.flatMap((run) =>
      typeof run === 'object' && 'mention' in run ? [run.mention] : [],
    ),
  );
  const mentions = users
    .filter((id) => !named.has(id))
    .map((id) => `<@${id}>`)
    .join(' ');
  const why = line(notify.line);
  const text = mentions && why && !/^\s/.test(why) ? `${mentions} ${why}` : `${mentions}${why}`;
  // Discord takes at most 100 users to ping.
  return { text, allowed: users.length > 0 ? { users: users.slice(0, 100) } : NO_PINGS };
}

/** The lines of a block that is not a section, as markdown. */
function blockLines(
  block: Exclude<Block, { type: 'section' | 'divider' }>,
  line: (l: Line) => string,
): string[] {
  switch (block.type) {
    case 'text':
      return block.lines.map(line);
    case 'quote':
      return block.lines.map((l) => `> ${line(l)}`);
    case 'list':
      return block.items.map((item, i) => `${block.ordered ? `${i + 1}.` : '-'} ${line(item)}`);
    case 'note':
      return block.lines.map((l) => `-# ${line(l)}`);
  }
}

/**
 * Paragraphs as one list of lines: a blank line between paragraphs rides on the next one's first
 * line, so a cut to fit a limit counts and drops whole lines of text.
 */
function paragraphs(groups: readonly string[][]): string[] {
  return groups
    .filter((lines) => lines.length > 0)
    .flatMap((lines, index) => (index === 0 ? lines : [`\n${lines[0]}`, ...lines.slice(1)]));
}

function plainMessages(
  card: Card,
  line: (l: Line) => string,
  notify: NotifyContent | undefined,
): DiscordMessage[] {
  const groups = card.blocks.flatMap((block) =>
    block.type === 'divider' || block.type === 'section' ? [] : [blockLines(block, line)],
  );
  const text = paragraphs(groups).join('\n') || escapeProduct(card.summary);
  const chunks = splitContent(notify?.text ? `${notify.text}\n${text}` : text);
  return chunks.map((content, index) => ({
    content,
    allowed_mentions: index === 0 && notify ? notify.allowed : NO_PINGS,
  }));
}

/** One embed's worth of a card: paragraphs above, fields below. */
interface Part {
  readonly groups: string[][];
  readonly fields: APIEmbedField[];
}

function embedMessages(
  card: Card,
  line: (l: Line) => string,
  notify: NotifyContent | undefined,
): DiscordMessage[] {
  // Fields always show under an embed's description: text after a section starts a new embed,
  // and so does a divider, so the card reads in its own order.
  const parts: Part[] = [{ groups: [], fields: [] }];
  const current = () => parts[parts.length - 1] as Part;
  const fresh = () => {
    const part = current();
    if (part.groups.length > 0 || part.fields.length > 0) parts.push({ groups: [], fields: [] });
  };
  for (const block of card.blocks) {
    if (block.type === 'divider') fresh();
    else if (block.type === 'section') {
      current().fields.push({
        name: plainLine(block.title),
        value: fitLines(block.lines.map(prose).map(line), EMBED_LIMITS.fieldValue),
      });
    } else {
      if (current().fields.length > 0) fresh();
      current().groups.push(blockLines(block, line));
    }
  }
  const colour = COLOURS[card.tone];
  const embeds: APIEmbed[] = parts
    .map((part) => {
      const embed: APIEmbed = { color: colour };
      const lines = paragraphs(part.groups);
      if (lines.length > 0) embed.description = fitLines(lines, EMBED_LIMITS.description);
      if (part.fields.length > 0) embed.fields = part.fields;
      return embed;
    })
    .filter((embed, index) => index === 0 || embed.description || embed.fields);
  const first = embeds[0] as APIEmbed;
  if (card.title) first.title = card.title;
  // Author names and footers show no markdown: plain text.
  if (card.banner) first.author = { name: plainLine(card.banner) };
  if (card.footer)
    (embeds[embeds.length - 1] as APIEmbed).footer = { text: plainLine(card.footer) };
  return packEmbeds(embeds.flatMap(fitEmbed)).map((group, index) => {
    const message: DiscordMessage = { embeds: group, allowed_mentions: NO_PINGS };
    if (index === 0 && notify) {
      if (notify.text) message.content = truncate(notify.text, EMBED_LIMITS.content);
      message.allowed_mentions = notify.allowed;
    }
    return message;
  });
}

/**
 * A line of product text only, cut to {@link PROSE_CHARS}: a long rationale does not crowd the
 * quotes and links after it out of a field. Lines with quotes, mentions or dates stay whole.
 */
function prose(l: Line): Line {
  if (!l.every((run) => typeof run === 'string')) return l;
  const text = l.join('');
  return charCount(text) > PROSE_CHARS ? [truncate(text, PROSE_CHARS)] : l;
}

/** `code`, with a backtick in it kept inside the span. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/**
 * Product text: its `code` spans as they are, and everything else escaped so that only the
 * card's structure is markup.
 */
function escapeProduct(text: string): string {
  return text
    .split(/(`[^`\n]+`)/)
    .map((piece, index) => (index % 2 === 1 ? piece : escapeWords(piece)))
    .join('');
}

/**
 * Text shown as it was written: every markdown character escaped, and mention-like `<@…>`,
 * `<#…>`, `<t:…>` shown as typed rather than as mentions.
 */
function escapeWords(text: string): string {
  const escaped = escapeMarkdown(text, {
    heading: true,
    bulletedList: true,
    numberedList: true,
    maskedLink: true,
  });
  return escaped.replace(/<(?=[@#:/]|a:|t:)/g, '\\<');
}
