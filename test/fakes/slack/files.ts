/**
 * Slack's file upload, as `@slack/web-api` and raw HTTP clients use it since `files.upload` was
 * retired (the fake answers that one `method_deprecated`):
 *
 * 1. `files.getUploadURLExternal` (`filename`, `length` in bytes, optional `alt_txt` and
 *    `snippet_type`) answers `{ upload_url, file_id }`; the URL is on the fake's own server
 *    (`/upload/v1/<token>`, `upload-url.ts`) and needs no token, as Slack's does.
 * 2. The bytes are POSTed to that URL, raw or as a multipart form; it answers 200 `OK - <length>`.
 * 3. `files.completeUploadExternal` (`files: [{ id, title? }]`, optional `channel_id` or
 *    `channels`, `thread_ts`, `initial_comment`, `blocks`) shares them; without a channel they stay
 *    private. It answers `{ files: [...] }`, and the file is recorded (`fake.files`) with its bytes.
 *
 * Errors are Slack's: `invalid_arguments` for a missing or malformed argument (no `filename`, a
 * `length` that is no positive integer, `files` that is no array of `{ id }`, a `thread_ts`
 * without exactly one channel), `alt_txt_too_large` over 1,000 characters, `file_not_found` for
 * an id Slack never issued, whose bytes never arrived, or that was already completed (a completion
 * happens once), and `channel_not_found` for a conversation the workspace does not have (a `D...`
 * the bot never opened). Slack does not document what a wrong `length` does; the fake's upload URL
 * refuses bytes of another length (HTTP 400), so a wrong `length` cannot pass unnoticed.
 */
import { randomBytes } from 'node:crypto';
import type { DirectMessages } from './direct-messages.js';
import { channelInfo } from './directory.js';
import { SlackApiError, stringParam } from './http.js';
import type { FakeSlackSettings } from './options.js';
import type { SlackRecords } from './records.js';
import type { SlackPayload } from './workspace.js';

/** The longest `alt_txt` Slack takes. */
const ALT_TEXT_LIMIT = 1000;

/** Where a completed file was shared: the conversation, and the thread when given. */
export interface FakeSlackShare {
  /** Conversation id (`C...`, `G...`, `D...`). */
  readonly channel: string;
  /** Parent ts, when shared as a thread reply. */
  readonly thread_ts?: string;
  /** The ts of the message that shares the file. */
  readonly ts: string;
}

/** A file the app uploaded and completed, as the fake holds it. */
export interface FakeSlackFile {
  /** File id, `F...`. */
  readonly id: string;
  /** `filename` given to `files.getUploadURLExternal`. */
  readonly name: string;
  /** Title given at completion; the file name when none was. */
  readonly title: string;
  /** `alt_txt` given to `files.getUploadURLExternal`, if any. */
  readonly altText?: string;
  /** `snippet_type` given to `files.getUploadURLExternal`, if any. */
  readonly snippetType?: string;
  /** The bytes POSTed to the upload URL. */
  readonly bytes: Buffer;
  /** How they came: the raw body, or a part of a multipart form. */
  readonly encoding: 'raw' | 'multipart';
  /** MIME type Slack gives the file, from its name's extension. */
  readonly mimetype: string;
  /** Where it was shared, one entry per conversation; empty when it stays private. */
  readonly shares: readonly FakeSlackShare[];
  /** `initial_comment` of the completion, if any. */
  readonly initialComment?: string;
  /** When it was completed (`Date.now()`). */
  readonly at: number;
}

/** An upload between `files.getUploadURLExternal` and its completion. */
export interface PendingUpload {
  readonly id: string;
  readonly token: string;
  readonly name: string;
  readonly length: number;
  readonly altText?: string;
  readonly snippetType?: string;
  /** Set once the bytes arrived at the upload URL. */
  received?: { bytes: Buffer; encoding: 'raw' | 'multipart' };
}

/** MIME types Slack gives files, by extension; others are `application/octet-stream`. */
const MIME_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  json: 'application/json',
  csv: 'text/csv',
  txt: 'text/plain',
  md: 'text/markdown',
  pdf: 'application/pdf',
};

/** The files of one fake workspace: uploads under way and completed files. */
export class SlackFiles {
  /** Completed files, in completion order. */
  readonly completed: FakeSlackFile[] = [];
  private readonly pending = new Map<string, PendingUpload>();
  private readonly byToken = new Map<string, PendingUpload>();
  private sequence = 0;

  /** Upload URLs start with `baseUrl`; channels are checked against `settings` and `direct`. */
  constructor(
    private readonly baseUrl: string,
    private readonly settings: FakeSlackSettings,
    private readonly records: SlackRecords,
    private readonly direct: DirectMessages,
  ) {}

  /** The upload under way at upload URL `token`, if any. */
  upload(token: string): PendingUpload | undefined {
    return this.byToken.get(token);
  }

