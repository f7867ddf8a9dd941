/**
 * Cards and files sent to a person's DM with the bot (`direct`: a progress chart, an export), on
 * the real Web API client against the fake Slack: `conversations.open`, the card as a post, and
 * each file through Slack's current upload (`files.getUploadURLExternal`, the bytes to the upload
 * URL, `files.completeUploadExternal`). Also what the fake's upload does that the adapter relies
 * on, checked with `@slack/web-api`'s own `files.uploadV2` and raw calls.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSlackPlatform, type SlackPlatform } from '../../adapters/slack/index.js';
import { createSlackClient } from '../../adapters/slack/web-client.js';
import { PlatformError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import type { OutgoingFile } from '../../src/ports/chat-platform.js';
import { noticeCard } from '../../src/presentation/replies.js';
import { type FakeSlack, plainTextOf, startFakeSlack } from '../fakes/slack/index.js';
import { slackConfig } from './slack-harness.js';

const TEAM = 'T0FAKETEAM';
const CHANNEL = `slack:${TEAM}:C0PRACTICE`;
const THREAD = `${CHANNEL}:1700000000.000100`;
const CARD = noticeCard('Your last 3 rounds: 62 → 71 → 78 <up> & rising.');

/** A 1×1 PNG: binary bytes, with the 0x89 of the signature a text body would mangle. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
const CHART: OutgoingFile = {
  name: 'mockdesign-progress.png',
  contentType: 'image/png',
  bytes: new Uint8Array(PNG),
  title: 'Overall score of your last 3 rounds: 62, 71, 78',
};
const EXPORT: OutgoingFile = {
  name: 'mockdesign-rounds.json',
  contentType: 'application/json',
  bytes: new TextEncoder().encode(JSON.stringify({ rounds: [{ id: 'r1', score: 62 }], é: 'ü' })),
  title: 'Your rounds as transcript JSON',
};

let fake: FakeSlack;
let platform: SlackPlatform | undefined;

beforeEach(async () => {
  fake = await startFakeSlack();
});

afterEach(async () => {
  await platform?.stop();
  platform = undefined;
  await fake.close();
});

/** A platform that only posts, as a worker's. */
function outbound(): SlackPlatform {
  platform = createSlackPlatform(slackConfig(fake), {
    listen: false,
    logger: createLogger({ write: () => {} }),
  });
  return platform;
}

/** What a call rejected with. */
const failure = (call: Promise<unknown>) =>
  call.then(
    () => undefined,
    (error: unknown) => error,
  );

