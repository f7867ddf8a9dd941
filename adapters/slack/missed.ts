import type { MissedMessage } from '../../src/ports/chat-platform.js';
import { decodeSlackAddress } from './address.js';
import { slackCall } from './errors.js';
import { replyCommand, type SlackMessageEvent } from './inbound.js';
import { PAGE_SIZE, pagesOf } from './pages.js';
import type { createSlackClient } from './web-client.js';

type SlackClient = ReturnType<typeof createSlackClient>;

const TS = /^\d+\.\d+$/;

/**
 * How far before the last stored reply the read starts: Slack does not promise to deliver two
 * messages in the order they were sent, so one sent just before it may be the one never stored.
 * What is stored already is not taken again.
 */
const REORDER_MARGIN_MICROS = 60_000_000n;

/** A message as `conversations.replies` and `conversations.history` list it: the fields read here. */
interface ListedMessage {
  readonly type?: string;
  readonly subtype?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
}

/**
 * What people wrote at `address` after the message `after` (a ts; the thread's root, or the
 * conversation's start, when `undefined`), oldest first, taken by the same rules as a live
 * message event (`replyCommand`): a person's message, no bot's, no edit, join or other subtype,
 * the thread's root left out, its text read as live replies are.
 *
 * - A thread (`slack:T:C:TS`): its replies, `conversations.replies`.
 * - A direct conversation (`slack:T:D`): the person's top-level messages, `conversations.history`.
 * - A thread in a direct conversation (a round in the bot's DMs): both, as live, where the
 *   person's plain messages in the DM count as the round's replies too.
 */
export async function missedMessages(
  client: SlackClient,
  address: string,
  after: string | undefined,
): Promise<MissedMessage[]> {
  const { team, channel, threadTs } = decodeSlackAddress(address);
  const direct = isDirect(channel);
  // Ids stored for people's messages are their ts; anything else reads from the start (what is
  // stored already is not taken again).
  const oldest = after !== undefined && TS.test(after) ? before(after, threadTs) : threadTs;
  const listed: SlackMessageEvent[] = [];
  if (threadTs !== undefined) {
    for (const m of await threadReplies(client, channel, threadTs, oldest)) {
      // `channel_type` left out: the root (its `thread_ts` is its own ts) is no plain DM.
      listed.push({ ...m, type: 'message', channel });
    }
  }
  if (direct || threadTs === undefined) {
    for (const m of await topLevel(client, channel, oldest)) {
      // A top-level message with replies shows its own ts as `thread_ts`; its event had none.
      const plain = m.thread_ts === undefined || m.thread_ts === m.ts;
      if (!plain) continue;
      listed.push({ ...m, type: 'message', channel, thread_ts: undefined, channel_type: 'im' });
    }
  }
  const seen = new Set<string>();
  const missed: MissedMessage[] = [];
  for (const message of listed.sort((a, b) => compareTs(a.ts ?? '', b.ts ?? ''))) {
    const reply = replyCommand(message, team);
    if (!reply || seen.has(reply.messageId)) continue;
    if (oldest !== undefined && compareTs(reply.messageId, oldest) <= 0) continue;
    seen.add(reply.messageId);
    missed.push({
      messageId: reply.messageId,
      user: reply.origin.user,
      text: reply.text,
      sentAt: tsMillis(reply.messageId),
    });
  }
  return missed;
}

/** The replies of the thread under `threadTs` after `oldest`, page by page (the root comes too). */
function threadReplies(
  client: SlackClient,
  channel: string,
  threadTs: string,
  oldest: string | undefined,
): Promise<ListedMessage[]> {
  return pages('conversations.replies', (cursor) =>
    client.conversations.replies({ channel, ts: threadTs, ...range(oldest, cursor) }),
  );
}

/** The top-level messages of `channel` after `oldest`, page by page (Slack lists newest first). */
function topLevel(
  client: SlackClient,
  channel: string,
  oldest: string | undefined,
): Promise<ListedMessage[]> {
  return pages('conversations.history', (cursor) =>
    client.conversations.history({ channel, ...range(oldest, cursor) }),
  );
}

/** One page's request: `PAGE_SIZE` messages after `oldest` (exclusive), from `cursor`. */
function range(oldest: string | undefined, cursor: string | undefined) {
  return {
    limit: PAGE_SIZE,
    ...(oldest ? { oldest, inclusive: false } : {}),
    ...(cursor ? { cursor } : {}),
  };
}

/** Every message of a cursor-paged `method`, page by page. */
async function pages(
  method: string,
  read: (cursor: string | undefined) => Promise<{
    messages?: unknown[];
    response_metadata?: { next_cursor?: string };
  }>,
): Promise<ListedMessage[]> {
  const found: ListedMessage[] = [];
  for await (const page of pagesOf((cursor) => slackCall(method, () => read(cursor)))) {
    found.push(...(page as ListedMessage[]));
  }
  return found;
}

/** Slack's direct conversations with one person have ids starting with `D`. */
function isDirect(channel: string): boolean {
  return channel.startsWith('D');
}

/** A message ts in microseconds, exactly (a double cannot hold them all). */
function tsMicros(ts: string): bigint {
  const [seconds = '0', fraction = ''] = ts.split('.');
  return BigInt(seconds) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
}

/** The ts `REORDER_MARGIN_MICROS` before `ts`, never before the thread's root. */
function before(ts: string, root: string | undefined): string {
  const micros = tsMicros(ts) - REORDER_MARGIN_MICROS;
  const floor = root === undefined ? 0n : tsMicros(root);
  const at = micros > floor ? micros : floor;
  return `${at / 1_000_000n}.${(at % 1_000_000n).toString().padStart(6, '0')}`;
}

function compareTs(a: string, b: string): number {
  const diff = tsMicros(a) - tsMicros(b);
  return diff < 0n ? -1 : diff > 0n ? 1 : 0;
}

/** When a message was sent, epoch ms: its ts is Unix seconds with microseconds. */
function tsMillis(ts: string): number {
  return Number(tsMicros(ts) / 1000n);
}
