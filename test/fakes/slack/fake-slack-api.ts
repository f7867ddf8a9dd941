/**
 * A local fake of Slack that speaks Slack's wire protocol, so end-to-end tests run the real
 * `@slack/bolt` app (and its real `@slack/web-api` / `@slack/socket-mode` clients) without the
 * internet:
 *
 * - the Web API: form-encoded or JSON POSTs to `/api/<method>`, answered `{ ok: true, ... }` or
 *   `{ ok: false, error }`, with bearer-token checks and rate-limit fault injection;
 * - response URLs: `POST /respond/<id>`, as `respond()` uses after a command or an action;
 * - Socket Mode: `apps.connections.open` hands out a `ws://` URL served by {@link FakeSlackSocket}.
 *
 * Everything the app does is recorded (`calls`, `messages`, `ephemerals`, `responses`) and the
 * `waitFor*` helpers resolve as soon as a recording matches.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type RawData, type WebSocket, WebSocketServer } from 'ws';
import {
  type BlockActionInput,
  buildBlockActionsPayload,
  buildEventCallback,
  buildSlashCommandPayload,
  type EventCallbackOptions,
  FAKE_SLACK_DEFAULTS,
  type ResponseUrlContext,
  type SlackPayload,
  type SlackWorkspace,
  type SlashCommandInput,
} from './slack-user.js';

/** How long `waitFor*` helpers wait by default, in milliseconds. */
export const DEFAULT_WAIT_MS = 5_000;

/** Slack lets a response URL be used this many times. */
const RESPONSE_URL_MAX_USES = 5;

/** Configuration of a fake Slack; every field has a default. */
export interface FakeSlackOptions {
  /** The bot token (`xoxb-`) the Web API accepts. Default `xoxb-fake-bot-token`. */
  botToken?: string;
  /** The app-level token (`xapp-`) `apps.connections.open` accepts. Default `xapp-1-fake-app-token`. */
  appToken?: string;
  /** Workspace id. Default `T0FAKETEAM`. */
  teamId?: string;
  /** Workspace subdomain. Default `fake-team`. */
  teamDomain?: string;
  /** App id. Default `A0FAKEAPP`. */
  appId?: string;
  /** The bot's user id, returned by `auth.test`. Default `U0FAKEBOT`. */
  botUserId?: string;
  /** The bot id, returned by `auth.test`. Default `B0FAKEBOT`. */
  botId?: string;
  /** The bot's display name. Default `mockdesign`. */
  botName?: string;
  /** Unix seconds of the first message ts; each ts adds 100 µs. Default 1_700_000_000. */
  firstTs?: number;
  /** Base of permalinks. Default `https://fake.slack`. */
  permalinkBase?: string;
  /** Users `users.info` knows beyond the synthesized ones (any `U...`/`W...` id is synthesized). */
  users?: FakeSlackUserRecord[];
  /** Channels `conversations.info` knows beyond the synthesized ones (any `C/G/D...` id). */
  channels?: FakeSlackChannelRecord[];
  /** Interval of server pings on Socket Mode connections, in ms; 0 disables. Default 10_000. */
  socketPingIntervalMs?: number;
  /** How long a pushed Socket Mode envelope waits for the app's ack, in ms. Default 3_000 (Slack's). */
  socketAckTimeoutMs?: number;
}

/** A user as `users.info` returns it; unset fields are synthesized from the id. */
export interface FakeSlackUserRecord {
  /** User id. */
  id: string;
  /** Handle. Default: the id in lower case. */
  name?: string;
  /** Full name. Default: the handle. */
  real_name?: string;
  /** IANA time zone. Default `UTC`. */
  tz?: string;
  /** Whether this is a bot user. Default false (true for the app's own bot user). */
  is_bot?: boolean;
  /** Whether the account is deactivated. Default false. */
  deleted?: boolean;
}

/** A channel as `conversations.info` returns it; unset fields are synthesized from the id. */
export interface FakeSlackChannelRecord {
  /** Channel id. */
  id: string;
  /** Name. Default: the id in lower case. */
  name?: string;
  /** Private channel. Default: ids starting with `G`. */
  is_private?: boolean;
  /** Direct message. Default: ids starting with `D`. */
  is_im?: boolean;
  /** Archived. Default false. */
  is_archived?: boolean;
}

