/**
 * `conversations.replies`: a thread read back as Slack's Web API answers it, from the messages
 * the app posted (`chat.postMessage`, in-channel response-URL posts) and those people wrote
 * (`SlackUser.say`, delivered to the app or not). A person's message shows as Slack shows it:
 * `user`, `text`, `ts`, `thread_ts`, no `bot_id`. A root the fake never saw (a person's message
 * the test did not write through a `SlackUser`) is left out: its thread comes back as replies only.
 *
 * An answer is `{ messages, has_more, response_metadata: { next_cursor } }`: the parent opens every
 * page, as Slack's does, then up to `limit` replies (default and most 1000), oldest first. The
 * parent of a thread with replies carries `thread_ts`, `reply_count`, `reply_users` and
 * `latest_reply`; each reply carries `parent_user_id`. Deleted replies are left out; a deleted
 * parent with replies left shows as Slack's tombstone. `oldest`/`latest` (with `inclusive`)
 * narrow the replies; metadata comes only with `include_all_metadata`.
 */
import { booleanParam, requireChannel, SlackApiError, stringParam } from './http.js';
import type { FakeSlackSettings } from './options.js';
import { withoutUndefined } from './payloads.js';
import type { FakeSlackMessage, FakeSlackPersonMessage } from './records.js';
import { wireMessage } from './wire-message.js';
import type { SlackPayload } from './workspace.js';

/** Slack's default `limit`, and the most it answers in one page. */
const MAX_LIMIT = 1000;

/** What Slack shows in place of a deleted parent whose replies remain. */
const TOMBSTONE_TEXT = 'This message was deleted.';

/** A message of either kind as the answers list it. */
interface Listed {
  readonly channel: string;
  readonly ts: string;
  readonly thread_ts?: string;
  readonly user: string;
  readonly deleted: boolean;
  /** The message on the wire; metadata only with `withMetadata`. */
  wire(withMetadata: boolean): SlackPayload;
}

/** What the app posted and what people wrote, as one list. */
function listed(
  settings: FakeSlackSettings,
  messages: readonly FakeSlackMessage[],
  said: readonly FakeSlackPersonMessage[],
): Listed[] {
  return [
    ...messages.map((m) => ({
      channel: m.channel,
      ts: m.ts,
      thread_ts: m.thread_ts,
      user: m.user,
      deleted: m.deleted,
      wire: (withMetadata: boolean) => wireMessage(settings, m, withMetadata),
    })),
    ...said.map((m) => ({
      channel: m.channel,
      ts: m.ts,
      thread_ts: m.thread_ts,
      user: m.user,
      deleted: m.deleted,
      wire: () => personWire(settings, m),
    })),
  ];
}

/** A person's message as Slack's API answers show it. */
function personWire(settings: FakeSlackSettings, message: FakeSlackPersonMessage): SlackPayload {
  return withoutUndefined({
    type: 'message',
    user: message.user,
    team: settings.teamId,
    text: message.text,
    blocks: message.blocks,
    ts: message.ts,
    thread_ts: message.thread_ts,
    edited: message.edited,
  });
}

/**
 * Answers `conversations.replies` from `messages`, every message posted in the fake, and `said`,
 * every message people wrote.
 */
export function conversationsReplies(
  params: SlackPayload,
  messages: readonly FakeSlackMessage[],
  settings: FakeSlackSettings,
  said: readonly FakeSlackPersonMessage[] = [],
): SlackPayload {
  const channel = requireChannel(params);
  const ts = stringParam(params.ts);
  if (!ts) throw new SlackApiError('invalid_arguments');
  const inChannel = listed(settings, messages, said).filter((m) => m.channel === channel);

  // `ts` names the parent, or any message in the thread.
  const asked = inChannel.find((m) => m.ts === ts);
  const parentTs = asked?.thread_ts ?? ts;
  const parent = inChannel.find((m) => m.ts === parentTs);
  const replies = inChannel
    .filter((m) => m.thread_ts === parentTs && m.ts !== parentTs && !m.deleted)
    .sort((a, b) => compareTs(a.ts, b.ts));
  if (asked?.deleted && asked !== parent) throw new SlackApiError('thread_not_found');
  if ((!parent || parent.deleted) && replies.length === 0) {
    throw new SlackApiError('thread_not_found');
  }

  const withMetadata = booleanParam(params.include_all_metadata);
  const inRange = rangeFilter(params);
  const from = cursorParam(params.cursor);
  const limit = limitParam(params.limit);
  const wanted = replies.filter(
    (m) => inRange(tsValue(m.ts)) && (from === undefined || tsValue(m.ts) >= from),
  );
  const page = wanted.slice(0, limit);
  const next = wanted[limit];

  const head = parent ? [threadParent(parent, replies, withMetadata)] : [];
  return {
    messages: [
      ...head,
      ...page.map((m) =>
        withoutUndefined({ ...m.wire(withMetadata), parent_user_id: parent?.user }),
      ),
    ],
    has_more: next !== undefined,
    response_metadata: { next_cursor: next ? encodeCursor(next.ts) : '' },
  };
}

