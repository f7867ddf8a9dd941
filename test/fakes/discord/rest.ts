/**
 * REST over HTTP under `/api/v10`: body parsing (JSON, or multipart with `payload_json` and files),
 * route matching, the bot-token check, injected 429 rate limits with Discord's headers, injected
 * lost responses, Discord's JSON error bodies, and a recording of every call.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DiscordApiError, notFound } from './errors.js';
import type { RateLimitOptions } from './inputs.js';
import type { RecordedCall } from './records.js';
import type { DiscordState } from './state.js';

/** A file uploaded in a multipart body. */
export interface UploadedFile {
  /** The form field it came in. */
  field: string;
  /** Its file name. */
  name: string;
  /** Its size in bytes. */
  size: number;
  /** Its content type, `''` when the client gave none. */
  contentType: string;
  /** Its bytes, as sent. */
  bytes: Uint8Array;
}

/** A request as a route handler sees it. */
export interface ApiRequest {
  /** HTTP method, upper case. */
  method: string;
  /** Path after the version prefix. */
  path: string;
  /** Values of the route's `:name` segments, URL-decoded. */
  params: Record<string, string>;
  /** Query string parameters. */
  query: URLSearchParams;
  /** The parsed JSON body (or `payload_json`); `undefined` when there was none. */
  body: unknown;
  /** Files of a multipart body. */
  files: UploadedFile[];
}

/** A handler's answer; no `body` answers 204. */
export interface ApiResult {
  /** HTTP status. */
  status: number;
  /** JSON body. */
  body?: unknown;
}

/** One REST route. */
export interface Route {
  /** HTTP method, upper case. */
  method: string;
  /** The route template, e.g. `/channels/:channelId/messages`. */
  pattern: string;
  /** The template's segments. */
  segments: string[];
  /** Whether `Authorization: Bot <token>` is required (interaction and webhook-token routes are unauthenticated). */
  auth: boolean;
  /** Answers a matched request; a thrown {@link DiscordApiError} becomes Discord's error body. */
  handler: (request: ApiRequest) => ApiResult | Promise<ApiResult>;
}

/** An error the fake answers with instead of acting: see {@link Rest.failNext}. */
export interface FakeApiError {
  /** HTTP status, e.g. 403. */
  readonly status: number;
  /** Discord's JSON error code, e.g. 50013. */
  readonly code: number;
  /** Discord's message, e.g. `Missing Permissions`. */
  readonly message: string;
}

interface RateLimitRule {
  matches: (method: string, path: string) => boolean;
  retryAfter: number;
  global: boolean;
  remaining: number;
}

/** The REST side: routes, injected rate limits and the recorded calls. */
export class Rest {
  /** Every HTTP request answered, in order. */
  readonly calls: RecordedCall[] = [];

  private readonly rateLimits: RateLimitRule[] = [];
  private readonly failures: Array<{
    matches: (method: string, path: string) => boolean;
    error: FakeApiError;
    remaining: number;
  }> = [];
  private readonly withheld: Array<{
    matches: (method: string, path: string) => boolean;
    remaining: number;
  }> = [];

  /** Serves `routes`, checking the bot token of `state`. */
  constructor(
    private readonly routes: Route[],
    private readonly state: DiscordState,
  ) {}

  /** Answers the next matching request(s) with 429 and Discord's rate-limit body and headers. */
  rateLimitNext(route: string, retryAfterSeconds: number, options: RateLimitOptions = {}): void {
    this.rateLimits.push({
      matches: routeMatcher(route),
      retryAfter: retryAfterSeconds,
      global: options.global ?? false,
      remaining: options.times ?? 1,
    });
  }

  /**
   * Applies the next matching successful request(s) but never answers them, as when the bot dies
   * or the connection drops after Discord acted. Recorded with `withheld: true`.
   */
  withholdNextResponse(route: string, times = 1): void {
    this.withheld.push({ matches: routeMatcher(route), remaining: times });
  }

  /**
   * Answers the next matching request(s) with Discord's error `code` (e.g. 403 50013 Missing
   * Permissions) instead of acting on them.
   */
  failNext(route: string, error: FakeApiError, times = 1): void {
    this.failures.push({ matches: routeMatcher(route), error, remaining: times });
  }

  /** Forgets every queued failure: the outage is over. */
  heal(): void {
    this.failures.length = 0;
  }