/** One Web API call as the fake saw it. */
export interface FakeSlackCall {
  /** Method name, e.g. `chat.postMessage`. */
  method: string;
  /** Parameters, with JSON-in-form fields (`blocks`, `attachments`, `metadata`) decoded; no token. */
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
  /** Message metadata, if posted with it. */
  metadata?: unknown;
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

/** A fault to answer instead of a method's normal result. */
export interface FakeSlackFault {
  /** HTTP status; 429 is Slack's rate limit and carries `Retry-After`. Default 200. */
  status?: number;
  /** Seconds in the `Retry-After` header of a 429. Default 1. */
  retryAfter?: number;
  /** Error code of an `ok: false` answer. Default `ratelimited` for a 429, else `internal_error`. */
  error?: string;
  /** How many consecutive calls fail. Default 1. */
  times?: number;
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

/** A Socket Mode envelope pushed to the app. */
export interface SocketModeEnvelope {
  /** Id the app must echo in its ack. */
  envelope_id: string;
  /** Envelope kind: `slash_commands`, `events_api`, `interactive`. */
  type: string;
  /** The same payload the HTTP transport would carry. */
  payload: SlackPayload;
  /** Whether the ack may carry a response payload (commands, some interactivity). */
  accepts_response_payload: boolean;
  /** Redelivery count (events only). */
  retry_attempt?: number;
  /** Why it was redelivered (events only). */
  retry_reason?: string;
}

/** The app's acknowledgement of an envelope. */
export interface SocketModeAck {
  /** The envelope acked. */
  envelope_id: string;
  /** The response payload the app acked with (`{}` for a bare `ack()`). */
  payload?: SlackPayload;
  /** When it arrived (`Date.now()`). */
  at: number;
}

class SlackApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

type TokenKind = 'bot' | 'app';
type ApiHandler = (params: SlackPayload) => SlackPayload;

/**
 * A running fake Slack. Create one with {@link startFakeSlack}; it implements
 * {@link SlackWorkspace} so a `SlackUser` can take it as its workspace.
 */
export class FakeSlack implements SlackWorkspace {
  /** Web API base to pass as Bolt's `clientOptions.slackApiUrl`, e.g. `http://127.0.0.1:PORT/api/`. */
  readonly apiUrl: string;
  /** Root of the server, e.g. `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  /** The bot token the Web API accepts. */
  readonly botToken: string;
  /** The app-level token `apps.connections.open` accepts. */
  readonly appToken: string;
  /** Workspace id. */
  readonly teamId: string;
  /** Workspace subdomain. */
  readonly teamDomain: string;
  /** App id. */
  readonly appId: string;
  /** The bot's user id. */
  readonly botUserId: string;
  /** The bot id. */
  readonly botId: string;
  /** The Socket Mode side: push envelopes, read acks, force disconnects. */
  readonly socket: FakeSlackSocket;

  private readonly recordedCalls: FakeSlackCall[] = [];
  private readonly recordedMessages: FakeSlackMessage[] = [];
  private readonly recordedEphemerals: FakeSlackEphemeral[] = [];
  private readonly recordedResponses: FakeSlackResponse[] = [];
  private readonly responseUrls = new Map<string, { context: ResponseUrlContext; uses: number }>();
  private readonly faults = new Map<string, FakeSlackFault[]>();
  private readonly changes = new EventEmitter();
  private readonly handlers: Record<string, [TokenKind, ApiHandler]>;
  private tsSequence = 0;

  /** Use {@link startFakeSlack}. */
  constructor(
    private readonly server: Server,
    private readonly options: FakeSlackOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = options.botToken ?? 'xoxb-fake-bot-token';
    this.appToken = options.appToken ?? 'xapp-1-fake-app-token';
    this.teamId = options.teamId ?? FAKE_SLACK_DEFAULTS.teamId;
    this.teamDomain = options.teamDomain ?? FAKE_SLACK_DEFAULTS.teamDomain;
    this.appId = options.appId ?? FAKE_SLACK_DEFAULTS.appId;
    this.botUserId = options.botUserId ?? FAKE_SLACK_DEFAULTS.botUserId;
    this.botId = options.botId ?? FAKE_SLACK_DEFAULTS.botId;
    this.changes.setMaxListeners(0);
    this.socket = new FakeSlackSocket(this, `ws://127.0.0.1:${port}/socket`, {
      pingIntervalMs: options.socketPingIntervalMs ?? 10_000,
      ackTimeoutMs: options.socketAckTimeoutMs ?? 3_000,
      onChange: () => this.changed(),
    });
    this.handlers = {
      'auth.test': ['bot', () => this.authTest()],
      'chat.postMessage': ['bot', (p) => this.postMessage(p)],
      'chat.postEphemeral': ['bot', (p) => this.postEphemeral(p)],
      'chat.update': ['bot', (p) => this.updateMessage(p)],
      'chat.delete': ['bot', (p) => this.deleteMessage(p)],
      'chat.getPermalink': ['bot', (p) => this.getPermalink(p)],
      'conversations.info': ['bot', (p) => ({ channel: this.channelInfo(str(p.channel)) })],
      'users.info': ['bot', (p) => ({ user: this.userInfo(str(p.user)) })],
      'apps.connections.open': ['app', () => ({ url: this.socket.issueUrl() })],
    };
    server.on('request', (req, res) => void this.handleRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.socket.handleUpgrade(req, socket, head));
  }

