/**
 * The payloads Slack delivers to an app, built once so the HTTP transport (`SlackUser`) and the
 * fake's Socket Mode server carry identical payloads.
 *
 * Payload shapes follow Slack's documented wire formats: slash commands are form-encoded fields,
 * Events API deliveries are JSON `event_callback` envelopes, and interactivity is a form field
 * `payload` holding JSON.
 */
import { randomBytes } from 'node:crypto';
import { FAKE_SLACK_DEFAULTS, type SlackPayload, type SlackWorkspace } from './workspace.js';

/** The fields of a slash command invocation; every field has a default. */
export interface SlashCommandInput {
  /** The command, with its slash. Default `/mockdesign`. */
  command?: string;
  /** Everything after the command. Default empty. */
  text?: string;
  /** Who ran it. Default {@link FAKE_SLACK_DEFAULTS.userId}. */
  userId?: string;
  /** Their handle. Default {@link FAKE_SLACK_DEFAULTS.userName}. */
  userName?: string;
  /** Where it ran. Default {@link FAKE_SLACK_DEFAULTS.channelId}. */
  channelId?: string;
  /** That channel's name. Default {@link FAKE_SLACK_DEFAULTS.channelName}. */
  channelName?: string;
  /** Trigger id for opening modals. Default: a fresh one. */
  triggerId?: string;
  /** Response URL. Default: a fresh one from the workspace, bound to the channel and user. */
  responseUrl?: string;
}

/** Builds the form fields of a slash command, as Slack POSTs them (all values are strings). */
export function buildSlashCommandPayload(
  workspace: SlackWorkspace,
  input: SlashCommandInput = {},
): Record<string, string> {
  const channelId = input.channelId ?? FAKE_SLACK_DEFAULTS.channelId;
  const userId = input.userId ?? FAKE_SLACK_DEFAULTS.userId;
  return {
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    team_id: workspace.teamId,
    team_domain: workspace.teamDomain,
    channel_id: channelId,
    channel_name: input.channelName ?? FAKE_SLACK_DEFAULTS.channelName,
    user_id: userId,
    user_name: input.userName ?? FAKE_SLACK_DEFAULTS.userName,
    command: input.command ?? '/mockdesign',
    text: input.text ?? '',
    api_app_id: workspace.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl ?? workspace.createResponseUrl({ channel: channelId, userId }),
    trigger_id: input.triggerId ?? newTriggerId(),
  };
}

/** Options for an Events API `event_callback` envelope. */
export interface EventCallbackOptions {
  /** Delivery id; Slack keeps it across retries of the same event. Default: a fresh `Ev...` id. */
  eventId?: string;
  /** Unix seconds of the event. Default now. */
  eventTime?: number;
}

