/**
 * The Web API: form-encoded or JSON POSTs to `/api/<method>`, answered `{ ok: true, ... }` or
 * `{ ok: false, error }`, with bearer-token checks and rate-limit fault injection. What the app
 * posts, updates and deletes lands in the recordings, and `conversations.replies` reads threads
 * back from them (`conversations.ts`). `conversations.open` opens the bot's direct messages
 * (`direct-messages.ts`), which every channel method then takes like any conversation. Files are
 * uploaded in Slack's current way (`files.ts`); the retired `files.upload` is refused.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { blockKitProblem } from './block-kit.js';
import { conversationsHistory, conversationsReplies } from './conversations.js';
import type { DirectMessages } from './direct-messages.js';
import { authTestResult, channelInfo, userInfo } from './directory.js';
import type { SlackFiles } from './files.js';
import {
  arrayParam,
  bearerToken,
  parseParams,
  requireChannel,
  SlackApiError,
  sendJson,
  stringParam,
} from './http.js';
import type { FakeSlackSettings } from './options.js';
import type { FakeSlackMessage, SlackRecords } from './records.js';
import { metadataParam, wireMessage } from './wire-message.js';
import type { SlackPayload } from './workspace.js';

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
  /**
   * Carry the call out as usual but never answer it, as when the connection drops after Slack
   * acted: the client waits until it gives up or the fake closes.
   */
  withhold?: boolean;
  /** Only calls whose `text` matches take this fault; others pass it by. Default: any call. */
  match?: RegExp;
}

type TokenKind = 'bot' | 'app';
type ApiHandler = (params: SlackPayload) => SlackPayload;

/** The Web API methods the app uses, each checked against its token kind and recorded. */
export class SlackWebApi {
  private readonly faults = new Map<string, FakeSlackFault[]>();
  /** Channels archived while the fake runs: posting there answers `is_archived`, as Slack does. */
  readonly archived = new Set<string>();
  private readonly handlers: Record<string, [TokenKind, ApiHandler]>;

  /**
   * `openSocket` issues a Socket Mode URL, as `apps.connections.open` answers; `direct` holds the
   * bot's direct conversations, `files` its uploads.
   */
  constructor(
    private readonly settings: FakeSlackSettings,
    private readonly records: SlackRecords,
    private readonly direct: DirectMessages,
    files: SlackFiles,
    openSocket: () => string,
  ) {
    this.handlers = {
      'auth.test': ['bot', () => authTestResult(settings)],
      'chat.postMessage': ['bot', (p) => this.postMessage(p)],
      'chat.postEphemeral': ['bot', (p) => this.postEphemeral(p)],
      'chat.update': ['bot', (p) => this.updateMessage(p)],
      'chat.delete': ['bot', (p) => this.deleteMessage(p)],
      'chat.getPermalink': ['bot', (p) => this.getPermalink(p)],
      'conversations.info': ['bot', (p) => ({ channel: this.conversationInfo(p) })],
      'conversations.open': ['bot', (p) => direct.conversationsOpen(p)],
      'conversations.replies': [
        'bot',
        (p) => conversationsReplies(p, records.messages, settings, records.said),
      ],
      'conversations.history': [
        'bot',
        (p) => conversationsHistory(p, records.messages, settings, records.said),
      ],
      'users.info': ['bot', (p) => ({ user: userInfo(settings, stringParam(p.user)) })],
      'files.getUploadURLExternal': ['bot', (p) => files.getUploadURLExternal(p)],
      'files.completeUploadExternal': ['bot', (p) => files.completeUploadExternal(p)],
      'files.upload': ['bot', () => retired('method_deprecated')],
      'apps.connections.open': ['app', () => ({ url: openSocket() })],
    };
  }

  /** The permalink Slack would give a message. */
  permalink(channel: string, ts: string, threadTs?: string): string {
    const link = `${this.settings.permalinkBase}/archives/${channel}/p${ts.replace('.', '')}`;
    return threadTs && threadTs !== ts ? `${link}?thread_ts=${threadTs}&cid=${channel}` : link;
  }

  /** Queues `fault` for the next `fault.times` calls to `method` (or to any method, with `*`). */
  failNext(method: string, fault: FakeSlackFault): void {
    const queue = this.faults.get(method) ?? [];
    for (let i = 0; i < (fault.times ?? 1); i += 1) queue.push(fault);
    this.faults.set(method, queue);
  }

  /** Forgets pending faults. */
  reset(): void {
    this.faults.clear();
  }

  /** Forgets the faults still queued for `method`: the outage is over. */
  heal(method: string): void {
    this.faults.delete(method);
  }