  /** Every Web API call, in arrival order. */
  get calls(): readonly FakeSlackCall[] {
    return this.recordedCalls;
  }

  /** Every message posted in a channel, in posting order (edits and deletions applied in place). */
  get messages(): readonly FakeSlackMessage[] {
    return this.recordedMessages;
  }

  /** Every ephemeral message, in order. */
  get ephemerals(): readonly FakeSlackEphemeral[] {
    return this.recordedEphemerals;
  }

  /** Every body POSTed to a response URL, in order. */
  get responses(): readonly FakeSlackResponse[] {
    return this.recordedResponses;
  }

  /** Calls to one Web API method. */
  callsTo(method: string): FakeSlackCall[] {
    return this.recordedCalls.filter((call) => call.method === method);
  }

  /** A thread: its parent (if the app posted it) and its replies, oldest first; deleted ones left out. */
  thread(channel: string, threadTs: string): FakeSlackMessage[] {
    return this.recordedMessages.filter(
      (m) => m.channel === channel && !m.deleted && (m.ts === threadTs || m.thread_ts === threadTs),
    );
  }

  /** Issues the next message ts: unique and increasing for the fake's lifetime (`reset` keeps it). */
  nextTs(): string {
    this.tsSequence += 1;
    const micros = this.tsSequence * 100;
    const seconds = (this.options.firstTs ?? 1_700_000_000) + Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  /** Issues a response URL (`POST /respond/<id>`), usable five times like Slack's. */
  createResponseUrl(context: ResponseUrlContext = {}): string {
    const id = randomUUID();
    this.responseUrls.set(id, { context, uses: 0 });
    return `${this.baseUrl}/respond/${id}`;
  }

  /** The permalink Slack would give a message. */
  permalink(channel: string, ts: string, threadTs?: string): string {
    const base = this.options.permalinkBase ?? 'https://fake.slack';
    const link = `${base}/archives/${channel}/p${ts.replace('.', '')}`;
    return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channel}` : link;
  }

  /**
   * Makes the next call(s) to `method` (or to any method, with `*`) fail: `{ status: 429,
   * retryAfter: 1 }` rate-limits over HTTP as Slack does; `{ error: 'ratelimited' }` answers
   * `ok: false`. Faults queue up in order.
   */
  failNext(method: string, fault: FakeSlackFault = { status: 429, retryAfter: 1 }): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < (fault.times ?? 1); i += 1) queue.push(fault);
    this.faults.set(method, queue);
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

  /** Waits for a message matching `match` (fields, or a predicate) and returns it. */
  waitForMessage(
    match: MessageMatch | ((message: FakeSlackMessage) => boolean),
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeSlackMessage> {
    const predicate = typeof match === 'function' ? match : messageMatcher(match);
    return this.waitFor(
      () => this.recordedMessages.find(predicate),
      timeoutMs,
      `message matching ${describeMatch(match)}`,
    );
  }

  /** Waits for an ephemeral message whose text contains `text` (string or pattern). */
  waitForEphemeral(
    text: string | RegExp,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeSlackEphemeral> {
    return this.waitFor(
      () => this.recordedEphemerals.find((e) => textMatches(e.text, e.blocks, text)),
      timeoutMs,
      `ephemeral matching ${String(text)}`,
    );
  }

  /** Waits for a response-URL POST, optionally one satisfying `predicate`. */
  waitForResponse(
    predicate: (response: FakeSlackResponse) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeSlackResponse> {
    return this.waitFor(
      () => this.recordedResponses.find(predicate),
      timeoutMs,
      'response-URL POST',
    );
  }

  /** Waits for a Web API call to `method`, optionally one satisfying `predicate`. */
  waitForCall(
    method: string,
    predicate: (call: FakeSlackCall) => boolean = () => true,
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeSlackCall> {
    return this.waitFor(
      () => this.recordedCalls.find((c) => c.method === method && predicate(c)),
      timeoutMs,
      `call to ${method}`,
    );
  }

  /** Forgets every recording, pending fault and issued response URL; ts values keep increasing. */
  reset(): void {
    this.recordedCalls.length = 0;
    this.recordedMessages.length = 0;
    this.recordedEphemerals.length = 0;
    this.recordedResponses.length = 0;
    this.responseUrls.clear();
    this.faults.clear();
    this.socket.reset();
  }

  /** Closes Socket Mode connections and the HTTP server (dropping keep-alive connections). */
  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private changed(): void {
    this.changes.emit('change');
  }

  private describe(): string {
    const methods = this.recordedCalls.map((c) => c.method).join(', ') || 'none';
    const messages = this.recordedMessages
      .map((m) => `${m.channel}/${m.ts}${m.thread_ts ? ` (in ${m.thread_ts})` : ''}: ${m.text}`)
      .join(' | ');
    return `calls: ${methods}; messages: ${messages || 'none'}; responses: ${this.recordedResponses.length}`;
  }

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      const raw = await readBody(req);
      if (url.pathname.startsWith('/api/')) {
        this.handleApi(url.pathname.slice('/api/'.length), req, url, raw, res);
      } else if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
        this.handleResponseUrl(url.pathname.slice('/respond/'.length), req, raw, res);
      } else {
        sendJson(res, 404, { ok: false, error: 'not_found' });
      }
    } catch (error) {
      sendJson(res, 500, { ok: false, error: 'fake_slack_internal_error', detail: String(error) });
    }
  }

  private handleApi(
    method: string,
    req: IncomingMessage,
    url: URL,
    raw: string,
    res: ServerResponse,
  ): void {
    const record = (status: number, params: SlackPayload, token?: string, error?: string) => {
      this.recordedCalls.push({ method, params, token, at: Date.now(), status, ok: !error, error });
      this.changed();
    };
    let params: SlackPayload;
    try {
      params = parseParams(req.headers['content-type'], raw, url.searchParams);
    } catch (error) {
      const code = error instanceof SlackApiError ? error.code : 'invalid_form_data';
      record(200, {}, undefined, code);
      sendJson(res, 200, { ok: false, error: code });
      return;
    }
    const token = bearerToken(req.headers.authorization) ?? str(params.token);
    delete params.token;

    const fault = this.takeFault(method);
    if (fault) {
      const status = fault.status ?? 200;
      const error = fault.error ?? (status === 429 ? 'ratelimited' : 'internal_error');
      const headers: Record<string, string> = {};
      if (status === 429) headers['Retry-After'] = String(fault.retryAfter ?? 1);
      record(status, params, token, error);
      sendJson(res, status, { ok: false, error }, headers);
      return;
    }

    const entry = this.handlers[method];
    if (!entry) {
      record(200, params, token, 'unknown_method');
      sendJson(res, 200, { ok: false, error: 'unknown_method', req_method: method });
      return;
    }
    const [kind, handler] = entry;
    try {
      this.checkToken(kind, token);
      const result = { ok: true, ...handler(params) };
      record(200, params, token);
      sendJson(res, 200, result);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      record(200, params, token, error.code);
      sendJson(res, 200, { ok: false, error: error.code });
    }
  }

  private checkToken(kind: TokenKind, token: string | undefined): void {
    if (!token) throw new SlackApiError('not_authed');
    const expected = kind === 'bot' ? this.botToken : this.appToken;
    const other = kind === 'bot' ? this.appToken : this.botToken;
    if (token === other) throw new SlackApiError('not_allowed_token_type');
    if (token !== expected) throw new SlackApiError('invalid_auth');
  }

  private takeFault(method: string): FakeSlackFault | undefined {
    for (const key of [method, '*']) {
      const queue = this.faults.get(key);
      if (queue && queue.length > 0) return queue.shift();
    }
    return undefined;
  }

  private authTest(): SlackPayload {
    return {
      url: `https://${this.teamDomain}.fake.slack/`,
      team: this.teamDomain,
      user: this.options.botName ?? 'mockdesign',
      team_id: this.teamId,
      user_id: this.botUserId,
      bot_id: this.botId,
      is_enterprise_install: false,
    };
  }

