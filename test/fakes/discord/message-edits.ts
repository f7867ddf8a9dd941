/** How a bot's edit changes a stored message: Discord's PATCH semantics, field by field. */
import { asRecords, type Json } from './json.js';
import { type AttachmentStore, attachmentsFor, normalizeEmbeds } from './payloads.js';
import { MessageFlag } from './protocol.js';
import type { FakeMessage } from './records.js';
import type { UploadedFile } from './rest.js';

/** Applies a PATCH body to a stored message: only the fields present change, `null` clears. */
export function applyEdit(
  message: FakeMessage,
  body: Json,
  files: UploadedFile[],
  store: AttachmentStore,
): void {
  if ('content' in body) message.content = typeof body.content === 'string' ? body.content : '';
  if ('embeds' in body) message.embeds = normalizeEmbeds(body.embeds);
  if ('components' in body) {
    message.components = componentsOf(body);
  }
  if (typeof body.flags === 'number') {
    const kept = (message.flags ?? 0) & ~MessageFlag.SuppressEmbeds;
    message.flags = kept | (body.flags & MessageFlag.SuppressEmbeds);
  }
  if ('attachments' in body || files.length > 0) {
    const keepIds = new Set(asRecords(body.attachments).map((a) => String(a.id)));
    const kept =
      'attachments' in body
        ? message.attachments.filter((a) => keepIds.has(a.id))
        : message.attachments;
    message.attachments = [...kept, ...attachmentsFor(message.channel_id, body, files, store)];
  }
  message.edited_timestamp = new Date().toISOString();
}

/** A body's `components`, or none. */
export function componentsOf(body: Json): FakeMessage['components'] {
  return Array.isArray(body.components) ? (body.components as FakeMessage['components']) : [];
}