describe('direct: a card and files in the person’s DM with the bot', () => {
  it('posts a card alone in the person’s DM, at its top, rendered as posts are', async () => {
    await outbound().direct(THREAD, 'U0CANDIDATE', CARD);
    const dm = fake.directChannel('U0CANDIDATE');

    expect(fake.callsTo('conversations.open').map((c) => c.params)).toEqual([
      { users: 'U0CANDIDATE' },
    ]);
    expect(fake.messages).toHaveLength(1);
    const [card] = fake.messages;
    expect(card).toMatchObject({ channel: dm, thread_ts: undefined, via: 'chat.postMessage' });
    expect(card?.text).toBe('Your last 3 rounds: 62 → 71 → 78 &lt;up&gt; &amp; rising.');
    expect(plainTextOf({ blocks: card?.blocks })).toContain('&lt;up&gt; &amp; rising');
    expect(fake.calls.filter((c) => c.method.startsWith('files.'))).toEqual([]);
    expect(fake.files).toEqual([]);
  });

  it('sends a PNG and a JSON file with the card, shared as one message right under it, byte for byte', async () => {
    await outbound().direct(CHANNEL, 'U0CANDIDATE', CARD, [CHART, EXPORT]);
    const dm = fake.directChannel('U0CANDIDATE');

    expect(fake.calls.map((c) => c.method)).toEqual([
      'conversations.open',
      'files.getUploadURLExternal',
      'files.getUploadURLExternal',
      'chat.postMessage',
      'files.completeUploadExternal',
    ]);
    expect(fake.callsTo('files.getUploadURLExternal').map((c) => c.params)).toEqual([
      { filename: CHART.name, length: String(PNG.byteLength), alt_txt: CHART.title },
      { filename: EXPORT.name, length: String(EXPORT.bytes.byteLength) },
    ]);
    expect(fake.uploadAttempts).toMatchObject([
      { status: 200, contentType: 'application/octet-stream', size: PNG.byteLength },
      { status: 200, contentType: 'application/octet-stream', size: EXPORT.bytes.byteLength },
    ]);
    const [card] = fake.messages;
    expect(card).toMatchObject({ channel: dm, thread_ts: undefined });
    const [chart, exported] = fake.files;
    expect(fake.files).toHaveLength(2);
    expect(chart).toMatchObject({
      name: CHART.name,
      title: CHART.title,
      altText: CHART.title,
      mimetype: 'image/png',
      encoding: 'raw',
    });
    expect(exported).toMatchObject({
      name: EXPORT.name,
      title: EXPORT.title,
      mimetype: 'application/json',
    });
    expect(exported?.altText).toBeUndefined();
    expect(chart?.bytes.equals(PNG)).toBe(true);
    expect(exported?.bytes.equals(Buffer.from(EXPORT.bytes))).toBe(true);
    // Both files in one message of the DM's own, after the card and not in its thread.
    const shares = fake.files.map((f) => f.shares);
    expect(shares[0]).toEqual([{ channel: dm, ts: expect.any(String) }]);
    expect(shares[1]).toEqual(shares[0]);
    expect(Number(shares[0]?.[0]?.ts)).toBeGreaterThan(Number(card?.ts));
    expect(fake.callsTo('files.completeUploadExternal')[0]?.params).toEqual({
      files: [
        { id: chart?.id, title: CHART.title },
        { id: exported?.id, title: EXPORT.title },
      ],
      channel_id: dm,
    });
  });

  it('sends a keyed card once: a redelivery finds it in the DM first, another key is sent', async () => {
    const slack = outbound();
    const since = Date.now();
    // Slack takes the first send but its answer never comes: the caller sees a failure.
    fake.failNext('chat.postMessage', { withhold: true });
    const lost = await failure(
      slack.direct(THREAD, 'U0CANDIDATE', CARD, [], { key: 'rem-1', redelivery: true, since }),
    );
    expect(lost).toBeInstanceOf(Error);
    expect(fake.messages).toHaveLength(1);
    // The retried job: the key is in the DM's history, so nothing is sent again.
    await slack.direct(THREAD, 'U0CANDIDATE', CARD, [], { key: 'rem-1', redelivery: true, since });
    expect(fake.messages).toHaveLength(1);
    expect(fake.callsTo('conversations.history').map((c) => c.params)).toMatchObject([
      { channel: fake.directChannel('U0CANDIDATE'), include_all_metadata: 'true' },
      { channel: fake.directChannel('U0CANDIDATE'), include_all_metadata: 'true' },
    ]);
    // The next occurrence has its own key.
    await slack.direct(THREAD, 'U0CANDIDATE', CARD, [], { key: 'rem-2', redelivery: true, since });
    expect(fake.messages).toHaveLength(2);
  });

  it('sends a redelivered card when the DM cannot be read: better twice than lost', async () => {
    const slack = outbound();
    const delivery = { key: 'rem-3', redelivery: true, since: Date.now() };
    await slack.direct(THREAD, 'U0CANDIDATE', CARD, [], delivery);
    expect(fake.messages).toHaveLength(1);
    // The lookup that would find it fails: the card is sent again rather than dropped.
    fake.failNext('conversations.history', { error: 'internal_error' });
    await slack.direct(THREAD, 'U0CANDIDATE', CARD, [], delivery);
    expect(fake.callsTo('conversations.history')).toHaveLength(2);
    expect(fake.messages).toHaveLength(2);
  });

  it('uses the same DM for a second direct to the same person', async () => {
    const slack = outbound();
    await slack.direct(CHANNEL, 'U0CANDIDATE', CARD, [CHART]);
    await slack.direct(`slack:${TEAM}:C0OTHER`, 'U0CANDIDATE', noticeCard('Export'), [EXPORT]);
    const dm = fake.directChannel('U0CANDIDATE');

    expect(dm).toMatch(/^D[A-Z0-9]+$/);
    expect(fake.messages.map((m) => m.channel)).toEqual([dm, dm]);
    expect(fake.files.map((f) => f.shares.map((s) => s.channel))).toEqual([[dm], [dm]]);
    expect(new Set(fake.files.map((f) => f.id)).size).toBe(2);
  });

  it('fails as a Slack PlatformError when Slack cannot complete the upload', async () => {
    const slack = outbound();
    fake.failNext('files.completeUploadExternal', { error: 'internal_error' });
    const failed = await failure(slack.direct(CHANNEL, 'U0CANDIDATE', CARD, [CHART]));

    expect(failed).toBeInstanceOf(PlatformError);
    expect(failed).toMatchObject({ platform: 'slack', code: 'platform' });
    expect((failed as Error).message).toBe(
      'slack: files.completeUploadExternal failed: internal_error',
    );
    expect(fake.files).toEqual([]);
  });

  it('fails as a Slack PlatformError, having posted nothing, when the upload URL answers 500', async () => {
    const slack = outbound();
    fake.failNextUpload({ status: 500 });
    const failed = await failure(slack.direct(CHANNEL, 'U0CANDIDATE', CARD, [CHART, EXPORT]));

    expect(failed).toBeInstanceOf(PlatformError);
    expect(failed).toMatchObject({ platform: 'slack' });
    expect((failed as Error).message).toBe(`slack: file upload failed: HTTP 500 for ${CHART.name}`);
    expect(fake.uploadAttempts.map((a) => a.status)).toEqual([500]);
    expect(fake.messages).toEqual([]);
    expect(fake.callsTo('files.completeUploadExternal')).toEqual([]);
  });

  it('fails as a Slack PlatformError when Slack refuses an upload URL', async () => {
    const slack = outbound();
    fake.failNext('files.getUploadURLExternal', { error: 'file_uploads_disabled' });
    const failed = await failure(slack.direct(CHANNEL, 'U0CANDIDATE', CARD, [EXPORT]));

    expect(failed).toBeInstanceOf(PlatformError);
    expect((failed as Error).message).toBe(
      'slack: files.getUploadURLExternal failed: file_uploads_disabled',
    );
    expect(fake.messages).toEqual([]);
  });
});