  private postMessage(params: SlackPayload): SlackPayload {
    const channel = requireChannel(params);
    const content = messageContent(params);
    const message: FakeSlackMessage = {
      channel,
      ts: this.nextTs(),
      thread_ts: str(params.thread_ts),
      ...content,
      metadata: params.metadata,
      user: this.botUserId,
      bot_id: this.botId,
      revisions: [],
      deleted: false,
      via: 'chat.postMessage',
      at: Date.now(),
    };
    this.recordedMessages.push(message);
    return { channel, ts: message.ts, message: this.wireMessage(message) };
  }

  private postEphemeral(params: SlackPayload): SlackPayload {
    const channel = requireChannel(params);
    const user = str(params.user);
    if (!user) throw new SlackApiError('user_not_found');
    const content = messageContent(params);
    const ts = this.nextTs();
    this.recordedEphemerals.push({
      channel,
      user,
      ts,
      thread_ts: str(params.thread_ts),
      text: content.text,
      blocks: content.blocks,
      via: 'chat.postEphemeral',
      at: Date.now(),
    });
    return { message_ts: ts };
  }

  private updateMessage(params: SlackPayload): SlackPayload {
    const message = this.findMessage(requireChannel(params), str(params.ts));
    // Slack keeps blocks/attachments that an update leaves out; an empty array removes them.
    this.revise(message, {
      text: str(params.text) ?? message.text,
      blocks:
        params.blocks === undefined ? message.blocks : asArray(params.blocks, 'invalid_blocks'),
      attachments:
        params.attachments === undefined
          ? message.attachments
          : asArray(params.attachments, 'invalid_attachments'),
    });
    message.edited = { user: this.botUserId, ts: this.nextTs() };
    return {
      channel: message.channel,
      ts: message.ts,
      text: message.text,
      message: this.wireMessage(message),
    };
  }

