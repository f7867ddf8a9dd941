/**
 * Response URLs: `POST /respond/<id>`, as `respond()` uses after a command or an action. Each
 * URL remembers where it was issued, so a POST can replace or delete the clicked message, post in
 * the channel, or show an ephemeral message to the user.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { blockKitProblem } from './block-kit.js';
import { parseParams, sendJson, stringParam } from './http.js';
import type { FakeSlackResponse, SlackRecords } from './records.js';
import { FAKE_SLACK_DEFAULTS, type ResponseUrlContext, type SlackPayload } from './workspace.js';

/** Slack lets a response URL be used this many times. */
const RESPONSE_URL_MAX_USES = 5;

/** The response URLs one fake Slack issued, and what POSTs to them did. */
export class ResponseUrls {
  private readonly issued = new Map<string, { context: ResponseUrlContext; uses: number }>();

  /** URLs are issued under `baseUrl`; their effects land in `records`. */
  constructor(
    private readonly baseUrl: string,
    private readonly records: SlackRecords,
  ) {}

  /** Issues a response URL (`POST /respond/<id>`), usable five times like Slack's. */
  create(context: ResponseUrlContext = {}): string {
    const id = randomUUID();
    this.issued.set(id, { context, uses: 0 });
    return `${this.baseUrl}/respond/${id}`;
  }

  /** Forgets every issued URL. */
  reset(): void {
    this.issued.clear();
  }

  /** Answers a POST to the response URL `id`, whose body `raw` was already read. */
  handle(id: string, req: IncomingMessage, raw: string, res: ServerResponse): void {
    const issued = this.issued.get(id);
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
    if (Array.isArray(body.blocks) && blockKitProblem(body.blocks)) {
      sendJson(res, 400, { ok: false, error: 'invalid_blocks' });
      return;
    }
    const effect = this.apply(issued.context, body);
    this.records.responses.push({
      id,
      url: `${this.baseUrl}/respond/${id}`,
      body,
      context: issued.context,
      effect,
      at: Date.now(),
    });
    this.records.changed();
    sendJson(res, 200, { ok: true });
  }

  private apply(context: ResponseUrlContext, body: SlackPayload): FakeSlackResponse['effect'] {
    const original = this.records.messages.find(
      (m) => m.channel === context.channel && m.ts === context.messageTs && !m.deleted,
    );
    if (body.delete_original === true && original) {
      original.deleted = true;
      return 'deleted';
    }
    const content = {
      text: stringParam(body.text) ?? '',
      blocks: Array.isArray(body.blocks) ? body.blocks : undefined,
    };
    if (body.replace_original === true && original) {
      this.records.revise(original, { ...content, attachments: original.attachments });
      return 'replaced';
    }
    const channel = context.channel ?? FAKE_SLACK_DEFAULTS.channelId;
    const threadTs = stringParam(body.thread_ts) ?? context.threadTs;
    if (body.response_type === 'in_channel') {
      this.records.postBotMessage({ channel, thread_ts: threadTs, ...content }, 'response_url');
      return 'posted';
    }
    this.records.postEphemeral({
      channel,
      user: context.userId,
      thread_ts: threadTs,
      ...content,
      via: 'response_url',
    });
    return 'ephemeral';
  }
}
