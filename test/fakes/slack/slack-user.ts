/**
 * Speaking as Slack to the app under test: signed HTTP requests to the app's `/slack/events`
 * URL (slash commands, Events API callbacks, interactivity, URL verification), and the payload
 * builders that the fake's Socket Mode server reuses, so both transports carry identical payloads.
 *
 * Payload shapes follow Slack's documented wire formats: slash commands are form-encoded fields,
 * Events API deliveries are JSON `event_callback` envelopes, and interactivity is a form field
 * `payload` holding JSON.
 */
import { createHmac, randomBytes } from 'node:crypto';

/** Ids and names the fakes use when a test does not choose its own. */
export const FAKE_SLACK_DEFAULTS = {
  /** Workspace id. */
  teamId: 'T0FAKETEAM',
  /** Workspace subdomain. */
  teamDomain: 'fake-team',
  /** Slack app id (`api_app_id`). */
  appId: 'A0FAKEAPP',
  /** The app's bot user id (what `auth.test` returns as `user_id`). */
  botUserId: 'U0FAKEBOT',
  /** The app's bot id (what `auth.test` returns as `bot_id`). */
  botId: 'B0FAKEBOT',
  /** The person speaking to the app. */
  userId: 'U0CANDIDATE',
  /** That person's handle. */
  userName: 'candidate',
  /** The channel conversations happen in. */
  channelId: 'C0PRACTICE',
  /** That channel's name. */
  channelName: 'practice',
  /** The legacy verification token Slack still puts in payloads. */
  verificationToken: 'fake-verification-token',
} as const;

/** Where a response URL was issued, so POSTs to it can act on the right message or user. */
export interface ResponseUrlContext {
  /** Channel the command or action happened in. */
  channel?: string;
  /** User who ran the command or clicked. */
  userId?: string;
  /** The message holding the clicked element; `replace_original` / `delete_original` act on it. */
  messageTs?: string;
  /** Thread of that message, when it is a reply. */
  threadTs?: string;
}

/** What payload builders need from the Slack workspace they speak for. `FakeSlack` implements it. */
export interface SlackWorkspace {
  /** Workspace id put into every payload. */
  readonly teamId: string;
  /** Workspace subdomain put into payloads. */
  readonly teamDomain: string;
  /** App id (`api_app_id`) put into every payload. */
  readonly appId: string;
  /** The app's bot user id, used in `authorizations`. */
  readonly botUserId: string;
  /** Issues the next message timestamp; unique and increasing across the workspace. */
  nextTs(): string;
  /** Issues a response URL whose POSTs the workspace records. */
  createResponseUrl(context?: ResponseUrlContext): string;
}

/** A Slack payload: JSON-shaped data on its way to the app. */
export type SlackPayload = Record<string, unknown>;

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
    channel_type: 'channel',
  });
}

/** Builds a `message_changed` event: `original` (a {@link messageEvent}) now reads `newText`. */
export function messageChangedEvent(
  workspace: SlackWorkspace,
  original: SlackPayload,
  newText: string,
): SlackPayload {
  const eventTs = workspace.nextTs();
  const previous = stripEventFields(original);
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: original.channel,
    channel_type: original.channel_type ?? 'channel',
    ts: eventTs,
    event_ts: eventTs,
    message: { ...previous, text: newText, edited: { user: original.user, ts: eventTs } },
    previous_message: previous,
  };
}

/** Builds a `message_deleted` event for `original` (a {@link messageEvent}). */
export function messageDeletedEvent(
  workspace: SlackWorkspace,
  original: SlackPayload,
): SlackPayload {
  const eventTs = workspace.nextTs();
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: original.channel,
    channel_type: original.channel_type ?? 'channel',
    ts: eventTs,
    event_ts: eventTs,
    deleted_ts: original.ts,
    previous_message: stripEventFields(original),
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

/**
 * Signs a request body the way Slack does: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}`
 * keyed with the signing secret. `timestamp` is Unix seconds and defaults to now.
 */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp: number = Math.floor(Date.now() / 1000),
): { signature: string; timestamp: number } {
  const digest = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { signature: `v0=${digest}`, timestamp };
}

