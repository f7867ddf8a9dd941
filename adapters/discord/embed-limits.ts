import type { APIEmbed, APIEmbedField } from 'discord.js';
import { andMore } from '../../src/presentation/format.js';

/** Discord's embed limits, in characters (code points) unless said otherwise. */
export const EMBED_LIMITS = {
  title: 256,
  description: 4096,
  /** Fields per embed. */
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footer: 2048,
  author: 256,
  /** Title, description, field names and values, footer and author of every embed of a message. */
  total: 6000,
  /** Embeds per message. */
  perMessage: 10,
  /** Plain message content. */
  content: 2000,
} as const;

/** Length as Discord counts it: code points, so an emoji is never split in half. */
export function charCount(text: string | undefined): number {
  return text === undefined ? 0 : [...text].length;
}

/** `text` cut to at most `max` code points, ending with `…` when it was cut. */
export function truncate(text: string, max: number): string {
  const points = [...text];
  if (points.length <= max) return text;
  if (max <= 1) return points.slice(0, max).join('');
  return `${points
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * Whole lines joined with newlines while they fit in `max`; the lines left over are summed up as
 * {@link andMore} (`… and N more`), so a link or quote is never cut in the middle. A first line that alone is too
 * long is truncated.
 */
export function fitLines(lines: readonly string[], max: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const left = lines.length - index - 1;
    const more = left > 0 ? `\n${andMore(left)}` : '';
    const cost = charCount(line) + (kept.length > 0 ? 1 : 0);
    if (used + cost + charCount(more) <= max || (kept.length === 0 && left === 0)) {
      kept.push(kept.length === 0 && left === 0 ? truncate(line, max) : line);
      used += cost;
      continue;
    }
    if (kept.length === 0) return `${truncate(line, Math.max(1, max - charCount(more)))}${more}`;
    return `${kept.join('\n')}\n${andMore(lines.length - index)}`;
  }
  return kept.join('\n');
}

/** Characters of an embed that count towards the 6000 limit. */
export function embedLength(embed: APIEmbed): number {
  return (
    charCount(embed.title) +
    charCount(embed.description) +
    charCount(embed.footer?.text) +
    charCount(embed.author?.name) +
    (embed.fields ?? []).reduce((sum, f) => sum + charCount(f.name) + charCount(f.value), 0)
  );
}

/**
 * An embed cut to Discord's limits: every part truncated, and its fields spread over continuation
 * embeds (same colour, no title) so that none has more than 25 fields or 6000 characters. The
 * footer goes under the last part.
 */
export function fitEmbed(embed: APIEmbed): APIEmbed[] {
  const { fields = [], footer, ...rest } = embed;
  const base: APIEmbed = { ...rest };
  if (base.title !== undefined) base.title = truncate(base.title, EMBED_LIMITS.title);
  if (base.author)
    base.author = { ...base.author, name: truncate(base.author.name, EMBED_LIMITS.author) };
  if (base.description !== undefined) {
    const others = embedLength({ ...base, description: undefined });
    const room = Math.min(EMBED_LIMITS.description, Math.max(1, EMBED_LIMITS.total - others));
    base.description = truncate(base.description, room);
  }
  const parts: APIEmbed[] = [];
  let current: APIEmbed = { ...base, fields: [] };
  let length = embedLength(current);
  for (const field of fields.map(fitField)) {
    const size = charCount(field.name) + charCount(field.value);
    const full =
      (current.fields?.length ?? 0) >= EMBED_LIMITS.fields || length + size > EMBED_LIMITS.total;
    if (full) {
      // The first part may be full with its description alone: its fields then all continue.
      if (hasContent(current)) parts.push(current);
      current = { fields: [] };
      if (base.color !== undefined) current.color = base.color;
      length = 0;
    }
    current.fields?.push(field);
    length += size;
  }
  if (hasContent(current)) parts.push(current);
  const fitted = parts.map((part) => (part.fields?.length ? part : withoutFields(part)));
  if (footer) {
    const text = truncate(footer.text, EMBED_LIMITS.footer);
    const last = fitted[fitted.length - 1];
    if (last && embedLength(last) + charCount(text) <= EMBED_LIMITS.total) {
      last.footer = { ...footer, text };
    } else {
      fitted.push({
        ...(base.color === undefined ? {} : { color: base.color }),
        footer: { ...footer, text },
      });
    }
  }
  return fitted;
}

function fitField(field: APIEmbedField): APIEmbedField {
  // Discord refuses an empty field name or value.
  const fitted: APIEmbedField = {
    name: truncate(field.name.trim() || '—', EMBED_LIMITS.fieldName),
    value: truncate(field.value.trim() || '—', EMBED_LIMITS.fieldValue),
  };
  if (field.inline !== undefined) fitted.inline = field.inline;
  return fitted;
}

function hasContent(embed: APIEmbed): boolean {
  return (embed.fields?.length ?? 0) > 0 || embedLength(embed) > 0;
}

function withoutFields(embed: APIEmbed): APIEmbed {
  const { fields: _fields, ...rest } = embed;
  return rest;
}

/** Embeds grouped into messages of at most 10 embeds and 6000 characters each, in order. */
export function packEmbeds(embeds: readonly APIEmbed[]): APIEmbed[][] {
  const messages: APIEmbed[][] = [];
  let current: APIEmbed[] = [];
  let length = 0;
  for (const embed of embeds) {
    const size = embedLength(embed);
    if (
      current.length > 0 &&
      (current.length >= EMBED_LIMITS.perMessage || length + size > EMBED_LIMITS.total)
    ) {
      messages.push(current);
      current = [];
      length = 0;
    }
    current.push(embed);
    length += size;
  }
  if (current.length > 0) messages.push(current);
  return messages;
}

/** Plain text split at line breaks into messages of at most 2000 characters. */
export function splitContent(text: string, max: number = EMBED_LIMITS.content): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    let rest = line;
    while (charCount(rest) > max) {
      if (current) chunks.push(current);
      current = '';
      const points = [...rest];
      chunks.push(points.slice(0, max).join(''));
      rest = points.slice(max).join('');
    }
    const joined = current ? `${current}\n${rest}` : rest;
    if (charCount(joined) > max) {
      chunks.push(current);
      current = rest;
    } else current = joined;
  }
  if (current.trim()) chunks.push(current);
  return chunks.length > 0 ? chunks : [truncate(text, max)];
}
