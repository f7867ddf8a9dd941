/**
 * `conversations.replies` for the fake Slack, which does not answer it yet: a small HTTP proxy
 * in front of the fake that reads a thread from the fake's recordings (with message metadata, as
 * `include_all_metadata` asks) and forwards every other request unchanged. The Slack adapter
 * searches a thread this way before posting a message again after a crash.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeSlack } from '../fakes/slack/index.js';

export interface RepliesProxy {
  /** Web API base to give the app instead of `fake.apiUrl`. */
  readonly apiUrl: string;
  /** Threads asked for through `conversations.replies`, in order. */
  readonly lookups: { channel: string; ts: string }[];
  close(): Promise<void>;
}

export async function startRepliesProxy(fake: FakeSlack): Promise<RepliesProxy> {
  const lookups: { channel: string; ts: string }[] = [];
  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'proxy_error', detail: String(error) }));
    });
  });
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/api/conversations.replies') {
      const params = new URLSearchParams(
        req.headers['content-type']?.startsWith('application/json') ? '' : body,
      );
      for (const [k, v] of url.searchParams) params.set(k, v);
      const token =
        /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1] ?? params.get('token');
      const answer = (status: number, payload: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      if (token !== fake.botToken) return answer(200, { ok: false, error: 'invalid_auth' });
      const channel = params.get('channel') ?? '';
      const ts = params.get('ts') ?? '';
      lookups.push({ channel, ts });
      const withMetadata = params.get('include_all_metadata') === 'true';
      const limit = Number(params.get('limit') ?? 100);
      const offset = Number(params.get('cursor') || 0);
      const thread = fake.thread(channel, ts);
      if (!thread.some((m) => m.ts === ts))
        return answer(200, { ok: false, error: 'thread_not_found' });
      const page = thread.slice(offset, offset + limit).map((m) => ({
        type: 'message',
        user: m.user,
        bot_id: m.bot_id,
        text: m.text,
        ts: m.ts,
        ...(m.thread_ts ? { thread_ts: m.thread_ts } : {}),
        ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}),
      }));
      const next = offset + limit < thread.length ? String(offset + limit) : '';
      return answer(200, {
        ok: true,
        messages: page,
        has_more: next !== '',
        response_metadata: { next_cursor: next },
      });
    }
    const forwarded = await fetch(`${fake.baseUrl}${req.url}`, {
      method: req.method,
      headers: Object.fromEntries(
        ['content-type', 'authorization'].flatMap((h) =>
          typeof req.headers[h] === 'string' ? [[h, req.headers[h] as string]] : [],
        ),
      ),
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const headers: Record<string, string> = {};
    for (const h of ['content-type', 'retry-after']) {
      const value = forwarded.headers.get(h);
      if (value) headers[h] = value;
    }
    res.writeHead(forwarded.status, headers);
    res.end(await forwarded.text());
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    lookups,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