/** How one request is sent; the defaults send a correctly signed, fresh, first delivery. */
export interface SendOptions {
  /** Sign with the wrong secret; the app must answer 401. */
  badSignature?: boolean;
  /** Sign with a timestamp ten minutes old (a replay); the app must answer 401. */
  staleTimestamp?: boolean;
  /** Unix seconds for `X-Slack-Request-Timestamp`. Default now. */
  timestamp?: number;
  /** Sets `X-Slack-Retry-Num`, as Slack does when redelivering an event that was not acked. */
  retryNum?: number;
  /** Sets `X-Slack-Retry-Reason` (Slack uses e.g. `http_timeout`, `http_error`). */
  retryReason?: string;
}

/** The app's answer to one request. */
export interface SlackHttpResult {
  /** HTTP status. */
  status: number;
  /** Raw body text. */
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json: unknown;
}

/** An answer plus the payload that was sent, so a test can find e.g. its `response_url`. */
export type SentRequest<P> = SlackHttpResult & { payload: P };

/** Who a {@link SlackUser} is and where it sends. */
export interface SlackUserOptions {
  /** The app's request URL, e.g. `http://127.0.0.1:PORT/slack/events`. */
  url: string;
  /** The app's signing secret. */
  signingSecret: string;
  /** The workspace (usually the `FakeSlack`) issuing ts values and response URLs. */
  workspace: SlackWorkspace;
  /** This person's user id. Default {@link FAKE_SLACK_DEFAULTS.userId}. */
  userId?: string;
  /** This person's handle. Default {@link FAKE_SLACK_DEFAULTS.userName}. */
  userName?: string;
  /** The channel they speak in unless told otherwise. Default {@link FAKE_SLACK_DEFAULTS.channelId}. */
  channelId?: string;
}

/**
 * A person in Slack, talking to the app over HTTP the way Slack would deliver it: every request
 * is signed with the app's signing secret (or deliberately mis-signed, see {@link SendOptions}).
 */
export class SlackUser {
  /** This person's user id. */
  readonly userId: string;
  /** This person's handle. */
  readonly userName: string;
  /** Their default channel. */
  readonly channelId: string;

  /** Creates a user speaking to the app at `options.url`. */
  constructor(private readonly options: SlackUserOptions) {
    this.userId = options.userId ?? FAKE_SLACK_DEFAULTS.userId;
    this.userName = options.userName ?? FAKE_SLACK_DEFAULTS.userName;
    this.channelId = options.channelId ?? FAKE_SLACK_DEFAULTS.channelId;
  }

  /** Runs a slash command (default `/mockdesign`) with `text`, form-encoded like Slack sends it. */
  async command(
    text = '',
    input: Omit<SlashCommandInput, 'text'> = {},
    send: SendOptions = {},
  ): Promise<SentRequest<Record<string, string>>> {
    const payload = buildSlashCommandPayload(this.options.workspace, {
      userId: this.userId,
      userName: this.userName,
      channelId: this.channelId,
      ...input,
      text,
    });
    const result = await this.postForm(payload, send);
    return { ...result, payload };
  }

