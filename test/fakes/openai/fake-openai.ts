/**
 * A local fake of an OpenAI-compatible server for integration tests: one `node:http` server on
 * 127.0.0.1 (random port) serving `POST /v1/chat/completions` in the real wire format, so the real
 * `openai` SDK talks to it unchanged:
 *
 * ```ts
 * const fake = await startFakeOpenAI();
 * fake.script(reply.rateLimited(0.05), reply.json(judgement));
 * const client = new OpenAI({ apiKey: 'test', baseURL: fake.baseURL });
 * ```
 *
 * Each call takes the next scripted reply (a value, or a function of the request body); an
 * exhausted script answers 500 with `x-should-retry: false` so a test that under-scripts fails
 * loudly instead of retrying. Every request is recorded with its parsed body and arrival time.
 * With `models`, `GET /v1/models` lists them (else 404, as servers without a model list answer);
 * with `apiKey`, every request with another bearer key gets 401 `invalid_api_key`. Not modelled:
 * streaming, tools, other endpoints (404).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One scripted answer to a chat-completions call. */
export type FakeReply =
  /** 200 with `content` = `JSON.stringify(body)`: a valid or a schema-violating judgement. */
  | { readonly kind: 'json'; readonly body: unknown }
  /** 200 with raw `content`, e.g. text that is not JSON. */
  | { readonly kind: 'content'; readonly content: string; readonly finishReason?: string }
  /** 200 with `content: null` and a `refusal`. */
  | { readonly kind: 'refusal'; readonly refusal: string }
  /** 429 with `retry-after` in seconds (fractions allowed; the SDK honours them). */
  | { readonly kind: 'rate_limited'; readonly retryAfterSeconds: number }
  /** A 5xx; `retryAfterMs` adds the SDK's `retry-after-ms` header, otherwise it backs off itself. */
  | { readonly kind: 'server_error'; readonly status?: number; readonly retryAfterMs?: number }
  /** 400 rejecting `response_format` json_schema, as servers without structured outputs do. */
  | { readonly kind: 'reject_json_schema' }
  /** Never answers; the socket stays open until the client gives up or the fake closes. */
  | { readonly kind: 'hang' };

/** Constructors for {@link FakeReply}. */
export const reply = {
  json: (body: unknown): FakeReply => ({ kind: 'json', body }),
  content: (content: string, finishReason?: string): FakeReply => ({
    kind: 'content',
    content,
    ...(finishReason ? { finishReason } : {}),
  }),
  refusal: (refusal = "I'm sorry, I can't help with that."): FakeReply => ({
    kind: 'refusal',
    refusal,
  }),
  rateLimited: (retryAfterSeconds = 0.05): FakeReply => ({
    kind: 'rate_limited',
    retryAfterSeconds,
  }),
  serverError: (status = 500, retryAfterMs?: number): FakeReply => ({
    kind: 'server_error',
    status,
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  }),
  rejectJsonSchema: (): FakeReply => ({ kind: 'reject_json_schema' }),
  hang: (): FakeReply => ({ kind: 'hang' }),
};

/** The parts of a chat-completions request body the tests look at. */
export interface ChatRequestBody {
  readonly model: string;
  readonly messages: readonly { readonly role: string; readonly content: string }[];
  readonly temperature?: number;
  readonly response_format?: {
    readonly type: string;
    readonly json_schema?: { readonly name: string; readonly strict?: boolean; schema: unknown };
  };
  readonly [key: string]: unknown;
}

/** A reply, or a function of the request body that picks one (e.g. quoting what was sent). */
export type ScriptedReply = FakeReply | ((body: ChatRequestBody) => FakeReply);

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: ChatRequestBody;
  /** `Date.now()` when the request arrived, to measure backoff. */
  readonly receivedAt: number;
  /** What the fake answered (its kind), or `unscripted`. */
  readonly answered: FakeReply['kind'] | 'unscripted';
}

export interface FakeOpenAI {
  /** `http://127.0.0.1:PORT/v1`: the SDK's `baseURL`. */
  readonly baseURL: string;
  /** Chat-completions requests in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Appends replies for the next calls, in order. */
  script(...replies: ScriptedReply[]): void;
  /** Clears the script and the recorded requests. */
  reset(): void;
  /** Closes the server and every open (hanging) connection. */
  close(): Promise<void>;
}

