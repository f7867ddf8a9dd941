/**
 * The presentation model: every card the bot shows, as plain data. The core writes each sentence
 * once, here or in rubric data; each adapter only translates a card into its own markup (Block
 * Kit, a Discord embed, terminal text) and never adds words, checks or decisions of its own.
 */

/** What a card is, so an adapter can pick a colour or an icon and a test can find it. */
export type CardKind =
  | 'prompt'
  | 'interviewer'
  | 'scorecard'
  | 'status'
  | 'help'
  | 'history'
  | 'prompts'
  | 'confirmation'
  | 'refusal'
  | 'apology'
  | 'notice'
  | 'challenge'
  | 'leaderboard'
  | 'schedules';

/**
 * How a card should feel: adapters map it to a colour (Discord), an emoji-free accent (Slack) or
 * nothing (terminal). `good`/`fair`/`poor` grade a scorecard.
 */
export type Tone =
  | 'neutral'
  | 'brand'
  | 'phase'
  | 'interjection'
  | 'closing'
  | 'good'
  | 'fair'
  | 'poor'
  | 'warning'
  | 'error';

/** A run of text inside a line. Product text is plain; a quote is the candidate's own words. */
export type Inline =
  /**
   * Product text, written by the core or the rubric. It may mark a command as `code` with
   * backticks (both chat platforms show that as code, the terminal as it is); adapters escape
   * whatever else their markup would read in it. Anything a person wrote is a `quote`, never this.
   */
  | string
  /** Emphasised product text: a name, a label. */
  | { readonly strong: string }
  /** A command or identifier the person can type, e.g. `next`. */
  | { readonly code: string }
  /** A person, by platform user id; adapters mention them where the platform can. */
  | { readonly mention: string }
  /**
   * Words of the candidate (or a rewrite of them), shown as a quote; with `at`, stamped with the
   * round time they were said at, written as the rest of the card gives times (`12:03` in a live
   * round, `19 h 12 min` in an async one), and with a `messageId` too, linked to the message where
   * the platform can. Adapters escape it: it is never markup.
   */
  | { readonly quote: string; readonly at?: string; readonly messageId?: string }
  /** A point in time (epoch ms), in the platform's own date format where it has one. */
  | { readonly date: number };

/** One line of text: runs shown side by side. */
export type Line = readonly Inline[];

/** A part of a card's body. */
export type Block =
  /** Paragraph lines. */
  | { readonly type: 'text'; readonly lines: readonly Line[] }
  /** Lines set off as a block quote (the prompt's context). */
  | { readonly type: 'quote'; readonly lines: readonly Line[] }
  /** A bulleted or numbered list. */
  | { readonly type: 'list'; readonly ordered: boolean; readonly items: readonly Line[] }
  /**
   * A titled group of lines (a criterion, the red flags, the phase plan). Adapters show the title
   * as a label (Discord: an embed field's name; Slack: a bold first line).
   */
  | { readonly type: 'section'; readonly title: Line; readonly lines: readonly Line[] }
  /** Small print: how the card came about, hints. */
  | { readonly type: 'note'; readonly lines: readonly Line[] }
  | { readonly type: 'divider' };

/**
 * What a button does; the id is also the core command it stands for (`attempt`: start my attempt
 * at the team challenge in the control's `value`; `next`: move on from the phase in its `value`).
 */
export type ControlId = 'next' | 'end' | 'attempt';

/** A button offered with a card. */
export interface Control {
  readonly id: ControlId;
  readonly label: string;
  readonly style: 'primary' | 'danger' | 'default';
  /**
   * What the button is about, carried back when it is pressed (the challenge id of `attempt`, the
   * phase `next` was posted in); at most 40 characters of letters, digits, `-` and `_` (see
   * `isControlValue`), so it fits in every platform's button.
   */
  readonly value?: string;
  /** A confirmation to ask before acting, where the platform can. */
  readonly confirm?: {
    readonly title: string;
    readonly text: string;
    readonly yes: string;
    readonly no: string;
  };
  /**
   * Platform user ids who may press it (empty: anyone). The core checks again whoever presses:
   * this is for platforms that can hide or disable a button for others.
   */
  readonly onlyFor: readonly string[];
}

/** Whether `value` may ride on a control (`Control.value`): 1–40 letters, digits, `-` or `_`. */
export function isControlValue(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,40}$/.test(value);
}

/** One card: a message the bot posts, or a private answer to one person. */
export interface Card {
  readonly kind: CardKind;
  readonly tone: Tone;
  /** The card in one plain line, for notifications, screen readers and text-only clients. */
  readonly summary: string;
  /** Headline, e.g. the prompt's title or "Scorecard — 72/100 · Hire". */
  readonly title?: string;
  /** A short line above the body: who speaks, where and when ("Interviewer · Framing · 12:00"). */
  readonly banner?: Line;
  readonly blocks: readonly Block[];
  /** A closing line under the body, e.g. which engine scored a scorecard. */
  readonly footer?: Line;
  readonly controls: readonly Control[];
  /** People to notify with the card, and the line that tells them why. */
  readonly notify?: { readonly users: readonly string[]; readonly line: Line };
  /** The name of the thread this card opens, when it is posted as a thread's first message. */
  readonly threadName?: string;
  /** How long that thread must stay open for the round, in minutes (platforms that archive). */
  readonly threadMinutes?: number;
}

/** The text of a line with every run as plain text (quotes in curly quotes, code as is). */
export function plainLine(line: Line, formatDate: (ms: number) => string = isoMinute): string {
  return line
    .map((run) => {
      if (typeof run === 'string') return run;
      if ('strong' in run) return run.strong;
      if ('code' in run) return run.code;
      if ('mention' in run) return `@${run.mention}`;
      if ('quote' in run) return `“${run.quote}”`;
      return formatDate(run.date);
    })
    .join('');
}

/** `2026-12-03 14:05 UTC`: a date where the platform has no format of its own. */
export function isoMinute(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** The whole card as plain text, one line per line of it (logs, tests, text-only surfaces). */
export function cardText(card: Card): string {
  const lines: string[] = [];
  if (card.notify) lines.push(plainLine(card.notify.line));
  if (card.title) lines.push(card.title);
  if (card.banner) lines.push(plainLine(card.banner));
  for (const block of card.blocks) {
    if (block.type === 'divider') continue;
    if (block.type === 'section') lines.push(plainLine(block.title));
    const body = block.type === 'list' ? block.items : block.lines;
    for (const line of body) lines.push(plainLine(line));
  }
  if (card.footer) lines.push(plainLine(card.footer));
  return lines.join('\n');
}