  private deleteMessage(params: SlackPayload): SlackPayload {
    const message = this.findMessage(requireChannel(params), str(params.ts));
    message.deleted = true;
    return { channel: message.channel, ts: message.ts };
  }

  private getPermalink(params: SlackPayload): SlackPayload {
    const channel = requireChannel(params);
    const ts = str(params.message_ts);
    if (!ts || !/^\d+\.\d+$/.test(ts)) throw new SlackApiError('message_not_found');
    // Messages the fake never saw (a person's, say) still get a link, as they exist in Slack.
    const known = this.recordedMessages.find((m) => m.channel === channel && m.ts === ts);
    if (known?.deleted) throw new SlackApiError('message_not_found');
    return { channel, permalink: this.permalink(channel, ts, known?.thread_ts) };
  }

  private channelInfo(id: string | undefined): SlackPayload {
    const configured = this.options.channels?.find((c) => c.id === id);
    if (!id || (!configured && !/^[CGD][A-Z0-9]+$/.test(id))) {
      throw new SlackApiError('channel_not_found');
    }
    const isIm = configured?.is_im ?? id.startsWith('D');
    return {
      id,
      name: configured?.name ?? id.toLowerCase(),
      is_channel: !isIm,
      is_group: false,
      is_im: isIm,
      is_private: configured?.is_private ?? id.startsWith('G'),
      is_archived: configured?.is_archived ?? false,
      is_member: true,
      context_team_id: this.teamId,
    };
  }

  private userInfo(id: string | undefined): SlackPayload {
    const configured = this.options.users?.find((u) => u.id === id);
    if (!id || (!configured && !/^[UW][A-Z0-9]+$/.test(id))) {
      throw new SlackApiError('user_not_found');
    }
    const isBot = id === this.botUserId;
    const name =
      configured?.name ?? (isBot ? (this.options.botName ?? 'mockdesign') : id.toLowerCase());
    const realName = configured?.real_name ?? name;
    return {
      id,
      team_id: this.teamId,
      name,
      real_name: realName,
      deleted: configured?.deleted ?? false,
      is_bot: configured?.is_bot ?? isBot,
      tz: configured?.tz ?? 'UTC',
      profile: { real_name: realName, display_name: name, team: this.teamId },
    };
  }

  private findMessage(channel: string, ts: string | undefined): FakeSlackMessage {
    const message = this.recordedMessages.find((m) => m.channel === channel && m.ts === ts);
    if (!message || message.deleted) throw new SlackApiError('message_not_found');
    return message;
  }

  private revise(
    message: FakeSlackMessage,
    next: { text: string; blocks?: unknown[]; attachments?: unknown[] },
  ): void {
    message.revisions.push({ text: message.text, blocks: message.blocks, at: Date.now() });
    message.text = next.text;
    message.blocks = next.blocks;
    message.attachments = next.attachments;
  }