export interface FakeOpenAIOptions {
  /** The one key accepted (any key when unset). */
  readonly apiKey?: string;
  /** Model ids `GET /v1/models` lists (404 when unset). */
  readonly models?: readonly string[];
}

export async function startFakeOpenAI(options: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  let calls = 0;

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      send(res, 500, { error: apiError(`fake-openai: ${String(error)}`, 'server_error') });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const raw = await readBody(req);
    if (options.apiKey !== undefined && req.headers.authorization !== `Bearer ${options.apiKey}`) {
      send(res, 401, {
        error: {
          ...apiError('Incorrect API key provided.', 'invalid_request_error'),
          code: 'invalid_api_key',
        },
      });
      return;
    }
    if (req.method === 'GET' && path === '/v1/models' && options.models) {
      send(res, 200, {
        object: 'list',
        data: options.models.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })),
      });
      return;
    }
    if (req.method !== 'POST' || path !== '/v1/chat/completions') {
      send(res, 404, {
        error: apiError(`Unknown request URL: ${req.method} ${path}`, 'invalid_request_error'),
      });
      return;
    }
    let body: ChatRequestBody;
    try {
      body = JSON.parse(raw) as ChatRequestBody;
    } catch {
      send(res, 400, {
        error: apiError(
          'We could not parse the JSON body of your request.',
          'invalid_request_error',
        ),
      });
      return;
    }
    calls++;
    const base = { method: req.method, path, headers: req.headers, body, receivedAt: Date.now() };
    const next = queue.shift();
    const scripted = typeof next === 'function' ? next(body) : next;
    requests.push({ ...base, answered: scripted?.kind ?? 'unscripted' });
    if (!scripted) {
      send(
        res,
        500,
        { error: apiError(`fake-openai: no scripted reply for call ${calls}`, 'server_error') },
        { 'x-should-retry': 'false' },
      );
      return;
    }
    answer(res, scripted, body, calls, raw.length);
  }

  function answer(
    res: ServerResponse,
    r: FakeReply,
    body: ChatRequestBody,
    call: number,
    size: number,
  ) {
    switch (r.kind) {
      case 'json':
        return send(res, 200, completion(body, call, size, { content: JSON.stringify(r.body) }));
      case 'content':
        return send(res, 200, completion(body, call, size, { content: r.content }, r.finishReason));
      case 'refusal':
        return send(res, 200, completion(body, call, size, { content: null, refusal: r.refusal }));
      case 'rate_limited':
        return send(
          res,
          429,
          {
            error: {
              ...apiError('Rate limit reached for requests', 'requests'),
              code: 'rate_limit_exceeded',
            },
          },
          { 'retry-after': String(r.retryAfterSeconds) },
        );
      case 'server_error':
        return send(
          res,
          r.status ?? 500,
          {
            error: apiError(
              'The server had an error while processing your request.',
              'server_error',
            ),
          },
          r.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(r.retryAfterMs) },
        );
      case 'reject_json_schema':
        return send(res, 400, {
          error: {
            ...apiError(
              "Invalid parameter: 'response_format' of type 'json_schema' is not supported by this server.",
              'invalid_request_error',
            ),
            param: 'response_format',
          },
        });
      case 'hang':
        return; // never answered
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    script: (...replies) => {
      queue.push(...replies);
    },
    reset: () => {
      queue.length = 0;
      requests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

/** A `chat.completion` object as the API returns it, with rough token counts. */
function completion(
  body: ChatRequestBody,
  call: number,
  requestSize: number,
  message: { content: string | null; refusal?: string },
  finishReason = 'stop',
) {
  const completionTokens = Math.ceil((message.content ?? message.refusal ?? '').length / 4);
  const promptTokens = Math.ceil(requestSize / 4);
  return {
    id: `chatcmpl-fake${call}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: body.model,
    system_fingerprint: 'fp_fake',
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content: message.content,
          refusal: message.refusal ?? null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: finishReason,
      },
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens,
    },
  };
}

function apiError(message: string, type: string) {
  return { message, type, param: null, code: null };
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    'x-request-id': `req_fake_${Date.now()}`,
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
