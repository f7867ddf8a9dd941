/**
 * What the fake Slack recorded (Web API calls, channel messages, ephemerals, response-URL POSTs),
 * the message timestamps it issued, and waiting until a recording matches.
 */
import { EventEmitter } from 'node:events';
import type { FakeSlackSettings } from './options.js';
import type { ResponseUrlContext, SlackPayload } from './workspace.js';

/** How long `waitFor*` helpers wait by default, in milliseconds. */
export const DEFAULT_WAIT_MS = 5_000;

/** One Web API call as the fake saw it. */
export interface FakeSlackCall {
  /** Method name, e.g. `chat.postMessage`. */
  method: string;
  /**
   * Parameters, with JSON-in-form fields (`blocks`, `attachments`, `metadata`, `files`) decoded;
   * no token.
   */
  params: SlackPayload;
  /** The token the call carried (header or `token` parameter). */
  token: string | undefined;
  /** When it arrived (`Date.now()`). */
  at: number;
  /** HTTP status answered. */
  status: number;
  /** Whether the answer was `ok: true`. */
  ok: boolean;
  /** The error code when it was not. */
  error?: string;
}

/** A message in a channel, posted by the app (or by `respond()` with `response_type: in_channel`). */
export interface FakeSlackMessage {
  /** Channel id. */
  channel: string;
  /** Unique message ts, e.g. `1700000000.000100`. */
  ts: string;
  /** Parent ts when the message is a thread reply. */
  thread_ts?: string;
  /** Fallback text (current version). */
  text: string;
  /** Block Kit blocks (current version). */
  blocks?: unknown[];
  /** Legacy attachments (current version). */
  attachments?: unknown[];
  /** Message metadata, if posted with it (`conversations.replies` shows it with `include_all_metadata`). */
  metadata?: FakeSlackMetadata;
  /** Author: the bot user id. */
  user: string;
  /** Author's bot id. */
  bot_id: string;
  /** Set by `chat.update`. */
  edited?: { user: string; ts: string };
  /** Previous versions, oldest first, one per `chat.update` or `replace_original`. */
  revisions: Array<{ text: string; blocks?: unknown[]; at: number }>;
  /** Set by `chat.delete` or `delete_original`. */
  deleted: boolean;
  /** How it was posted. */
  via: 'chat.postMessage' | 'response_url';
  /** When it was posted (`Date.now()`). */
  at: number;
}

/**
 * A message a person wrote (`SlackUser.say`, `sayDirect`, `sayUnheard`, or an event pushed over
 * Socket Mode), kept as Slack keeps it whether or not the app heard it: `conversations.replies`
 * and `conversations.history` list it. Kept apart from {@link FakeSlackMessage}, which is what the
 * app posted.
 */
export interface FakeSlackPersonMessage {
  /** Channel id (a `D...` for the person's DM with the bot). */
  channel: string;
  /** The message's ts. */
  ts: string;
  /** Parent ts when it is a thread reply. */
  thread_ts?: string;
  /** Text (current version). */
  text: string;
  /** Rich-text blocks, if the test gave them. */
  blocks?: unknown[];
  /** Author's user id. */
  user: string;
  /** Set by an edit (`SlackUser.edit`). */
  edited?: { user: string; ts: string };
  /** Set by a deletion (`SlackUser.delete`). */
  deleted: boolean;
  /** Whether its event went to the app; false when written while no app listened. */
  delivered: boolean;
  /** When it was written (`Date.now()`). */
  at: number;
}

/** Message metadata as `chat.postMessage` takes it: an event type and its JSON payload. */
export interface FakeSlackMetadata {
  /** The app's name for the event, e.g. `mockdesign_post`. */
  event_type: string;
  /** The event's data. */
  event_payload: Record<string, unknown>;
}

/** A message only one user sees. */
export interface FakeSlackEphemeral {
  /** Channel id. */
  channel: string;
  /** The one user who sees it. */
  user: string | undefined;
  /** Its ts (`message_ts` in the `chat.postEphemeral` answer). */
  ts: string;
  /** Thread it was shown in, if any. */
  thread_ts?: string;
  /** Fallback text. */
  text: string;
  /** Block Kit blocks. */
  blocks?: unknown[];
  /** How it was sent. */
  via: 'chat.postEphemeral' | 'response_url';
  /** When it was sent (`Date.now()`). */
  at: number;
}