/**
 * Answers `conversations.history` from `messages` and `said`: the conversation's top-level
 * messages (not thread replies), the app's and people's, newest first as Slack lists them,
 * narrowed by `oldest`/`latest`, at most `limit`; metadata only with `include_all_metadata`. (No
 * cursor: one page is all the app reads.) A top-level message with replies carries `thread_ts`.
 */
export function conversationsHistory(
  params: SlackPayload,
  messages: readonly FakeSlackMessage[],
  settings: FakeSlackSettings,
  said: readonly FakeSlackPersonMessage[] = [],
): SlackPayload {
  const channel = requireChannel(params);
  const withMetadata = booleanParam(params.include_all_metadata);
  const inRange = rangeFilter(params);
  const all = listed(settings, messages, said);
  const top = all
    .filter(
      (m) =>
        m.channel === channel &&
        !m.deleted &&
        (m.thread_ts === undefined || m.thread_ts === m.ts) &&
        inRange(tsValue(m.ts)),
    )
    .sort((a, b) => compareTs(b.ts, a.ts));
  const limit = limitParam(params.limit);
  return {
    messages: top.slice(0, limit).map((m) => {
      const replied = all.some((r) => r.channel === m.channel && r.thread_ts === m.ts && r !== m);
      return withoutUndefined({
        ...m.wire(withMetadata),
        thread_ts: replied ? m.ts : m.thread_ts,
      });
    }),
    has_more: top.length > limit,
    response_metadata: { next_cursor: '' },
  };
}

/** The parent as a thread shows it: with the thread's summary when it has replies. */
function threadParent(
  parent: Listed,
  replies: readonly Listed[],
  withMetadata: boolean,
): SlackPayload {
  const shown = parent.deleted
    ? {
        type: 'message',
        subtype: 'tombstone',
        user: 'USLACKBOT',
        text: TOMBSTONE_TEXT,
        hidden: true,
        ts: parent.ts,
      }
    : parent.wire(withMetadata);
  const last = replies.at(-1);
  if (!last) return shown;
  const users = [...new Set(replies.map((m) => m.user))];
  return {
    ...shown,
    thread_ts: parent.ts,
    reply_count: replies.length,
    reply_users_count: users.length,
    latest_reply: last.ts,
    reply_users: users,
    is_locked: false,
    subscribed: false,
  };
}

/** Whether a reply's ts lies between `oldest` and `latest` (each end included with `inclusive`). */
function rangeFilter(params: SlackPayload): (ts: bigint) => boolean {
  const oldest = tsParam(params.oldest, 'invalid_ts_oldest');
  const latest = tsParam(params.latest, 'invalid_ts_latest');
  const inclusive = booleanParam(params.inclusive);
  return (ts) =>
    (oldest === undefined || ts > oldest || (inclusive && ts === oldest)) &&
    (latest === undefined || ts < latest || (inclusive && ts === latest));
}

/** A page size: 1 to 1000; absent, zero or unreadable means Slack's default, 1000. */
function limitParam(value: unknown): number {
  const limit = typeof value === 'number' ? value : Number.parseInt(String(value ?? ''), 10);
  return Number.isInteger(limit) && limit > 0 ? Math.min(limit, MAX_LIMIT) : MAX_LIMIT;
}

/** A Unix timestamp parameter (`1700000000` or `1700000000.000100`); otherwise `error`. */
function tsParam(value: unknown, error: string): bigint | undefined {
  const text = typeof value === 'number' ? String(value) : stringParam(value);
  if (text === undefined) return undefined;
  if (!/^\d+(\.\d+)?$/.test(text)) throw new SlackApiError(error);
  return tsValue(text);
}

/** A message ts in microseconds, exactly (a double cannot hold them all). */
function tsValue(ts: string): bigint {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

function compareTs(a: string, b: string): number {
  const diff = tsValue(a) - tsValue(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** Slack's cursor for a page starting at `ts`: base64 of `next_ts:<ts without its dot>`. */
function encodeCursor(ts: string): string {
  return Buffer.from(`next_ts:${tsValue(ts)}`).toString('base64');
}

/** Where the page of `cursor` starts (a ts in microseconds); `invalid_cursor` if it is none of ours. */
function cursorParam(value: unknown): bigint | undefined {
  const cursor = stringParam(value);
  if (cursor === undefined) return undefined;
  const match = /^next_ts:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString('utf8'));
  if (!match?.[1]) throw new SlackApiError('invalid_cursor');
  return BigInt(match[1]);
}