  /** Answers one HTTP request and records it in {@link Rest.calls}. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const versioned = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
    const path = versioned?.[1] ?? url.pathname;
    const call: RecordedCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status: 500,
      at: Date.now(),
    };
    let body: unknown;
    let headers: Record<string, string> = {};
    try {
      const raw = await readBody(req);
      const parsed = await parseBody(raw, req.headers['content-type']);
      call.body = parsed.body;
      call.files = parsed.files.map((file) => file.name);
      const match = versioned ? this.matchRoute(method, path) : undefined;
      if (!match) throw notFound(0, '404: Not Found');
      call.route = match.route.pattern;
      if (match.route.auth && req.headers.authorization !== `Bot ${this.state.token}`) {
        throw new DiscordApiError(401, 0, '401: Unauthorized');
      }
      const failure = this.failures.find((f) => f.remaining > 0 && f.matches(method, path));
      if (failure) {
        failure.remaining--;
        const { status, code, message } = failure.error;
        throw new DiscordApiError(status, code, message);
      }
      const limited = this.takeRateLimit(method, path);
      if (limited) {
        call.status = 429;
        headers = rateLimitHeaders(limited, match.route.pattern);
        body = {
          message: 'You are being rate limited.',
          retry_after: limited.retryAfter,
          global: limited.global,
        };
      } else {
        const result = await match.route.handler({
          method,
          path,
          params: match.params,
          query: url.searchParams,
          body: parsed.body,
          files: parsed.files,
        });
        call.status = result.status;
        body = result.body;
      }
    } catch (error) {
      if (error instanceof DiscordApiError) {
        call.status = error.status;
        body = error.toJSON();
      } else {
        call.status = 500;
        call.error = error instanceof Error ? (error.stack ?? error.message) : String(error);
        body = { message: '500: Internal Server Error', code: 0 };
      }
    }
    call.at = Date.now();
    if (call.status < 400 && this.takeWithheld(method, path)) {
      // The request took effect; the client never hears back (the socket closes with the server).
      call.withheld = true;
      this.calls.push(call);
      this.state.changed();
      return;
    }
    this.calls.push(call);
    if (call.status === 204 || body === undefined) {
      res.writeHead(call.status === 200 ? 204 : call.status, headers).end();
    } else {
      res
        .writeHead(call.status, { ...headers, 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    }
    this.state.changed();
  }

  private matchRoute(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | undefined {
    const segments = splitPath(path);
    for (const route of this.routes) {
      if (route.method !== method || route.segments.length !== segments.length) continue;
      const params: Record<string, string> = {};
      const matched = route.segments.every((segment, index) => {
        const actual = segments[index] ?? '';
        if (segment.startsWith(':')) {
          params[segment.slice(1)] = decodeURIComponent(actual);
          return true;
        }
        return segment === actual;
      });
      if (matched) return { route, params };
    }
    return undefined;
  }

  private takeWithheld(method: string, path: string): boolean {
    const index = this.withheld.findIndex((rule) => rule.matches(method, path));
    const rule = this.withheld[index];
    if (!rule) return false;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.withheld.splice(index, 1);
    return true;
  }

  private takeRateLimit(method: string, path: string): RateLimitRule | undefined {
    const index = this.rateLimits.findIndex((rule) => rule.matches(method, path));
    const rule = this.rateLimits[index];
    if (!rule) return undefined;
    rule.remaining -= 1;
    if (rule.remaining <= 0) this.rateLimits.splice(index, 1);
    return rule;
  }
}

/** A predicate for requests that `'METHOD /path'` names; `:name` segments match anything. */
export function routeMatcher(spec: string): (method: string, path: string) => boolean {
  const { method, segments } = parseRouteSpec(spec);
  return (actualMethod, path) =>
    actualMethod === method && segmentsMatch(segments, splitPath(path));
}

function splitPath(path: string): string[] {
  return path.split('?')[0]?.split('/').filter(Boolean) ?? [];
}

/** Parses `'METHOD /path'` (relative to `/api/v10`) into a method and path segments. */
export function parseRouteSpec(spec: string): { method: string; segments: string[] } {
  const [method, path] = spec.trim().split(/\s+/);
  if (!method || !path)
    throw new Error(
      `fake-discord: route must look like 'POST /channels/:id/messages', got '${spec}'`,
    );
  return { method: method.toUpperCase(), segments: splitPath(path.replace(/^\/api(\/v\d+)?/, '')) };
}

function segmentsMatch(pattern: string[], actual: string[]): boolean {
  return (
    pattern.length === actual.length &&
    pattern.every((segment, index) => segment.startsWith(':') || segment === actual[index])
  );
}

function rateLimitHeaders(rule: RateLimitRule, bucketRoute: string): Record<string, string> {
  const headers: Record<string, string> = {
    'retry-after': String(rule.retryAfter),
    'x-ratelimit-scope': rule.global ? 'global' : 'user',
  };
  if (rule.global) {
    headers['x-ratelimit-global'] = 'true';
    return headers;
  }
  return {
    ...headers,
    'x-ratelimit-limit': '5',
    'x-ratelimit-remaining': '0',
    'x-ratelimit-reset': ((Date.now() + rule.retryAfter * 1000) / 1000).toFixed(3),
    'x-ratelimit-reset-after': rule.retryAfter.toFixed(3),
    'x-ratelimit-bucket': Buffer.from(bucketRoute).toString('hex').slice(0, 32),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Parses a JSON body, or a multipart body's `payload_json` plus its files (how discord.js uploads)
 * with the platform's own `multipart/form-data` parser: each file keeps its form field
 * (`files[n]`), name, content type and bytes.
 */
async function parseBody(
  raw: Buffer,
  contentType: string | undefined,
): Promise<{ body: unknown; files: UploadedFile[] }> {
  if (raw.length === 0) return { body: undefined, files: [] };
  if (contentType?.startsWith('multipart/form-data')) {
    const form = await new Response(raw, { headers: { 'content-type': contentType } })
      .formData()
      .catch(() => {
        throw new DiscordApiError(400, 0, '400: Bad Request');
      });
    const files: UploadedFile[] = [];
    let body: unknown = {};
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') body = parseJson(value);
      } else {
        const bytes = new Uint8Array(await value.arrayBuffer());
        files.push({ field, name: value.name, size: value.size, contentType: value.type, bytes });
      }
    }
    return { body, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

/** A JSON body (or `payload_json`), else Discord's 400 for invalid JSON. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new DiscordApiError(400, 50109, 'The request body contains invalid JSON.');
  }
}
