/**
 * The upload URLs `files.getUploadURLExternal` hands out (`POST /upload/v1/<token>`): like Slack's
 * they need no token, take the file's bytes raw or as a multipart form (the first file part, under
 * any field name: `curl -F filename=@x.png` and `files.uploadV2`'s `body` part alike), and answer
 * `200 OK - <length>` in plain text. A URL Slack never issued, or whose upload was completed,
 * answers 404; bytes of another length than the declared one answer 400 (see `files.ts`).
 * `failNext` makes the next uploads answer an HTTP error, as an outage of Slack's file service.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SlackFiles } from './files.js';
import type { SlackRecords } from './records.js';

/** Path prefix of the upload URLs on the fake's server. */
export const UPLOAD_PATH = '/upload/v1/';

/** A failure of the upload URL instead of taking the bytes. */
export interface FakeSlackUploadFault {
  /** HTTP status to answer. Default 500. */
  status?: number;
  /** How many consecutive uploads fail. Default 1. */
  times?: number;
}

/** One POST to an upload URL, as the fake answered it. */
export interface FakeSlackUploadAttempt {
  /** The file id the URL was issued for (`undefined` for a URL never issued). */
  readonly fileId: string | undefined;
  /** `Content-Type` of the request. */
  readonly contentType: string | undefined;
  /** Bytes of the request body. */
  readonly size: number;
  /** HTTP status answered. */
  readonly status: number;
  /** When it arrived (`Date.now()`). */
  readonly at: number;
}

/** Serves the upload URLs of `files`. */
export class UploadUrls {
  /** Every POST to an upload URL, in arrival order. */
  readonly attempts: FakeSlackUploadAttempt[] = [];
  private faults: FakeSlackUploadFault[] = [];

  constructor(
    private readonly files: SlackFiles,
    private readonly records: SlackRecords,
  ) {}

  /** Queues `fault` for the next `fault.times` uploads. */
  failNext(fault: FakeSlackUploadFault = {}): void {
    for (let i = 0; i < (fault.times ?? 1); i += 1) this.faults.push(fault);
  }

  /** Forgets pending faults and recorded attempts. */
  reset(): void {
    this.faults = [];
    this.attempts.length = 0;
  }

  /** Answers one request to `/upload/v1/<token>`, reading its body as bytes. */
  async handle(token: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const contentType = req.headers['content-type'];
    const upload = this.files.upload(token);
    const answer = (status: number, text: string) => {
      this.attempts.push({
        fileId: upload?.id,
        contentType,
        size: body.byteLength,
        status,
        at: Date.now(),
      });
      this.records.changed();
      res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(text);
    };
    if (req.method !== 'POST') return answer(405, 'Method Not Allowed');
    if (!upload) return answer(404, 'Not Found');
    const fault = this.faults.shift();
    if (fault) return answer(fault.status ?? 500, 'Internal Server Error');
    const received = await fileBytes(contentType, body);
    if (!received) return answer(400, 'Bad Request: no file in the form');
    if (received.bytes.byteLength !== upload.length) {
      return answer(
        400,
        `Bad Request: ${received.bytes.byteLength} bytes, ${upload.length} declared`,
      );
    }
    upload.received = received;
    answer(200, `OK - ${received.bytes.byteLength}`);
  }
}

/** The file's bytes: the first file part of a multipart form, else the raw body. */
async function fileBytes(
  contentType: string | undefined,
  body: Buffer,
): Promise<{ bytes: Buffer; encoding: 'raw' | 'multipart' } | undefined> {
  if (!contentType?.toLowerCase().startsWith('multipart/form-data')) {
    return { bytes: body, encoding: 'raw' };
  }
  try {
    const form = await new Response(body, { headers: { 'Content-Type': contentType } }).formData();
    for (const value of form.values()) {
      if (typeof value !== 'string') {
        return { bytes: Buffer.from(await value.arrayBuffer()), encoding: 'multipart' };
      }
    }
  } catch {
    // A malformed form has no file in it.
  }
  return undefined;
}
