/**
 * Speaking as Slack to the app under test: signed HTTP requests to the app's `/slack/events`
 * URL (slash commands, Events API callbacks, interactivity, URL verification).
 */
import {
  type BlockActionInput,
  buildBlockActionsPayload,
  buildEventCallback,
  buildSlashCommandPayload,
  type EventCallbackOptions,
  type MessageInput,
  messageChangedEvent,
  messageDeletedEvent,
  messageEvent,
  type SlashCommandInput,
} from './payloads.js';
import { signSlackRequest } from './signing.js';
import { FAKE_SLACK_DEFAULTS, type SlackPayload, type SlackWorkspace } from './workspace.js';

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
    const event = this.write(text, input, true);
    const result = await this.sendEvent(event, {}, send);
    return { ...result, event };
  }

  /**
   * Writes a message (in a thread when `threadTs` is given) that Slack keeps but no app hears: the
   * bot was down longer than Slack retries. `conversations.replies` / `history` list it; returns
   * the event that was not delivered.
   */
  sayUnheard(text: string, input: Omit<MessageInput, 'text'> = {}): SlackPayload {
    return this.write(text, input, false);
  }

  /**
   * Writes to the bot directly: a message in the person's DM with the bot (the conversation
   * `conversations.open` gives the bot for them), top-level or in a thread under `threadTs`,
   * delivered as Slack's `message.im` event (`channel_type: 'im'`).
   */
  async sayDirect(
    text: string,
    input: Omit<MessageInput, 'text' | 'channel' | 'channelType'> = {},
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload> & { event: SlackPayload }> {
    return this.say(
      text,
      {
        ...input,
        channel: this.options.workspace.directChannel(this.userId),
        channelType: 'im',
      },
      send,
    );
  }

  /** Writes to the bot directly (as {@link sayDirect}) while no app hears it (see {@link sayUnheard}). */
  sayDirectUnheard(
    text: string,
    input: Omit<MessageInput, 'text' | 'channel' | 'channelType'> = {},
  ): SlackPayload {
    return this.write(
      text,
      { ...input, channel: this.options.workspace.directChannel(this.userId), channelType: 'im' },
      false,
    );
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

  /**
   * Delivers any event in an `event_callback` envelope, as JSON; a person's message event (a new
   * message, an edit, a deletion) is kept in the conversation first, as Slack keeps it whether or
   * not the app answers.
   */
  async sendEvent(
    event: SlackPayload,
    options: EventCallbackOptions = {},
    send: SendOptions = {},
  ): Promise<SentRequest<SlackPayload>> {
    this.options.workspace.keepPersonMessage(event, true);
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

  /** A message event of this person's, kept in the conversation as `delivered` or not. */
  private write(text: string, input: Omit<MessageInput, 'text'>, delivered: boolean): SlackPayload {
    const event = messageEvent(this.options.workspace, {
      userId: this.userId,
      channel: this.channelId,
      ...input,
      text,
    });
    this.options.workspace.keepPersonMessage(event, delivered);
    return event;
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

function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
