/**
 * The Web API's wire format: reading a request body, parsing form-encoded or JSON parameters,
 * finding the token, and answering JSON with Slack's `error` codes.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackPayload } from './workspace.js';

/** A Web API failure, answered `{ ok: false, error: code }`. */
export class SlackApiError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/**
 * JSON-valued parameters the Web API takes as JSON strings inside form bodies, and the error a
 * malformed one gets.
 */
const JSON_FORM_FIELDS: Readonly<Record<string, string>> = {
  blocks: 'invalid_blocks',
  attachments: 'invalid_attachments',
  metadata: 'invalid_metadata',
  files: 'invalid_arguments',
};

/**
 * Parses a request's parameters: the query string, then a JSON or form-encoded body; form fields
 * that carry JSON (`blocks`, `attachments`, `metadata`, `files`) are decoded.
 */
export function parseParams(
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
  for (const [key, error] of Object.entries(JSON_FORM_FIELDS)) {
    const value = params[key];
    if (typeof value !== 'string') continue;
    try {
      params[key] = JSON.parse(value);
    } catch {
      throw new SlackApiError(error);
    }
  }
  return params;
}

/** The token of an `Authorization: Bearer <token>` header. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}

/** A parameter as a non-empty string, else `undefined`. */
export function stringParam(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A boolean parameter as the Web API reads it: `true`, or `true`/`1` in a form body. */
export function booleanParam(value: unknown): boolean {
  return value === true || value === 1 || value === 'true' || value === '1';
}

/** The `channel` parameter, which every channel method requires (`channel_not_found` without it). */
export function requireChannel(params: SlackPayload): string {
  const channel = stringParam(params.channel);
  if (!channel) throw new SlackApiError('channel_not_found');
  return channel;
}

/** `params[key]`, which must be an array when present; anything else answers `invalid_<key>`. */
export function arrayParam(params: SlackPayload, key: string): unknown[] | undefined {
  const value = params[key];
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new SlackApiError(`invalid_${key}`);
  return value;
}

/** Reads a request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Answers with a JSON body. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: SlackPayload,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}