  /** The message as Slack's API answers show it (no fake-only bookkeeping). */
  private wireMessage(message: FakeSlackMessage): SlackPayload {
    return Object.fromEntries(
      Object.entries({
        type: 'message',
        user: message.user,
        bot_id: message.bot_id,
        app_id: this.appId,
        team: this.teamId,
        text: message.text,
        blocks: message.blocks,
        attachments: message.attachments,
        ts: message.ts,
        thread_ts: message.thread_ts,
        edited: message.edited,
      }).filter(([, value]) => value !== undefined),
    );
  }

  private handleResponseUrl(
    id: string,
    req: IncomingMessage,
    raw: string,
    res: ServerResponse,
  ): void {
    const issued = this.responseUrls.get(id);
    if (!issued) {
      sendJson(res, 404, { ok: false, error: 'expired_url' });
      return;
    }
    if (issued.uses >= RESPONSE_URL_MAX_USES) {
      sendJson(res, 404, { ok: false, error: 'used_url' });
      return;
    }
    issued.uses += 1;
    let body: SlackPayload;
    try {
      body = parseParams(req.headers['content-type'], raw, new URLSearchParams());
      if (typeof body.payload === 'string') body = JSON.parse(body.payload) as SlackPayload;
    } catch {
      sendJson(res, 400, { ok: false, error: 'invalid_payload' });
      return;
    }
    const effect = this.applyResponse(issued.context, body);
    this.recordedResponses.push({
      id,
      url: `${this.baseUrl}/respond/${id}`,
      body,
      context: issued.context,
      effect,
      at: Date.now(),
    });
    this.changed();
    sendJson(res, 200, { ok: true });
  }

  private applyResponse(
    context: ResponseUrlContext,
    body: SlackPayload,
  ): FakeSlackResponse['effect'] {
    const original = this.recordedMessages.find(
      (m) => m.channel === context.channel && m.ts === context.messageTs && !m.deleted,
    );
    if (body.delete_original === true && original) {
      original.deleted = true;
      return 'deleted';
    }
    const content = {
      text: str(body.text) ?? '',
      blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
    };
    if (body.replace_original === true && original) {
      this.revise(original, { ...content, attachments: original.attachments });
      return 'replaced';
    }
    const channel = context.channel ?? FAKE_SLACK_DEFAULTS.channelId;
    const threadTs = str(body.thread_ts) ?? context.threadTs;
    if (body.response_type === 'in_channel') {
      this.recordedMessages.push({
        channel,
        ts: this.nextTs(),
        thread_ts: threadTs,
        ...content,
        user: this.botUserId,
        bot_id: this.botId,
        revisions: [],
        deleted: false,
        via: 'response_url',
        at: Date.now(),
      });
      return 'posted';
    }
    this.recordedEphemerals.push({
      channel,
      user: context.userId,
      ts: this.nextTs(),
      thread_ts: threadTs,
      ...content,
      via: 'response_url',
      at: Date.now(),
    });
    return 'ephemeral';
  }
}

/** Options of the Socket Mode side, set through {@link FakeSlackOptions}. */
interface FakeSlackSocketOptions {
  pingIntervalMs: number;
  ackTimeoutMs: number;
  onChange: () => void;
}

interface PendingAck {
  resolve: (ack: SocketModeAck) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * Slack's Socket Mode server: `apps.connections.open` issues single-use `ws://` URLs; on connect
 * the server says `hello`; tests push envelopes to the newest open connection and get the app's
 * ack back. The client's pings are answered with pongs (by `ws`), and the server pings too.
 */
export class FakeSlackSocket {
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly tickets = new Set<string>();
  private readonly connections: WebSocket[] = [];
  private readonly pending = new Map<string, PendingAck>();
  private readonly recordedEnvelopes: SocketModeEnvelope[] = [];
  private readonly recordedAcks: SocketModeAck[] = [];
  private connectionCount = 0;

  /** Created by {@link FakeSlack}; reach it as `fake.socket`. */
  constructor(
    private readonly workspace: SlackWorkspace,
    private readonly url: string,
    private readonly options: FakeSlackSocketOptions,
  ) {}

  /** Envelopes pushed to the app, in order. */
  get envelopes(): readonly SocketModeEnvelope[] {
    return this.recordedEnvelopes;
  }

  /** Acks received from the app, in order. */
  get acks(): readonly SocketModeAck[] {
    return this.recordedAcks;
  }

  /** Number of open connections. */
  get openConnections(): number {
    return this.connections.length;
  }

  /** Number of connections ever accepted (grows by one on each reconnect). */
  get totalConnections(): number {
    return this.connectionCount;
  }

