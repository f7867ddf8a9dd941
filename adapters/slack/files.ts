import type { webApi } from '@slack/bolt';
import { PlatformError } from '../../src/errors.js';
import type { OutgoingFile } from '../../src/ports/chat-platform.js';
import { SLACK } from './address.js';
import { slackCall } from './errors.js';
import { WEB_API_TIMEOUT_MS } from './web-client.js';

/** The longest image description Slack takes (`alt_txt_too_large` beyond it). */
const ALT_TEXT_LIMIT = 1000;

/** A file whose bytes Slack holds, not yet shared anywhere: what `files.completeUploadExternal` takes. */
export interface UploadedFile {
  /** Slack's file id (`F...`), from `files.getUploadURLExternal`. */
  readonly id: string;
  /** The title Slack shows above the file. */
  readonly title: string;
}

/**
 * Slack's file upload, in its current form (`files.upload` is retired): for each file,
 * `files.getUploadURLExternal` (name, byte length, and for an image its alt text as `alt_txt`)
 * hands out an upload URL and a file id, and the raw bytes are POSTed to that URL, which answers
 * 200. Nothing is visible until {@link shareUploads} completes the upload; files never completed
 * are discarded by Slack.
 *
 * Not `client.files.uploadV2`: it sends the alt text as `alt_text`, a name Slack ignores, so a
 * chart would reach screen readers without its description. The upload URL needs no token; it is
 * fetched with the Web API's own timeout.
 */
export async function uploadFiles(
  client: webApi.WebClient,
  files: readonly OutgoingFile[],
): Promise<UploadedFile[]> {
  const uploaded: UploadedFile[] = [];
  for (const file of files) {
    // `alt_txt` is Slack's name; the SDK's argument type only knows its misspelling `alt_text`.
    const args: webApi.FilesGetUploadURLExternalArguments & { alt_txt?: string } = {
      filename: file.name,
      length: file.bytes.byteLength,
      ...(file.contentType.startsWith('image/')
        ? { alt_txt: file.title.slice(0, ALT_TEXT_LIMIT) }
        : {}),
    };
    const issued = await slackCall('files.getUploadURLExternal', () =>
      client.files.getUploadURLExternal(args),
    );
    const url = issued.upload_url;
    const id = issued.file_id;
    if (typeof url !== 'string' || typeof id !== 'string') {
      throw new PlatformError(
        SLACK,
        'files.getUploadURLExternal failed: no upload_url or file_id in the answer',
      );
    }
    await slackCall('file upload', () => postBytes(url, file));
    uploaded.push({ id, title: file.title });
  }
  return uploaded;
}

/**
 * Shares uploaded files in `channel` as one message of the bot's (`files.completeUploadExternal`
 * with `channel_id`), at the top of the conversation rather than in a thread.
 */
export async function shareUploads(
  client: webApi.WebClient,
  channel: string,
  uploads: readonly [UploadedFile, ...UploadedFile[]],
): Promise<void> {
  await slackCall('files.completeUploadExternal', () =>
    client.files.completeUploadExternal({
      files: [...uploads],
      channel_id: channel,
    }),
  );
}

/** POSTs the file's raw bytes to its upload URL; anything but 200 is a failed upload. */
async function postBytes(url: string, file: OutgoingFile): Promise<void> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/octet-stream' },
    body: file.bytes,
    redirect: 'error',
    signal: AbortSignal.timeout(WEB_API_TIMEOUT_MS),
  });
  // Drain the short answer ("OK - <length>") so the connection can be reused.
  await response.text();
  if (response.status !== 200) {
    throw new Error(`HTTP ${response.status} for ${file.name}`);
  }
}