/** A body POSTed to a response URL, and what the fake did with it. */
export interface FakeSlackResponse {
  /** The response URL's id. */
  id: string;
  /** The full response URL. */
  url: string;
  /** The parsed body (`text`, `blocks`, `response_type`, `replace_original`, ...). */
  body: SlackPayload;
  /** What the URL was issued for. */
  context: ResponseUrlContext;
  /** The effect: a message replaced or deleted, a message posted in channel, or an ephemeral. */
  effect: 'replaced' | 'deleted' | 'posted' | 'ephemeral';
  /** When it arrived (`Date.now()`). */
  at: number;
}

/** What to look for with {@link FakeSlack.waitForMessage}; every given field must match. */
export interface MessageMatch {
  /** Channel id. */
  channel?: string;
  /** Parent ts: only replies in this thread. */
  thread_ts?: string;
  /** Substring or pattern of the text, searched in `text` and every text inside `blocks`. */
  text?: string | RegExp;
  /** Also match deleted messages. Default false. */
  includeDeleted?: boolean;
}

/** The fields a new bot message takes from its request; the rest is filled in. */
type PostedContent = Pick<
  FakeSlackMessage,
  'channel' | 'thread_ts' | 'text' | 'blocks' | 'attachments' | 'metadata'
>;

/**
 * The recordings of one fake Slack. Recording never notifies by itself: whoever finishes a
 * request calls {@link SlackRecords.changed} once, so waiters see a consistent state.
 */
export class SlackRecords {
  /** Every Web API call, in arrival order. */
  readonly calls: FakeSlackCall[] = [];
  /** Every message posted in a channel, in posting order. */
  readonly messages: FakeSlackMessage[] = [];
  /** Every ephemeral message, in order. */
  readonly ephemerals: FakeSlackEphemeral[] = [];
  /** Every body POSTed to a response URL, in order. */
  readonly responses: FakeSlackResponse[] = [];
  /** Every message people wrote, in the order they wrote them. */
  readonly said: FakeSlackPersonMessage[] = [];

  private readonly changes = new EventEmitter();
  private tsSequence = 0;
  /** The last ts issued from the clock, in microseconds (with `clockTs`). */
  private lastClockTs = 0n;

  /** Messages are authored by the settings' bot; ts values start at its `firstTs`. */
  constructor(private readonly settings: FakeSlackSettings) {
    this.changes.setMaxListeners(0);
  }

