import type {
  AllMiddlewareArgs,
  App,
  BlockAction,
  RespondFn,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
} from '@slack/bolt';
import type { Command, CommandResult, Origin } from '../../src/commands/command.js';
import { parseCommandText } from '../../src/commands/parse.js';
import { UserError } from '../../src/errors.js';
import type { Logger } from '../../src/logger.js';
import type { CommandHandler } from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import { apologyCard, refusalCard, replyNotSavedCard } from '../../src/presentation/replies.js';
import { decodeSlackAddress, encodeSlackAddress, SLACK } from './address.js';
import { ACTION_IDS, controlOf } from './controls.js';
import { plainFromSlack } from './mrkdwn.js';
import type { SlackOutbound } from './outbound.js';
import { renderCard } from './render.js';

/** The slash command mockdesign answers to (see `manifest.yml`). */
export const SLASH_COMMAND = '/mockdesign';

/** Message subtypes that are a person writing something; every other subtype is not a reply. */
const PERSON_SUBTYPES = new Set(['thread_broadcast', 'file_share']);

export interface InboundOptions {
  readonly handler: CommandHandler;
  readonly outbound: SlackOutbound;
  readonly logger: Logger;
  /** Runs work that continues after an ack, so `stop()` can wait for it to finish. */
  readonly track: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * Turns Slack events into core commands: `/mockdesign ...` (acked at once, worked on after), thread
 * messages and plain messages to the bot in its DMs into `reply`, the End round / Next phase
 * buttons into `end` / `next`, and a challenge's Start my attempt button into `attempt`. What the
 * core answers goes back to the person ephemerally. Nothing here decides: who may do what, phases,
 * dedupe and timing are the core's.
 */
export function registerInbound(app: App, o: InboundOptions): void {
  app.command(SLASH_COMMAND, (args) => onSlashCommand(o, args));
  app.event('message', (args) => onMessage(o, args));
  const actionIds = new RegExp(`^(${Object.values(ACTION_IDS).join('|')})$`);
  app.action({ type: 'block_actions', action_id: actionIds }, (args) => onButton(o, args));
}

/** `/mockdesign ...`: acked at once (with the error, when it does not parse), worked on after. */
async function onSlashCommand(
  o: InboundOptions,
  { command, ack, respond, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs,
): Promise<void> {
  let parsed: Command;
  try {
    const origin: Origin = {
      platform: SLACK,
      user: command.user_id,
      channel: encodeSlackAddress({
        team: context.teamId ?? command.team_id,
        channel: command.channel_id,
      }),
    };
    parsed = parseCommandText(command.text ?? '', origin);
  } catch (error) {
    // Parsing is synchronous and cheap, so a malformed command is answered in the ack itself.
    if (!(error instanceof UserError)) o.logger.error('slack: unreadable slash command', { error });
    const card = error instanceof UserError ? refusalCard(error.message) : apologyCard();
    const { text, blocks } = renderCard(card);
    await ack({ response_type: 'ephemeral', text, blocks });
    return;
  }
  await ack();
  // Run apart from the ack: over HTTP, Slack's 200 waits for this listener, and a command may
  // take longer than Slack waits (opening a thread, scoring).
  detach(o, 'slash command', async () => {
    const card = answerOf(await handle(o, parsed), apologyCard);
    if (card) await answer(o, respond, parsed.origin.channel, parsed.origin.user, card);
  });
}

/** Runs `work` tracked (shutdown waits for it) without holding up the listener; logs a failure. */
function detach(o: InboundOptions, what: string, work: () => Promise<void>): void {
  o.track(work).catch((error: unknown) => o.logger.error(`slack: a ${what} failed`, { error }));
}

/** A message event: a `reply` when it is a person's message in a thread or a DM; else ignored. */
async function onMessage(
  o: InboundOptions,
  { event, context, body }: SlackEventMiddlewareArgs<'message'> & AllMiddlewareArgs,
): Promise<void> {
  const message = event as unknown as SlackMessageEvent;
  const team = context.teamId ?? body.team_id ?? '';
  const withdrawn = withdrawCommand(message, team);
  if (withdrawn) {
    // Nothing is answered: the person deleted it.
    await o.track(async () => void (await handle(o, withdrawn)));
    return;
  }
  const edited = editedCommand(message, team);
  if (edited) {
    await o.track(async () => {
      const { card } = await handle(o, edited);
      if (!card) return;
      await o.outbound
        .ephemeral(edited.origin.thread, edited.origin.user, card)
        .catch((error: unknown) => o.logger.warn('slack: could not answer an edit', { error }));
    });
    return;
  }
  const reply = replyCommand(message, team);
  if (!reply) return;
  await o.track(async () => {
    const card = answerOf(await handle(o, reply), replyNotSavedCard);
    if (!card) return;
    await o.outbound
      .ephemeral(reply.origin.thread, reply.origin.user, card)
      .catch((error: unknown) =>
        o.logger.warn('slack: could not answer a thread reply', { error }),
      );
  });
}

/**
 * A press of one of our buttons: End round / Next phase become `end` / `next` with the thread of
 * the pressed message as origin (Next phase with the phase its value names, if it has one); Start
 * my attempt becomes `attempt` with the channel of the challenge card as origin and the button's
 * value as the challenge id.
 */
async function onButton(
  o: InboundOptions,
  {
    ack,
    body,
    action,
    respond,
    context,
  }: SlackActionMiddlewareArgs<BlockAction> & AllMiddlewareArgs,
): Promise<void> {
  await ack();
  const team = context.teamId ?? body.team?.id ?? body.user.team_id;
  const command = team === undefined ? undefined : buttonCommand(body, action, team);
  if (!command) {
    o.logger.warn('slack: a button press without a message or value to act on', {
      action: action.action_id,
    });
    return;
  }
  detach(o, 'button press', async () => {
    const card = answerOf(await handle(o, command), apologyCard);
    if (card) {
      await answer(o, respond, command.origin.thread ?? command.origin.channel, body.user.id, card);
    }
  });
}

/** The command a press of our button `action` on the message in `body` stands for, if any. */
function buttonCommand(
  body: BlockAction,
  action: BlockAction['actions'][number],
  team: string,
): Command | undefined {
  const control = controlOf(action.action_id);
  const channel = body.channel?.id ?? (body.container.channel_id as string | undefined);
  if (!control || !channel) return undefined;
  const where = { team, channel };
  const origin = { platform: SLACK, user: body.user.id, channel: encodeSlackAddress(where) };
  const raw = 'value' in action ? action.value : undefined;
  const value = typeof raw === 'string' && raw !== '' ? raw : undefined;
  if (control === 'attempt') {
    // The challenge card is a channel message: the origin is its channel, not a thread.
    if (value === undefined) return undefined;
    return { kind: 'attempt', origin, challengeId: value };
  }
  // The round buttons sit on the thread root (the prompt card) and on interviewer lines inside it.
  const rootTs =
    (body.message?.thread_ts as string | undefined) ??
    body.message?.ts ??
    (body.container.thread_ts as string | undefined) ??
    (body.container.message_ts as string | undefined);
  if (!rootTs) return undefined;
  const thread = encodeSlackAddress({ ...where, threadTs: rootTs });
  if (control === 'end') return { kind: 'end', origin: { ...origin, thread } };
  // A Next phase button posted before buttons carried their phase has no value.
  return {
    kind: 'next',
    origin: { ...origin, thread },
    button: value === undefined ? {} : { phase: value },
  };
}

/** The fields of a `message` event this adapter reads. */
export interface SlackMessageEvent {
  readonly type: 'message';
  readonly subtype?: string;
  readonly channel?: string;
  /** Kind of conversation: `channel`, `group`, `im` (a DM with the bot) or `mpim`. */
  readonly channel_type?: string;
  readonly user?: string;
  readonly bot_id?: string;
  readonly text?: string;
  readonly ts?: string;
  readonly thread_ts?: string;
  /** `message_changed`: the message as it now is. */
  readonly message?: {
    readonly ts?: string;
    readonly thread_ts?: string;
    readonly user?: string;
    readonly bot_id?: string;
    readonly text?: string;
  };
  readonly previous_message?: {
    readonly thread_ts?: string;
    readonly user?: string;
    readonly text?: string;
  };
  /** Files shared with the message (`file_share`). */
  readonly files?: readonly unknown[];
  /** `message_deleted`: the ts of the message deleted. */
  readonly deleted_ts?: string;
}

/**
 * The `reply` a message event stands for: a person's message inside a thread, or a plain message
 * of theirs in a DM with the bot, whose thread is then the DM itself (`slack:T:D`; the core
 * decides whether it counts). Bot messages (ours included), edits, deletions, joins and other
 * subtypes, and channel messages outside threads are not replies. The message `ts` is the message
 * id, so Slack's retries of one event are stored once.
 */
export function replyCommand(
  event: SlackMessageEvent,
  team: string,
): Extract<Command, { kind: 'reply' }> | undefined {
  if (event.subtype !== undefined && !PERSON_SUBTYPES.has(event.subtype)) return undefined;
  if (event.bot_id !== undefined || !event.user || !event.channel || !event.ts || !team) {
    return undefined;
  }
  const where = placeOf(event, team, event.ts, event.thread_ts);
  if (!where) return undefined;
  return {
    kind: 'reply',
    origin: { platform: SLACK, user: event.user, ...where },
    messageId: event.ts,
    text: plainFromSlack(event.text ?? ''),
    ...(event.files?.length ? { attachments: event.files.length } : {}),
  };
}

/**
 * The `withdraw` a `message_deleted` event stands for: a message deleted inside a thread, or in a
 * DM with the bot, where a `reply` would have come from.
 */
export function withdrawCommand(
  event: SlackMessageEvent,
  team: string,
): Extract<Command, { kind: 'withdraw' }> | undefined {
  if (event.subtype !== 'message_deleted' || !event.deleted_ts || !event.channel || !team) {
    return undefined;
  }
  const previous = event.previous_message;
  const where = placeOf(event, team, event.deleted_ts, previous?.thread_ts);
  if (!where) return undefined;
  return {
    kind: 'withdraw',
    origin: { platform: SLACK, user: previous?.user ?? '', ...where },
    messageId: event.deleted_ts,
  };
}

/**
 * The conversation and thread of message `ts` (in thread `threadTs`, if any): a reply in a
 * thread, or a plain message of a DM with the bot, whose thread is the DM itself; else undefined.
 */
function placeOf(
  event: SlackMessageEvent,
  team: string,
  ts: string,
  threadTs: string | undefined,
): { readonly channel: string; readonly thread: string } | undefined {
  if (!event.channel) return undefined;
  const inThread = threadTs && threadTs !== ts ? threadTs : undefined;
  if (inThread === undefined && (threadTs || event.channel_type !== 'im')) return undefined;
  const conversation = encodeSlackAddress({ team, channel: event.channel });
  const thread =
    inThread === undefined
      ? conversation
      : encodeSlackAddress({ team, channel: event.channel, threadTs: inThread });
  return { channel: conversation, thread };
}

/**
 * The `edited` a `message_changed` event stands for: a person's message edited inside a thread, or
 * in a DM with the bot. A thread's root changes too when its replies do (its reply count): that
 * is no edit of a person's answer.
 */
export function editedCommand(
  event: SlackMessageEvent,
  team: string,
): Extract<Command, { kind: 'edited' }> | undefined {
  const edited = event.message;
  if (event.subtype !== 'message_changed' || !edited?.ts || !edited.user || !team) {
    return undefined;
  }
  // A bot's post edited (ours: a challenge card's count, a leaderboard) is no person's answer.
  if (edited.bot_id !== undefined) return undefined;
  if (edited.text === event.previous_message?.text) return undefined;
  const where = placeOf(event, team, edited.ts, edited.thread_ts);
  if (!where) return undefined;
  return {
    kind: 'edited',
    origin: { platform: SLACK, user: edited.user, ...where },
    messageId: edited.ts,
  };
}

/** Hands a command to the core; the core answers every failure itself, this guards the rest. */
async function handle(o: InboundOptions, command: Command): Promise<CommandResult> {
  try {
    return await o.handler(command);
  } catch (error) {
    o.logger.error('slack: command failed', { kind: command.kind, error });
    return { failed: true };
  }
}

/** The core's answer; for a failure it gave no card for, the core's apology `failure()`. */
function answerOf(result: CommandResult, failure: () => Card): Card | undefined {
  return result.card ?? (result.failed ? failure() : undefined);
}

/** Shows the core's answer to the person only: through the response URL, else `chat.postEphemeral`. */
async function answer(
  o: InboundOptions,
  respond: RespondFn,
  address: string,
  user: string,
  card: Card,
): Promise<void> {
  const { text, blocks } = await o.outbound.render(decodeSlackAddress(address).channel, card);
  try {
    await respond({ response_type: 'ephemeral', replace_original: false, text, blocks });
  } catch (error) {
    o.logger.warn('slack: response URL failed; answering with chat.postEphemeral', { error });
    await o.outbound
      .ephemeral(address, user, card)
      .catch((e: unknown) => o.logger.error('slack: could not answer the command', { error: e }));
  }
}