  /** Answers `files.getUploadURLExternal`. */
  getUploadURLExternal(params: SlackPayload): SlackPayload {
    const name = stringParam(params.filename);
    const length = Number(params.length);
    if (!name || !Number.isInteger(length) || length < 1) {
      throw new SlackApiError('invalid_arguments');
    }
    const altText = stringParam(params.alt_txt);
    if (altText && altText.length > ALT_TEXT_LIMIT) throw new SlackApiError('alt_txt_too_large');
    this.sequence += 1;
    const upload: PendingUpload = {
      id: `F0${this.sequence.toString(36).toUpperCase().padStart(9, '0')}`,
      token: randomBytes(18).toString('base64url'),
      name,
      length,
      altText,
      snippetType: stringParam(params.snippet_type),
    };
    this.pending.set(upload.id, upload);
    this.byToken.set(upload.token, upload);
    return { upload_url: `${this.baseUrl}/upload/v1/${upload.token}`, file_id: upload.id };
  }

  /** Answers `files.completeUploadExternal`: checks every file, then shares them all at once. */
  completeUploadExternal(params: SlackPayload): SlackPayload {
    const entries = fileEntries(params.files);
    const channels = this.destinations(params);
    const threadTs = stringParam(params.thread_ts);
    if (threadTs && channels.length !== 1) throw new SlackApiError('invalid_arguments');
    const uploads = entries.map(({ id }) => {
      const upload = this.pending.get(id);
      if (!upload?.received) throw new SlackApiError('file_not_found');
      return upload;
    });
    if (new Set(uploads).size !== uploads.length) throw new SlackApiError('invalid_arguments');
    // One message shares all the files in each conversation.
    const shares = channels.map((channel) => ({
      channel,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ts: this.records.nextTs(),
    }));
    const initialComment = stringParam(params.initial_comment);
    const files = uploads.map((upload, i) => {
      this.pending.delete(upload.id);
      this.byToken.delete(upload.token);
      const file: FakeSlackFile = {
        id: upload.id,
        name: upload.name,
        title: stringParam(entries[i]?.title) ?? upload.name,
        ...(upload.altText ? { altText: upload.altText } : {}),
        ...(upload.snippetType ? { snippetType: upload.snippetType } : {}),
        bytes: upload.received?.bytes ?? Buffer.alloc(0),
        encoding: upload.received?.encoding ?? 'raw',
        mimetype: MIME_TYPES[extension(upload.name)] ?? 'application/octet-stream',
        shares,
        ...(initialComment ? { initialComment } : {}),
        at: Date.now(),
      };
      this.completed.push(file);
      return this.describe(file);
    });
    return { files };
  }

  /** Forgets uploads under way and completed files. */
  reset(): void {
    this.completed.length = 0;
    this.pending.clear();
    this.byToken.clear();
  }

  /** The conversations of `channel_id` or `channels` (comma-separated), each one checked. */
  private destinations(params: SlackPayload): string[] {
    const given = stringParam(params.channel_id) ?? stringParam(params.channels) ?? '';
    const channels = given
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== '');
    for (const channel of channels) {
      if (channel.startsWith('D') && !this.direct.find(channel)) {
        throw new SlackApiError('channel_not_found');
      }
      channelInfo(this.settings, channel);
    }
    return channels;
  }

  /** A completed file as Slack describes it in the `files.completeUploadExternal` answer. */
  private describe(file: FakeSlackFile): SlackPayload {
    const created = Math.floor(file.at / 1000);
    const url = `${this.settings.permalinkBase}/files/${this.settings.botUserId}/${file.id}`;
    const shares: Record<string, Record<string, SlackPayload[]>> = {};
    for (const share of file.shares) {
      const kind = share.channel.startsWith('C') ? 'public' : 'private';
      // One message shares the file in each conversation.
      shares[kind] = {
        ...shares[kind],
        [share.channel]: [
          { ts: share.ts, ...(share.thread_ts ? { thread_ts: share.thread_ts } : {}) },
        ],
      };
    }
    const on = (prefix: string) =>
      file.shares.map((s) => s.channel).filter((c) => c.startsWith(prefix));
    return {
      id: file.id,
      created,
      timestamp: created,
      name: file.name,
      title: file.title,
      mimetype: file.mimetype,
      filetype: extension(file.name) || 'binary',
      user: this.settings.botUserId,
      user_team: this.settings.teamId,
      editable: false,
      size: file.bytes.byteLength,
      mode: 'hosted',
      is_external: false,
      is_public: on('C').length > 0,
      ...(file.altText ? { alt_txt: file.altText } : {}),
      url_private: `${url}/${encodeURIComponent(file.name)}`,
      url_private_download: `${url}/download/${encodeURIComponent(file.name)}`,
      permalink: `${this.settings.permalinkBase}/files/${this.settings.botUserId}/${file.id}`,
      channels: on('C'),
      groups: on('G'),
      ims: on('D'),
      shares,
    };
  }
}

/** `files` as `[{ id, title? }]` (a JSON string in a form body); else `invalid_arguments`. */
function fileEntries(value: unknown): Array<{ id: string; title?: unknown }> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new SlackApiError('invalid_arguments');
    }
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new SlackApiError('invalid_arguments');
  return parsed.map((entry: unknown) => {
    const id = (entry as { id?: unknown } | null)?.id;
    if (typeof id !== 'string' || id === '') throw new SlackApiError('invalid_arguments');
    return entry as { id: string; title?: unknown };
  });
}

/** A file name's extension, lower case (`''` without one). */
function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}