describe('the fake Slack’s file upload, as the adapter relies on it', () => {
  it('takes @slack/web-api’s own files.uploadV2 (a multipart form) into a thread', async () => {
    const client = createSlackClient(slackConfig(fake), createLogger({ write: () => {} }));
    const dm = fake.directChannel('U0CANDIDATE');
    const result = await client.files.uploadV2({
      channel_id: dm,
      thread_ts: '1700000000.000100',
      file_uploads: [{ file: PNG, filename: 'chart.png', title: 'Chart' }],
    });

    expect(result.ok).toBe(true);
    expect(fake.uploadAttempts[0]?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(fake.files).toMatchObject([
      {
        name: 'chart.png',
        title: 'Chart',
        encoding: 'multipart',
        shares: [{ channel: dm, thread_ts: '1700000000.000100' }],
      },
    ]);
    expect(fake.files[0]?.bytes.equals(PNG)).toBe(true);
  });

  it('answers with Slack’s errors for a malformed upload, an unknown file, a DM never opened and files.upload', async () => {
    const client = createSlackClient(slackConfig(fake), createLogger({ write: () => {} }));
    const code = (call: Promise<unknown>) =>
      failure(call).then((e) => (e as { data?: { error?: string } } | undefined)?.data?.error);

    expect(
      await code(client.apiCall('files.getUploadURLExternal', { filename: 'a.png', length: 0 })),
    ).toBe('invalid_arguments');
    expect(await code(client.apiCall('files.getUploadURLExternal', { length: 3 }))).toBe(
      'invalid_arguments',
    );
    expect(
      await code(
        client.apiCall('files.getUploadURLExternal', {
          filename: 'a.png',
          length: 3,
          alt_txt: 'x'.repeat(1001),
        }),
      ),
    ).toBe('alt_txt_too_large');

    const issued = await client.files.getUploadURLExternal({ filename: 'a.txt', length: 3 });
    const files: [{ id: string }] = [{ id: issued.file_id as string }];
    // Completing before the bytes arrived, or a file Slack never issued: file_not_found.
    expect(await code(client.files.completeUploadExternal({ files }))).toBe('file_not_found');
    expect(await code(client.files.completeUploadExternal({ files: [{ id: 'F0NOPE' }] }))).toBe(
      'file_not_found',
    );
    const wrongLength = await fetch(issued.upload_url as string, { method: 'POST', body: 'ab' });
    expect(wrongLength.status).toBe(400);
    const upload = await fetch(issued.upload_url as string, { method: 'POST', body: 'abc' });
    expect([upload.status, await upload.text()]).toEqual([200, 'OK - 3']);
    expect(await code(client.files.completeUploadExternal({ files, channel_id: 'D0NEVER' }))).toBe(
      'channel_not_found',
    );
    expect(await code(client.apiCall('files.upload', { content: 'x', channels: 'C1' }))).toBe(
      'method_deprecated',
    );

    // Without a channel the file stays private; a completion happens once.
    const done = await client.files.completeUploadExternal({ files });
    expect(done.files?.[0]).toMatchObject({ id: files[0].id, title: 'a.txt', size: 3 });
    expect(fake.files).toMatchObject([{ name: 'a.txt', shares: [] }]);
    expect(await code(client.files.completeUploadExternal({ files }))).toBe('file_not_found');
  });
});
