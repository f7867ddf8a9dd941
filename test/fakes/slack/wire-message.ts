/**
 * A message on the wire: how the Web API shows a recorded message in its answers, and the message
 * metadata it takes from `chat.postMessage`.
 */
import { SlackApiError } from './http.js';
import type { FakeSlackSettings } from './options.js';
import { withoutUndefined } from './payloads.js';
import type { FakeSlackMessage, FakeSlackMetadata } from './records.js';
import type { SlackPayload } from './workspace.js';

/**
 * The message as Slack's API answers show it (no fake-only bookkeeping); its metadata only with
 * `withMetadata`, as `include_all_metadata` asks.
 */
export function wireMessage(
  settings: FakeSlackSettings,
  message: FakeSlackMessage,
  withMetadata = false,
): SlackPayload {
  return withoutUndefined({
    type: 'message',
    user: message.user,
    bot_id: message.bot_id,
    app_id: settings.appId,
    team: settings.teamId,
    text: message.text,
    blocks: message.blocks,
    attachments: message.attachments,
    ts: message.ts,
    thread_ts: message.thread_ts,
    edited: message.edited,
    metadata: withMetadata ? message.metadata : undefined,
  });
}

/**
 * The `metadata` parameter of a post: `{ event_type, event_payload }` (a JSON string in a form
 * body, decoded by `parseParams`), kept as given; anything else answers `invalid_metadata_format`.
 */
export function metadataParam(params: SlackPayload): FakeSlackMetadata | undefined {
  const metadata = params.metadata;
  if (metadata === undefined || metadata === null) return undefined;
  if (
    !isObject(metadata) ||
    typeof metadata.event_type !== 'string' ||
    metadata.event_type === '' ||
    !isObject(metadata.event_payload)
  ) {
    throw new SlackApiError('invalid_metadata_format');
  }
  return { event_type: metadata.event_type, event_payload: metadata.event_payload };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
