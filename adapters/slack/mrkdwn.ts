import { andMore } from '../../src/presentation/format.js';

/**
 * Slack's `mrkdwn` text format in both directions: escaping what we show (so a candidate's quote
 * can never ping `<!channel>` or forge a link), clipping to Block Kit's limits without breaking a
 * link or an entity, and reading a person's message back as plain text.
 */

/** Block Kit limits we render against (https://api.slack.com/reference/block-kit). */
export const LIMITS = {
  /** Blocks in one message. */
  blocks: 50,
  /** Text of a section block (mrkdwn). */
  sectionText: 3000,
  /** Text of a header block (plain_text). */
  headerText: 150,
  /** Elements in a context block. */
  contextElements: 10,
  /** Elements in an actions block. */
  actionElements: 25,
  /** Text of a button (plain_text). */
  buttonText: 75,
  /** Title of a confirmation dialog (plain_text). */
  confirmTitle: 100,
  /** Text of a confirmation dialog (plain_text). */
  confirmText: 300,
  /** The confirm and deny buttons of a confirmation dialog (plain_text). */
  confirmButton: 30,
  /** The top-level `text` of a message we keep under (Slack truncates at 40,000). */
  fallbackText: 3000,
} as const;

/** Escapes the three characters Slack's mrkdwn gives meaning to: `&`, `<` and `>`. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** A mrkdwn link; `url` comes from Slack (a permalink), `label` is escaped. */
export function link(url: string, label: string): string {
  return `<${url}|${escapeMrkdwn(label)}>`;
}

/** Plain text cut to at most `max` UTF-16 units with `…`, never splitting a surrogate pair. */
export function clipPlain(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * Escaped mrkdwn cut to at most `max` units with `…`, never inside a `<link|label>`, an entity
 * such as `&amp;`, or a surrogate pair.
 */
export function clipMrkdwn(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = Math.max(0, max - 1);
  const open = text.lastIndexOf('<', cut - 1);
  if (open > text.lastIndexOf('>', cut - 1)) cut = open;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp > text.lastIndexOf(';', cut - 1)) cut = amp;
  if (isHighSurrogate(text.charCodeAt(cut - 1))) cut -= 1;
  return `${text.slice(0, cut)}…`;
}

/**
 * Joins mrkdwn lines into one text of at most `max` units: whole lines while they fit, then the
 * core's note of how many were left out (a single line too long on its own is clipped).
 */
export function fitLines(lines: readonly string[], max: number): string {
  const out: string[] = [];
  let length = 0;
  for (const [index, line] of lines.entries()) {
    const note = `\n${leftOut(lines.length - index)}`;
    const next = length + (out.length > 0 ? 1 : 0) + line.length;
    const room = index === lines.length - 1 ? max : max - note.length;
    if (next <= room) {
      out.push(line);
      length = next;
      continue;
    }
    if (out.length === 0) return clipMrkdwn(line, max);
    return `${out.join('\n')}${note}`;
  }
  return out.join('\n');
}

/**
 * Groups mrkdwn lines into texts of at most `max` units each, keeping every line whole (a single
 * line too long on its own is clipped), for content that should be shown in full over several
 * blocks rather than cut.
 */
export function chunkLines(lines: readonly string[], max: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let length = 0;
  for (const line of lines) {
    const fitted = clipMrkdwn(line, max);
    const next = length + (current.length > 0 ? 1 : 0) + fitted.length;
    if (current.length > 0 && next > max) {
      chunks.push(current.join('\n'));
      current = [];
      length = 0;
    }
    length += (current.length > 0 ? 1 : 0) + fitted.length;
    current.push(fitted);
  }
  if (current.length > 0) chunks.push(current.join('\n'));
  return chunks;
}

/** The core's note for `n` lines or blocks left out, in italics: `_… and 3 more_`. */
export function leftOut(n: number): string {
  return `_${escapeMrkdwn(andMore(n))}_`;
}

/**
 * A person's message as plain text: Slack's `<@U1|name>`, `<#C1|name>`, `<!here>` and
 * `<https://…|label>` markup turned into readable words, and `&amp;`, `&lt;`, `&gt;` decoded.
 */
export function plainFromSlack(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_match, inner: string) => {
      const [target = '', label] = inner.split('|', 2) as [string, string | undefined];
      if (target.startsWith('@')) return `@${label ?? target.slice(1)}`;
      if (target.startsWith('#')) return `#${label ?? target.slice(1)}`;
      if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
      return label ?? target;
    })
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