  /** Issues the next message ts: unique and increasing for the fake's lifetime (`reset` keeps it). */
  nextTs(): string {
    if (this.settings.clockTs) {
      const now = BigInt(Date.now()) * 1000n;
      this.lastClockTs = now > this.lastClockTs + 100n ? now : this.lastClockTs + 100n;
      const micros = this.lastClockTs;
      return `${micros / 1_000_000n}.${String(micros % 1_000_000n).padStart(6, '0')}`;
    }
    this.tsSequence += 1;
    const micros = this.tsSequence * 100;
    const seconds = this.settings.firstTs + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /**
   * Keeps what a person's `message` event (`event`) did to the conversation: a new message is
   * kept (once per channel and ts), `message_changed` edits it, `message_deleted` deletes it.
   * Bots' messages and other subtypes are not a person's and are left out.
   */
  keepPersonEvent(event: SlackPayload, delivered: boolean): void {
    if (event.type !== 'message' || typeof event.channel !== 'string') return;
    const find = (ts: unknown) => this.said.find((m) => m.channel === event.channel && m.ts === ts);
    if (event.subtype === 'message_changed') {
      const next = event.message as SlackPayload | undefined;
      const kept = find(next?.ts);
      if (kept && typeof next?.text === 'string') {
        kept.text = next.text;
        kept.edited = next.edited as FakeSlackPersonMessage['edited'];
      }
    } else if (event.subtype === 'message_deleted') {
      const kept = find(event.deleted_ts);
      if (kept) kept.deleted = true;
    } else if (
      event.subtype === undefined &&
      event.bot_id === undefined &&
      typeof event.user === 'string' &&
      typeof event.ts === 'string' &&
      !find(event.ts)
    ) {
      this.said.push({
        channel: event.channel,
        ts: event.ts,
        thread_ts: typeof event.thread_ts === 'string' ? event.thread_ts : undefined,
        text: typeof event.text === 'string' ? event.text : '',
        blocks: Array.isArray(event.blocks) ? event.blocks : undefined,
        user: event.user,
        deleted: false,
        delivered,
        at: Date.now(),
      });
    } else {
      return;
    }
    this.changed();
  }

  /** Records a message the bot posted in a channel, with a fresh ts. */
  postBotMessage(content: PostedContent, via: FakeSlackMessage['via']): FakeSlackMessage {
    const { channel, ...rest } = content;
    const message: FakeSlackMessage = {
      channel,
      ts: this.nextTs(),
      ...rest,
      user: this.settings.botUserId,
      bot_id: this.settings.botId,
      revisions: [],
      deleted: false,
      via,
      at: Date.now(),
    };
    this.messages.push(message);
    return message;
  }

  /** Records an ephemeral message, with a fresh ts. */
  postEphemeral(fields: Omit<FakeSlackEphemeral, 'ts' | 'at'>): FakeSlackEphemeral {
    const { channel, user, ...rest } = fields;
    const ephemeral: FakeSlackEphemeral = {
      channel,
      user,
      ts: this.nextTs(),
      ...rest,
      at: Date.now(),
    };
    this.ephemerals.push(ephemeral);
    return ephemeral;
  }

  /** Replaces a message's content, keeping the previous version in `revisions`. */
  revise(
    message: FakeSlackMessage,
    next: { text: string; blocks?: unknown[]; attachments?: unknown[] },
  ): void {
    message.revisions.push({ text: message.text, blocks: message.blocks, at: Date.now() });
    message.text = next.text;
    message.blocks = next.blocks;
    message.attachments = next.attachments;
  }

  /** Tells waiters that something was recorded. */
  changed(): void {
    this.changes.emit('change');
  }

  /**
   * Resolves with the first truthy value `probe` returns, checking now and after every recorded
   * change (call, message, response, ack); rejects after `timeoutMs` with what was recorded.
   */
  waitFor<T>(
    probe: () => T | undefined | null | false,
    timeoutMs = DEFAULT_WAIT_MS,
    what = 'a condition',
  ): Promise<T> {
    const first = probe();
    if (first) return Promise.resolve(first);
    return new Promise<T>((resolve, reject) => {
      const check = (): void => {
        try {
          const value = probe();
          if (value) {
            cleanup();
            resolve(value);
          }
        } catch (error) {
          cleanup();
          reject(error);
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`fake Slack: no ${what} within ${timeoutMs} ms; ${this.describe()}`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.changes.off('change', check);
      };
      this.changes.on('change', check);
    });
  }

  /** Forgets every recording; ts values keep increasing. */
  reset(): void {
    this.calls.length = 0;
    this.messages.length = 0;
    this.ephemerals.length = 0;
    this.responses.length = 0;
    this.said.length = 0;
  }

  private describe(): string {
    const methods = this.calls.map((c) => c.method).join(', ') || 'none';
    const messages = this.messages
      .map((m) => `${m.channel}/${m.ts}${m.thread_ts ? ` (in ${m.thread_ts})` : ''}: ${m.text}`)
      .join(' | ');
    return `calls: ${methods}; messages: ${messages || 'none'}; responses: ${this.responses.length}`;
  }
}

/** Every text in a message: its fallback text and every `text` inside its blocks. */
export function plainTextOf(message: { text?: string; blocks?: unknown[] }): string {
  const parts: string[] = message.text ? [message.text] : [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') parts.push(value);
        else visit(value);
      }
    }
  };
  visit(message.blocks);
  return parts.join('\n');
}

/** A predicate for the messages that `match` describes. */
export function messageMatcher(match: MessageMatch): (message: FakeSlackMessage) => boolean {
  return (m) =>
    (match.includeDeleted || !m.deleted) &&
    (match.channel === undefined || m.channel === match.channel) &&
    (match.thread_ts === undefined || m.thread_ts === match.thread_ts) &&
    (match.text === undefined || textMatches(m.text, m.blocks, match.text));
}

/** Whether the text of a message or its blocks contains `wanted` (string or pattern). */
export function textMatches(
  text: string,
  blocks: unknown[] | undefined,
  wanted: string | RegExp,
): boolean {
  const all = plainTextOf({ text, blocks });
  return typeof wanted === 'string' ? all.includes(wanted) : wanted.test(all);
}

/** `match` as text, for a timeout error. */
export function describeMatch(
  match: MessageMatch | ((message: FakeSlackMessage) => boolean),
): string {
  if (typeof match === 'function') return 'predicate';
  return JSON.stringify(match, (_key, value) => (value instanceof RegExp ? String(value) : value));
}