  /** Answers one call to `method`, whose body `raw` was already read, and records it. */
  handle(method: string, req: IncomingMessage, url: URL, raw: string, res: ServerResponse): void {
    const record = (status: number, params: SlackPayload, token?: string, error?: string) => {
      this.records.calls.push({ method, params, token, at: Date.now(), status, ok: !error, error });
      this.records.changed();
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
    const token = bearerToken(req.headers.authorization) ?? stringParam(params.token);
    delete params.token;

    const fault = this.takeFault(method, params);
    if (fault && !fault.withhold) {
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
      if (!fault?.withhold) sendJson(res, 200, result);
    } catch (error) {
      if (!(error instanceof SlackApiError)) throw error;
      record(200, params, token, error.code);
      sendJson(res, 200, { ok: false, error: error.code });
    }
  }

  private checkToken(kind: TokenKind, token: string | undefined): void {
    if (!token) throw new SlackApiError('not_authed');
    const expected = kind === 'bot' ? this.settings.botToken : this.settings.appToken;
    const other = kind === 'bot' ? this.settings.appToken : this.settings.botToken;
    if (token === other) throw new SlackApiError('not_allowed_token_type');
    if (token !== expected) throw new SlackApiError('invalid_auth');
  }

  private takeFault(method: string, params: SlackPayload): FakeSlackFault | undefined {
    const text = typeof params.text === 'string' ? params.text : '';
    for (const key of [method, '*']) {
      const queue = this.faults.get(key);
      const index = queue?.findIndex((f) => !f.match || f.match.test(text)) ?? -1;
      if (queue && index >= 0) return queue.splice(index, 1)[0];
    }
    return undefined;
  }

  private postMessage(params: SlackPayload): SlackPayload {
    const channel = requireChannel(params);
    if (this.archived.has(channel)) throw new SlackApiError('is_archived');
    const content = messageContent(params);
    const metadata = metadataParam(params);
    const message = this.records.postBotMessage(
      { channel, thread_ts: stringParam(params.thread_ts), ...content, metadata },
      'chat.postMessage',
    );
    return { channel, ts: message.ts, message: wireMessage(this.settings, message) };
  }

  private postEphemeral(params: SlackPayload): SlackPayload {
    const channel = requireChannel(params);
    const user = stringParam(params.user);
    if (!user) throw new SlackApiError('user_not_found');
    // Only a member sees an ephemeral; in the bot's DM that is the one person it is with.
    const dm = this.direct.find(channel);
    if (dm && !dm.users.includes(user)) throw new SlackApiError('user_not_in_channel');
    const content = messageContent(params);
    const ephemeral = this.records.postEphemeral({
      channel,
      user,
      thread_ts: stringParam(params.thread_ts),
      text: content.text,
      blocks: content.blocks,
      via: 'chat.postEphemeral',
    });
    return { message_ts: ephemeral.ts };
  }

  private updateMessage(params: SlackPayload): SlackPayload {
    const message = this.findMessage(requireChannel(params), stringParam(params.ts));
    // Slack keeps blocks/attachments that an update leaves out; an empty array removes them.
    this.records.revise(message, {
      text: stringParam(params.text) ?? message.text,
      blocks: validBlocks(arrayParam(params, 'blocks')) ?? message.blocks,
      attachments: arrayParam(params, 'attachments') ?? message.attachments,
    });
    message.edited = { user: this.settings.botUserId, ts: this.records.nextTs() };
    return {
      channel: message.channel,
      ts: message.ts,
      text: message.text,
      message: wireMessage(this.settings, message),
    };
  }

  private deleteMessage(params: SlackPayload): SlackPayload {
    const message = this.findMessage(requireChannel(params), stringParam(params.ts));
    message.deleted = true;
    return { channel: message.channel, ts: message.ts };
  }

  private getPermalink(params: SlackPayload): SlackPayload {
    const channel = requireChannel(params);
    const ts = stringParam(params.message_ts);
    if (!ts || !/^\d+\.\d+$/.test(ts)) throw new SlackApiError('message_not_found');
    // Messages the fake never saw (a person's, say) still get a link, as they exist in Slack.
    const known = this.records.messages.find((m) => m.channel === channel && m.ts === ts);
    if (known?.deleted) throw new SlackApiError('message_not_found');
    return { channel, permalink: this.permalink(channel, ts, known?.thread_ts) };
  }

  /** A direct conversation of the bot's as Slack describes it, else any other channel. */
  private conversationInfo(params: SlackPayload): SlackPayload {
    const id = stringParam(params.channel);
    const dm = id === undefined ? undefined : this.direct.find(id);
    return dm ? this.direct.describe(dm) : channelInfo(this.settings, id);
  }

  private findMessage(channel: string, ts: string | undefined): FakeSlackMessage {
    const message = this.records.messages.find((m) => m.channel === channel && m.ts === ts);
    if (!message || message.deleted) throw new SlackApiError('message_not_found');
    return message;
  }
}

/** A method Slack no longer serves answers with `code`. */
function retired(code: string): never {
  throw new SlackApiError(code);
}

function messageContent(params: SlackPayload): {
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
} {
  const text = stringParam(params.text);
  const blocks = validBlocks(arrayParam(params, 'blocks'));
  const attachments = arrayParam(params, 'attachments');
  if (!text && !blocks?.length && !attachments?.length) throw new SlackApiError('no_text');
  return { text: text ?? '', blocks, attachments };
}

/** `blocks` as given, if Slack would take them; else Slack's `invalid_blocks`. */
function validBlocks(blocks: unknown[] | undefined): unknown[] | undefined {
  if (blocks && blockKitProblem(blocks)) throw new SlackApiError('invalid_blocks');
  return blocks;
}