  /** Issues a single-use connection URL, as `apps.connections.open` does. */
  issueUrl(): string {
    const ticket = randomUUID();
    this.tickets.add(ticket);
    return `${this.url}?ticket=${ticket}&app_id=${this.workspace.appId}`;
  }

  /** Waits until at least `count` connections were ever accepted and one is open. */
  async waitForConnection(count = 1, timeoutMs = DEFAULT_WAIT_MS): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.connectionCount < count || this.connections.length === 0) {
      if (Date.now() > deadline) {
        throw new Error(
          `fake Slack socket: ${this.connectionCount} connection(s) after ${timeoutMs} ms, wanted ${count}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Pushes an envelope to the newest open connection and resolves with the app's ack. */
  async send(envelope: Omit<SocketModeEnvelope, 'envelope_id'>): Promise<SocketModeAck> {
    await this.waitForConnection(1, this.options.ackTimeoutMs);
    const connection = this.connections.at(-1);
    if (!connection) throw new Error('fake Slack socket: no open connection');
    const full: SocketModeEnvelope = { envelope_id: randomUUID(), ...envelope };
    this.recordedEnvelopes.push(full);
    const acked = new Promise<SocketModeAck>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(full.envelope_id);
        reject(
          new Error(
            `fake Slack socket: ${full.type} envelope not acked within ${this.options.ackTimeoutMs} ms`,
          ),
        );
      }, this.options.ackTimeoutMs);
      this.pending.set(full.envelope_id, { resolve, reject, timer });
    });
    connection.send(JSON.stringify(full));
    return acked;
  }

  /** Pushes a slash command (`slash_commands`); the ack may carry a response payload. */
  sendSlashCommand(input: SlashCommandInput = {}): Promise<SocketModeAck> {
    return this.send({
      type: 'slash_commands',
      payload: buildSlashCommandPayload(this.workspace, input),
      accepts_response_payload: true,
    });
  }

  /** Pushes an event (`events_api`) in its `event_callback` envelope. */
  sendEvent(
    event: SlackPayload,
    options: EventCallbackOptions & { retryAttempt?: number; retryReason?: string } = {},
  ): Promise<SocketModeAck> {
    return this.send({
      type: 'events_api',
      payload: buildEventCallback(this.workspace, event, options),
      accepts_response_payload: false,
      retry_attempt: options.retryAttempt ?? 0,
      retry_reason: options.retryReason ?? '',
    });
  }

  /** Pushes a button click (`interactive`, `block_actions`). */
  sendAction(input: BlockActionInput): Promise<SocketModeAck> {
    return this.send({
      type: 'interactive',
      payload: buildBlockActionsPayload(this.workspace, input),
      accepts_response_payload: false,
    });
  }

  /**
   * Tells every connection to go away, as Slack does before recycling a server (`warning`,
   * `refresh_requested`) or when the app is disabled (`link_disabled`); the client reconnects.
   */
  disconnect(
    reason: 'refresh_requested' | 'warning' | 'link_disabled' = 'refresh_requested',
  ): void {
    const message = JSON.stringify({
      type: 'disconnect',
      reason,
      debug_info: { host: 'fake-slack-socket' },
    });
    for (const connection of this.connections) connection.send(message);
  }

  /** Drops every connection without a close handshake, like a network failure. */
  terminateConnections(): void {
    for (const connection of [...this.connections]) connection.terminate();
  }

  /** Forgets recorded envelopes and acks; open connections stay. */
  reset(): void {
    this.recordedEnvelopes.length = 0;
    this.recordedAcks.length = 0;
  }

  /** Handles an HTTP upgrade on the fake's server; only `/socket` with an issued ticket is accepted. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const ticket = url.searchParams.get('ticket') ?? '';
    if (url.pathname !== '/socket' || !this.tickets.delete(ticket)) {
      socket.end('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (connection) => this.accept(connection));
  }

  /**
   * Rejects pending acks and closes every connection with a close handshake (code 1001, going
   * away), terminating any peer that does not answer within a second. Stop the app first: a
   * client that is not shutting down reconnects, and the fake is gone.
   */
  async close(): Promise<void> {
    for (const [id, pending] of this.pending) {
      clearTimeout(pending.timer);
      pending.reject(new Error('fake Slack socket closed'));
      this.pending.delete(id);
    }
    await Promise.all(this.connections.map((connection) => closeGracefully(connection, 1_000)));
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(connection: WebSocket): void {
    this.connections.push(connection);
    this.connectionCount += 1;
    const pinger =
      this.options.pingIntervalMs > 0
        ? setInterval(() => connection.ping(), this.options.pingIntervalMs).unref()
        : undefined;
    connection.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    connection.on('error', () => connection.terminate());
    connection.on('close', () => {
      clearInterval(pinger);
      const index = this.connections.indexOf(connection);
      if (index >= 0) this.connections.splice(index, 1);
      this.options.onChange();
    });
    connection.send(
      JSON.stringify({
        type: 'hello',
        num_connections: this.connections.length,
        debug_info: {
          host: 'fake-slack-socket',
          build_number: 1,
          approximate_connection_time: 18_060,
        },
        connection_info: { app_id: this.workspace.appId },
      }),
    );
    this.options.onChange();
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return;
    let message: unknown;
    try {
      message = JSON.parse(rawDataToString(data));
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const { envelope_id: envelopeId, payload } = message as SlackPayload;
    if (typeof envelopeId !== 'string') return;
    const ack: SocketModeAck = {
      envelope_id: envelopeId,
      payload:
        typeof payload === 'object' && payload !== null ? (payload as SlackPayload) : undefined,
      at: Date.now(),
    };
    this.recordedAcks.push(ack);
    const pending = this.pending.get(envelopeId);
    if (pending) {
      clearTimeout(pending.timer);
      this.pending.delete(envelopeId);
      pending.resolve(ack);
    }
    this.options.onChange();
  }
}

/**
 * Closes with a handshake: a hard close while the client is mid-handshake (as after Bolt's
 * `app.stop()`) makes the client log a WebSocket error.
 */
function closeGracefully(connection: WebSocket, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    if (connection.readyState === connection.CLOSED) {
      resolve();
      return;
    }
    const timer = setTimeout(() => connection.terminate(), timeoutMs);
    connection.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    if (connection.readyState === connection.OPEN) connection.close(1001, 'fake Slack closing');
  });
}

/** Starts a fake Slack on 127.0.0.1 at a random port. Close it with `close()`. */
export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  return new FakeSlack(server, options);
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

function messageMatcher(match: MessageMatch): (message: FakeSlackMessage) => boolean {
  return (m) =>
    (match.includeDeleted || !m.deleted) &&
    (match.channel === undefined || m.channel === match.channel) &&
    (match.thread_ts === undefined || m.thread_ts === match.thread_ts) &&
    (match.text === undefined || textMatches(m.text, m.blocks, match.text));
}

function textMatches(
  text: string,
  blocks: unknown[] | undefined,
  wanted: string | RegExp,
): boolean {
  const all = plainTextOf({ text, blocks });
  return typeof wanted === 'string' ? all.includes(wanted) : wanted.test(all);
}

function describeMatch(match: MessageMatch | ((message: FakeSlackMessage) => boolean)): string {
  if (typeof match === 'function') return 'predicate';
  return JSON.stringify(match, (_key, value) => (value instanceof RegExp ? String(value) : value));
}

function requireChannel(params: SlackPayload): string {
  const channel = str(params.channel);
  if (!channel) throw new SlackApiError('channel_not_found');
  return channel;
}

function messageContent(params: SlackPayload): {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
} {
  const text = str(params.text);
  const blocks = params.blocks === undefined ? undefined : asArray(params.blocks, 'invalid_blocks');
  const attachments =
    params.attachments === undefined
      ? undefined
      : asArray(params.attachments, 'invalid_attachments');
  if (!text && !blocks?.length && !attachments?.length) throw new SlackApiError('no_text');
  return { text: text ?? '', blocks, attachments };
}

function asArray(value: unknown, errorCode: string): unknown[] {
  if (!Array.isArray(value)) throw new SlackApiError(errorCode);
  return value;
}

/** JSON-valued parameters the Web API takes as JSON strings inside form bodies. */
const JSON_FORM_FIELDS = ['blocks', 'attachments', 'metadata'];

function parseParams(
  contentType: string | undefined,
  raw: string,
  query: URLSearchParams,
): SlackPayload {
  const params: SlackPayload = Object.fromEntries(query);
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (type === 'application/json') {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new SlackApiError('invalid_json');
    }
    return { ...params, ...(parsed as SlackPayload) };
  }
  if (type !== '' && type !== 'application/x-www-form-urlencoded') {
    throw new SlackApiError('invalid_form_data');
  }
  for (const [key, value] of new URLSearchParams(raw)) params[key] = value;
  for (const key of JSON_FORM_FIELDS) {
    const value = params[key];
    if (typeof value !== 'string') continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      throw new SlackApiError(`invalid_${key}`);
    }
  }
  return params;
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function rawDataToString(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: SlackPayload,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
