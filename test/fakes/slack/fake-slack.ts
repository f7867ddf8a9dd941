/**
 * The fake Slack itself: one HTTP server on 127.0.0.1 for the Web API (`/api/<method>`),
 * response URLs (`/respond/<id>`), file upload URLs (`/upload/v1/<token>`) and Socket Mode
 * upgrades (`/socket`), and the recordings and `waitFor*` helpers a test reads.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DirectMessages } from './direct-messages.js';
import { type FakeSlackFile, SlackFiles } from './files.js';
import { readBody, sendJson } from './http.js';
import {
  type FakeSlackOptions,
  type FakeSlackSettings,
  resolveFakeSlackOptions,
} from './options.js';
import {
  DEFAULT_WAIT_MS,
  describeMatch,
  type FakeSlackCall,
  type FakeSlackEphemeral,
  type FakeSlackMessage,
  type FakeSlackPersonMessage,
  type FakeSlackResponse,
  type MessageMatch,
  messageMatcher,
  SlackRecords,
  textMatches,
} from './records.js';
import { ResponseUrls } from './response-urls.js';
import { FakeSlackSocket } from './socket-mode.js';
import {
  type FakeSlackUploadAttempt,
  type FakeSlackUploadFault,
  UPLOAD_PATH,
  UploadUrls,
} from './upload-url.js';
import { type FakeSlackFault, SlackWebApi } from './web-api.js';
import type { ResponseUrlContext, SlackPayload, SlackWorkspace } from './workspace.js';

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

  private readonly records: SlackRecords;
  private readonly direct: DirectMessages;
  private readonly fileStore: SlackFiles;
  private readonly uploads: UploadUrls;
  private readonly webApi: SlackWebApi;
  private readonly responseUrls: ResponseUrls;

  /** Use {@link startFakeSlack}. */
  constructor(
    private readonly server: Server,
    options: FakeSlackOptions,
  ) {
    const { port } = server.address() as AddressInfo;
    const settings: FakeSlackSettings = resolveFakeSlackOptions(options);
    this.baseUrl = `http://127.0.0.1:${port}`;
    this.apiUrl = `${this.baseUrl}/api/`;
    this.botToken = settings.botToken;
    this.appToken = settings.appToken;
    this.teamId = settings.teamId;
    this.teamDomain = settings.teamDomain;
    this.appId = settings.appId;
    this.botUserId = settings.botUserId;
    this.botId = settings.botId;
    this.records = new SlackRecords(settings);
    this.socket = new FakeSlackSocket(this, `ws://127.0.0.1:${port}/socket`, {
      pingIntervalMs: settings.socketPingIntervalMs,
      ackTimeoutMs: settings.socketAckTimeoutMs,
      onChange: () => this.records.changed(),
    });
    this.direct = new DirectMessages(settings);
    this.fileStore = new SlackFiles(this.baseUrl, settings, this.records, this.direct);
    this.uploads = new UploadUrls(this.fileStore, this.records);
    this.webApi = new SlackWebApi(settings, this.records, this.direct, this.fileStore, () =>
      this.socket.issueUrl(),
    );
    this.responseUrls = new ResponseUrls(this.baseUrl, this.records);
    server.on('request', (req, res) => void this.handleRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.socket.handleUpgrade(req, socket, head));
  }

  /** Every Web API call, in arrival order. */
  get calls(): readonly FakeSlackCall[] {
    return this.records.calls;
  }

  /** Every message posted in a channel, in posting order (edits and deletions applied in place). */
  get messages(): readonly FakeSlackMessage[] {
    return this.records.messages;
  }

  /**
   * Every message people wrote (`SlackUser.say`, `sayDirect`, `sayUnheard`, message events pushed
   * over Socket Mode), in order, each marked `delivered` or not; apart from {@link messages},
   * which holds what the app posted. `conversations.replies` and `conversations.history` list
   * both.
   */
  get said(): readonly FakeSlackPersonMessage[] {
    return this.records.said;
  }

  /** Every ephemeral message, in order. */
  get ephemerals(): readonly FakeSlackEphemeral[] {
    return this.records.ephemerals;
  }

  /** Every body POSTed to a response URL, in order. */
  get responses(): readonly FakeSlackResponse[] {
    return this.records.responses;
  }

  /** Files the app uploaded and completed, in order, with their bytes and where they were shared. */
  get files(): readonly FakeSlackFile[] {
    return this.fileStore.completed;
  }

  /** Every POST to an upload URL, in order, with the status it got. */
  get uploadAttempts(): readonly FakeSlackUploadAttempt[] {
    return this.uploads.attempts;
  }

  /** Makes the next upload(s) to an upload URL fail with an HTTP error (default one 500). */
  failNextUpload(fault: FakeSlackUploadFault = {}): void {
    this.uploads.failNext(fault);
  }

  /** Calls to one Web API method. */
  callsTo(method: string): FakeSlackCall[] {
    return this.records.calls.filter((call) => call.method === method);
  }

  /** A thread: its parent (if the app posted it) and its replies, oldest first; deleted ones left out. */
  thread(channel: string, threadTs: string): FakeSlackMessage[] {
    return this.records.messages.filter(
      (m) => m.channel === channel && !m.deleted && (m.ts === threadTs || m.thread_ts === threadTs),
    );
  }

  /** Issues the next message ts: unique and increasing for the fake's lifetime (`reset` keeps it). */
  nextTs(): string {
    return this.records.nextTs();
  }

  /**
   * The id (`D...`) of the bot's direct-message conversation with `userId`: the one
   * `conversations.open` answers for that person, opened now if it was not yet.
   */
  directChannel(userId: string): string {
    return this.direct.channelOf(userId);
  }

  /** Keeps a person's message event as Slack would (see {@link SlackWorkspace.keepPersonMessage}). */
  keepPersonMessage(event: SlackPayload, delivered: boolean): void {
    this.records.keepPersonEvent(event, delivered);
  }

  /** Issues a response URL (`POST /respond/<id>`), usable five times like Slack's. */
  createResponseUrl(context: ResponseUrlContext = {}): string {
    return this.responseUrls.create(context);
  }

  /** The permalink Slack would give a message. */
  permalink(channel: string, ts: string, threadTs?: string): string {
    return this.webApi.permalink(channel, ts, threadTs);
  }

  /**
   * Makes the next call(s) to `method` (or to any method, with `*`) fail: `{ status: 429,
   * retryAfter: 1 }` rate-limits over HTTP as Slack does; `{ error: 'ratelimited' }` answers
   * `ok: false`. Faults queue up in order.
   */
  failNext(method: string, fault: FakeSlackFault = { status: 429, retryAfter: 1 }): void {
    this.webApi.failNext(method, fault);
  }

  /** Forgets the faults still queued for `method`: the outage is over. */
  heal(method: string): void {
    this.webApi.heal(method);
  }

  /** Archives `channel`: from now on posting there answers `is_archived`. */
  archive(channel: string): void {
    this.webApi.archived.add(channel);
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
    return this.records.waitFor(probe, timeoutMs, what);
  }

  /** Waits for a message matching `match` (fields, or a predicate) and returns it. */
  waitForMessage(
    match: MessageMatch | ((message: FakeSlackMessage) => boolean),
    timeoutMs = DEFAULT_WAIT_MS,
  ): Promise<FakeSlackMessage> {
    const predicate = typeof match === 'function' ? match : messageMatcher(match);
    return this.waitFor(
      () => this.records.messages.find(predicate),
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
      () => this.records.ephemerals.find((e) => textMatches(e.text, e.blocks, text)),
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
      () => this.records.responses.find(predicate),
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
      () => this.records.calls.find((c) => c.method === method && predicate(c)),
      timeoutMs,
      `call to ${method}`,
    );
  }

  /**
   * Forgets every recording, pending fault, issued response URL and file; ts values keep
   * increasing and direct conversations stay open, as they do in Slack.
   */
  reset(): void {
    this.records.reset();
    this.responseUrls.reset();
    this.webApi.reset();
    this.fileStore.reset();
    this.uploads.reset();
    this.socket.reset();
  }

  /** Closes Socket Mode connections and the HTTP server (dropping keep-alive connections). */
  async close(): Promise<void> {
    await this.socket.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', this.baseUrl);
      if (url.pathname.startsWith(UPLOAD_PATH)) {
        // Bytes, not text: the upload URL reads its own body.
        await this.uploads.handle(url.pathname.slice(UPLOAD_PATH.length), req, res);
        return;
      }
      const raw = await readBody(req);
      if (url.pathname.startsWith('/api/')) {
        this.webApi.handle(url.pathname.slice('/api/'.length), req, url, raw, res);
      } else if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
        this.responseUrls.handle(url.pathname.slice('/respond/'.length), req, raw, res);
      } else {
        sendJson(res, 404, { ok: false, error: 'not_found' });
      }
    } catch (error) {
      sendJson(res, 500, { ok: false, error: 'fake_slack_internal_error', detail: String(error) });
    }
  }
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