  /** Posts a message (in a thread when `threadTs` is given) and delivers its `message` event. */
  async say(
    text: string,
    input: Omit<MessageInput, 'text'> = {},
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload> & { event: SlackPayload }> {
    const event = messageEvent(this.options.workspace, {
      userId: this.userId,
      channel: this.channelId,
      ...input,
      text,
    });
    const result = await this.sendEvent(event, {}, send);
    return { ...result, event };
  }

  /** Edits one of this user's messages (the `event` returned by {@link say}): `message_changed`. */
  async edit(
    original: SlackPayload,
    newText: string,
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload>> {
    return this.sendEvent(messageChangedEvent(this.options.workspace, original, newText), {}, send);
  }

  /** Deletes one of this user's messages (the `event` returned by {@link say}): `message_deleted`. */
  async delete(original: SlackPayload, send: SendOptions = {}): Promise<SentRequest<SlackPayload>> {
    return this.sendEvent(messageDeletedEvent(this.options.workspace, original), {}, send);
  }

  /** Delivers any event in an `event_callback` envelope, as JSON. */
  async sendEvent(
    event: SlackPayload,
    options: EventCallbackOptions = {},
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload>> {
    const payload = buildEventCallback(this.options.workspace, event, options);
    const result = await this.postJson(payload, send);
    return { ...result, payload };
  }

  /** Clicks a button: a `block_actions` payload in the form field `payload`. */
  async clickButton(
    input: BlockActionInput,
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload>> {
    const payload = buildBlockActionsPayload(this.options.workspace, {
      userId: this.userId,
      userName: this.userName,
      channelId: input.message?.channel ?? this.channelId,
      ...input,
    });
    const result = await this.postForm({ payload: JSON.stringify(payload) }, send);
    return { ...result, payload };
  }

  /** Sends the `url_verification` handshake Slack uses when an events URL is configured. */
  async verifyUrl(
    challenge = 'fake-challenge',
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload>> {
    const payload = {
      token: FAKE_SLACK_DEFAULTS.verificationToken,
      challenge,
      type: 'url_verification',
    };
    const result = await this.postJson(payload, send);
    return { ...result, payload };
  }

  /** POSTs signed `application/x-www-form-urlencoded` fields. */
  postForm(fields: Record<string, string>, send: SendOptions = {}): Promise<SlackHttpResult> {
    return this.post(
      new URLSearchParams(fields).toString(),
      'application/x-www-form-urlencoded',
      send,
    );
  }

  /** POSTs a signed JSON body. */
  postJson(body: SlackPayload, send: SendOptions = {}): Promise<SlackHttpResult> {
    return this.post(JSON.stringify(body), 'application/json', send);
  }

  private async post(
    rawBody: string,
    contentType: string,
    send: SendOptions,
  ): Promise<SlackHttpResult> {
    const now = Math.floor(Date.now() / 1000);
    const timestamp = send.timestamp ?? (send.staleTimestamp ? now - 10 * 60 : now);
    const secret = send.badSignature
      ? `${this.options.signingSecret}-wrong`
      : this.options.signingSecret;
    const { signature } = signSlackRequest(secret, rawBody, timestamp);
    const headers: Record<string, string> = {
      // Bolt compares the content type exactly, so no charset parameter.
      'Content-Type': contentType,
      'X-Slack-Request-Timestamp': String(timestamp),
      'X-Slack-Signature': signature,
      'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    };
    if (send.retryNum !== undefined) headers['X-Slack-Retry-Num'] = String(send.retryNum);
    if (send.retryReason !== undefined) headers['X-Slack-Retry-Reason'] = send.retryReason;
    const response = await fetch(this.options.url, { method: 'POST', headers, body: rawBody });
    const body = await response.text();
    return { status: response.status, body, json: parseJsonOrUndefined(body) };
  }
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

function withoutUndefined<T extends SlackPayload>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The default channel's name, else the id in lower case (as `conversations.info` synthesizes). */
function channelNameOf(channelId: string): string {
  return channelId === FAKE_SLACK_DEFAULTS.channelId
    ? FAKE_SLACK_DEFAULTS.channelName
    : channelId.toLowerCase();
}

function newTriggerId(): string {
  return `${Date.now()}.${randomBytes(4).readUInt32BE()}.${randomBytes(16).toString('hex')}`;
}

function newEventId(): string {
  return `Ev${randomBytes(6).toString('hex').toUpperCase()}`;
}