/** Wraps an event in the Events API `event_callback` envelope Slack delivers. */
export function buildEventCallback(
  workspace: SlackWorkspace,
  event: SlackPayload,
  options: EventCallbackOptions = {},
): SlackPayload {
  return {
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    team_id: workspace.teamId,
    api_app_id: workspace.appId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? newEventId(),
    event_time: options.eventTime ?? Math.floor(Date.now() / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: workspace.teamId,
        user_id: workspace.botUserId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  };
}

/** A person's message, for {@link messageEvent}. */
export interface MessageInput {
  /** What they wrote. */
  text: string;
  /** Channel. Default {@link FAKE_SLACK_DEFAULTS.channelId}. */
  channel?: string;
  /** Parent message ts, for a reply in a thread. */
  threadTs?: string;
  /** The message's own ts. Default: the workspace's next ts. */
  ts?: string;
  /** Author. Default {@link FAKE_SLACK_DEFAULTS.userId}. */
  userId?: string;
  /** Kind of conversation. Default `channel`. */
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
  /** Rich-text blocks, if the test wants them. */
  blocks?: unknown[];
}

/** Builds a `message` event from a person (no subtype), optionally in a thread. */
export function messageEvent(workspace: SlackWorkspace, input: MessageInput): SlackPayload {
  const ts = input.ts ?? workspace.nextTs();
  return withoutUndefined({
    type: 'message',
    client_msg_id: randomBytes(16).toString('hex'),
    user: input.userId ?? FAKE_SLACK_DEFAULTS.userId,
    text: input.text,
    blocks: input.blocks,
    team: workspace.teamId,
    channel: input.channel ?? FAKE_SLACK_DEFAULTS.channelId,
    ts,
    event_ts: ts,
    thread_ts: input.threadTs,
    channel_type: input.channelType ?? 'channel',
  });
}

/** A bot's message, for {@link botMessageEvent}. */
export interface BotMessageInput {
  /** What the bot wrote. */
  text: string;
  /** The bot's id. Use the app's own `botId` to check the app ignores itself. */
  botId: string;
  /** The bot's user id, as modern bot messages carry; omit for a legacy `bot_message` subtype. */
  botUserId?: string;
  /** Channel. Default {@link FAKE_SLACK_DEFAULTS.channelId}. */
  channel?: string;
  /** Parent message ts, for a reply in a thread. */
  threadTs?: string;
  /** The message's own ts. Default: the workspace's next ts. */
  ts?: string;
  /** Kind of conversation (`im` for the bot's own DMs, which Slack delivers too). Default `channel`. */
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
}

/** Builds a `message` event posted by a bot (carries `bot_id`). */
export function botMessageEvent(workspace: SlackWorkspace, input: BotMessageInput): SlackPayload {
  const ts = input.ts ?? workspace.nextTs();
  return withoutUndefined({
    type: 'message',
    subtype: input.botUserId === undefined ? 'bot_message' : undefined,
    user: input.botUserId,
    bot_id: input.botId,
    text: input.text,
    team: workspace.teamId,
    channel: input.channel ?? FAKE_SLACK_DEFAULTS.channelId,
    ts,
    event_ts: ts,
    thread_ts: input.threadTs,
    channel_type: input.channelType ?? 'channel',
  });
}

/** Builds a `message_changed` event: `original` (a {@link messageEvent}) now reads `newText`. */
export function messageChangedEvent(
  workspace: SlackWorkspace,
  original: SlackPayload,
  newText: string,
): SlackPayload {
  return hiddenMessageEvent(workspace, original, 'message_changed', (eventTs) => {
    const previous = stripEventFields(original);
    return {
      message: { ...previous, text: newText, edited: { user: original.user, ts: eventTs } },
      previous_message: previous,
    };
  });
}

/** Builds a `message_deleted` event for `original` (a {@link messageEvent}). */
export function messageDeletedEvent(
  workspace: SlackWorkspace,
  original: SlackPayload,
): SlackPayload {
  return hiddenMessageEvent(workspace, original, 'message_deleted', () => ({
    deleted_ts: original.ts,
    previous_message: stripEventFields(original),
  }));
}

/**
 * The hidden `message` event Slack sends when `original` changes; `fields` adds what the
 * subtype carries, given the event's own ts.
 */
function hiddenMessageEvent(
  workspace: SlackWorkspace,
  original: SlackPayload,
  subtype: 'message_changed' | 'message_deleted',
  fields: (eventTs: string) => SlackPayload,
): SlackPayload {
  const eventTs = workspace.nextTs();
  return {
    type: 'message',
    subtype,
    hidden: true,
    channel: original.channel,
    channel_type: original.channel_type ?? 'channel',
    ts: eventTs,
    event_ts: eventTs,
    ...fields(eventTs),
  };
}

/** The message a clicked button sits on; a `FakeSlackMessage` from `fake.messages` fits. */
export interface ClickedMessage {
  /** Channel of the message. */
  channel?: string;
  /** Its ts. */
  ts: string;
  /** Its thread, when it is a reply. */
  thread_ts?: string;
  /** Its fallback text. */
  text?: string;
  /** Its blocks; the button's `block_id`, `value` and label are read from here when present. */
  blocks?: unknown[];
}

/** A button click, for {@link buildBlockActionsPayload}. */
export interface BlockActionInput {
  /** The clicked button's `action_id`. */
  actionId: string;
  /** The message holding the button. */
  message?: ClickedMessage;
  /** The button's value. Default: read from the message's blocks. */
  value?: string;
  /** The button's block. Default: read from the message's blocks. */
  blockId?: string;
  /** Channel. Default: the message's channel, else {@link FAKE_SLACK_DEFAULTS.channelId}. */
  channelId?: string;
  /** Who clicked. Default {@link FAKE_SLACK_DEFAULTS.userId}. */
  userId?: string;
  /** Their handle. Default {@link FAKE_SLACK_DEFAULTS.userName}. */
  userName?: string;
  /** Trigger id. Default: a fresh one. */
  triggerId?: string;
  /** Response URL. Default: a fresh one bound to the message and the clicker. */
  responseUrl?: string;
}

/** Builds a `block_actions` interactivity payload for a button click. */
export function buildBlockActionsPayload(
  workspace: SlackWorkspace,
  input: BlockActionInput,
): SlackPayload {
  const message = input.message;
  const channelId = input.channelId ?? message?.channel ?? FAKE_SLACK_DEFAULTS.channelId;
  const userId = input.userId ?? FAKE_SLACK_DEFAULTS.userId;
  const userName = input.userName ?? FAKE_SLACK_DEFAULTS.userName;
  const button = findButton(message?.blocks, input.actionId);
  const actionTs = workspace.nextTs();
  return withoutUndefined({
    type: 'block_actions',
    user: { id: userId, username: userName, name: userName, team_id: workspace.teamId },
    api_app_id: workspace.appId,
    token: FAKE_SLACK_DEFAULTS.verificationToken,
    container: message
      ? withoutUndefined({
          type: 'message',
          message_ts: message.ts,
          channel_id: channelId,
          is_ephemeral: false,
          thread_ts: message.thread_ts,
        })
      : { type: 'message', channel_id: channelId, is_ephemeral: false },
    trigger_id: input.triggerId ?? newTriggerId(),
    team: { id: workspace.teamId, domain: workspace.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: channelNameOf(channelId) },
    message: message
      ? withoutUndefined({
          type: 'message',
          user: workspace.botUserId,
          ts: message.ts,
          thread_ts: message.thread_ts,
          text: message.text ?? '',
          blocks: message.blocks,
        })
      : undefined,
    state: { values: {} },
    response_url:
      input.responseUrl ??
      workspace.createResponseUrl({
        channel: channelId,
        userId,
        messageTs: message?.ts,
        threadTs: message?.thread_ts,
      }),
    actions: [
      withoutUndefined({
        action_id: input.actionId,
        block_id: input.blockId ?? button?.blockId ?? 'fake-block',
        text: { type: 'plain_text', text: button?.label ?? input.actionId, emoji: true },
        value: input.value ?? button?.value,
        type: 'button',
        action_ts: actionTs,
      }),
    ],
  });
}

interface FoundButton {
  blockId?: string;
  value?: string;
  label?: string;
}

/** Finds the button with `actionId` in an `actions` block or a section accessory. */
function findButton(blocks: unknown[] | undefined, actionId: string): FoundButton | undefined {
  for (const block of blocks ?? []) {
    if (!isRecord(block)) continue;
    const elements = Array.isArray(block.elements) ? block.elements : [];
    const candidates = [...elements, block.accessory];
    for (const element of candidates) {
      if (isRecord(element) && element.action_id === actionId) {
        const text = isRecord(element.text) ? element.text.text : undefined;
        return {
          blockId: typeof block.block_id === 'string' ? block.block_id : undefined,
          value: typeof element.value === 'string' ? element.value : undefined,
          label: typeof text === 'string' ? text : undefined,
        };
      }
    }
  }
  return undefined;
}

function stripEventFields(event: SlackPayload): SlackPayload {
  const { event_ts: _eventTs, channel_type: _channelType, channel: _channel, ...message } = event;
  return message;
}

/** A copy of `value` without its `undefined` fields, as Slack never sends them. */
export function withoutUndefined<T extends SlackPayload>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A channel's name as interactivity payloads carry it: the default channel's name, Slack's
 * `directmessage` for a DM, else the id in lower case (as `conversations.info` synthesizes).
 */
function channelNameOf(channelId: string): string {
  if (channelId === FAKE_SLACK_DEFAULTS.channelId) return FAKE_SLACK_DEFAULTS.channelName;
  return channelId.startsWith('D') ? 'directmessage' : channelId.toLowerCase();
}

function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

function newEventId(): string {
  return `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
}
