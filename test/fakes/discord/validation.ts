/** Discord's limits on what a bot sends: messages, application commands and thread names. */
import { DiscordApiError, fieldError, invalidFormBody } from './errors.js';
import { asRecord, asRecords, isRecord, type Json } from './json.js';
import { MessageFlag } from './protocol.js';
import type { UploadedFile } from './rest.js';

/** Sets a Discord-style nested form error at `path` (e.g. `['embeds', 0, 'title']`). */
function setError(errors: Json, path: Array<string | number>, code: string, message: string): void {
  let node = errors;
  for (const key of path) {
    const next = asRecord(node[key]);
    node[key] = next;
    node = next;
  }
  node._errors = [{ code, message }];
}

/** Length in code points, as Discord counts it; 0 for a non-string. */
const length = (value: unknown): number => (typeof value === 'string' ? [...value].length : 0);

/** Files one message may carry. */
export const MAX_ATTACHMENTS = 10;
/** The largest file Discord takes without a boosted server (10 MiB); DMs always have this limit. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;

/**
 * Discord's message limits (content, embeds, buttons and their rows, allowed mentions, attachment
 * alt text); throws 400 Invalid Form Body (50035), Cannot send an empty message
 * (50006), Maximum number of attachments (30015) or 413 Request entity too large (40005).
 */
export function validateMessageBody(body: Json, files: UploadedFile[], allowEmpty: boolean): void {
  if (files.some((file) => file.size > MAX_UPLOAD_BYTES)) {
    throw new DiscordApiError(413, 40005, 'Request entity too large');
  }
  if (files.length > MAX_ATTACHMENTS) {
    throw new DiscordApiError(
      400,
      30015,
      `Maximum number of attachments in a message reached (${MAX_ATTACHMENTS})`,
    );
  }
  const errors: Json = {};
  const tooLong = (path: Array<string | number>, value: unknown, max: number) => {
    if (length(value) > max) {
      setError(errors, path, 'BASE_TYPE_MAX_LENGTH', `Must be ${max} or fewer in length.`);
    }
  };
  if (body.content !== undefined && body.content !== null && typeof body.content !== 'string') {
    setError(errors, ['content'], 'STRING_TYPE_CONVERT', 'Could not interpret value as string.');
  }
  tooLong(['content'], body.content, 2000);
  tooLong(['nonce'], body.nonce, 25);

  const embeds = asRecords(body.embeds);
  if (embeds.length > 10) {
    setError(errors, ['embeds'], 'BASE_TYPE_MAX_LENGTH', 'Must be 10 or fewer in length.');
  }
  let embedChars = 0;
  embeds.forEach((embed, index) => {
    const footer = asRecord(embed.footer);
    const author = asRecord(embed.author);
    tooLong(['embeds', index, 'title'], embed.title, 256);
    tooLong(['embeds', index, 'description'], embed.description, 4096);
    tooLong(['embeds', index, 'footer', 'text'], footer.text, 2048);
    tooLong(['embeds', index, 'author', 'name'], author.name, 256);
    embedChars += length(embed.title) + length(embed.description) + length(footer.text);
    embedChars += length(author.name);
    const fields = asRecords(embed.fields);
    if (fields.length > 25) {
      setError(
        errors,
        ['embeds', index, 'fields'],
        'BASE_TYPE_MAX_LENGTH',
        'Must be 25 or fewer in length.',
      );
    }
    fields.forEach((field, fieldIndex) => {
      for (const [key, max] of [
        ['name', 256],
        ['value', 1024],
      ] as const) {
        if (length(field[key]) === 0) {
          setError(
            errors,
            ['embeds', index, 'fields', fieldIndex, key],
            'BASE_TYPE_REQUIRED',
            'This field is required',
          );
        }
        tooLong(['embeds', index, 'fields', fieldIndex, key], field[key], max);
      }
      embedChars += length(field.name) + length(field.value);
    });
  });
  if (embedChars > 6000) {
    setError(
      errors,
      ['embeds'],
      'MAX_EMBED_SIZE_EXCEEDED',
      'Embed size exceeds maximum size of 6000',
    );
  }

  const components = Array.isArray(body.components) ? body.components : [];
  const v2 = typeof body.flags === 'number' && (body.flags & MessageFlag.IsComponentsV2) !== 0;
  if (!v2 && components.length > 5) {
    setError(errors, ['components'], 'BASE_TYPE_MAX_LENGTH', 'Must be 5 or fewer in length.');
  }
  const walk = (value: unknown, path: Array<string | number>) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        walk(item, [...path, index]);
      });
      return;
    }
    if (!isRecord(value)) return;
    tooLong([...path, 'custom_id'], value.custom_id, 100);
    tooLong([...path, 'label'], value.label, 80);
    // An action row (type 1) holds at most five buttons.
    if (value.type === 1 && Array.isArray(value.components) && value.components.length > 5) {
      setError(
        errors,
        [...path, 'components'],
        'BASE_TYPE_MAX_LENGTH',
        'Must be 5 or fewer in length.',
      );
    }
    if (Array.isArray(value.components)) walk(value.components, [...path, 'components']);
  };
  walk(components, ['components']);

  const mentions = asRecord(body.allowed_mentions);
  const parse = Array.isArray(mentions.parse) ? mentions.parse : [];
  for (const kind of ['users', 'roles'] as const) {
    const listed = Array.isArray(mentions[kind]) ? mentions[kind] : undefined;
    if (listed && listed.length > 100) {
      setError(
        errors,
        ['allowed_mentions', kind],
        'BASE_TYPE_MAX_LENGTH',
        'Must be 100 or fewer in length.',
      );
    }
    if (listed && parse.includes(kind)) {
      setError(
        errors,
        ['allowed_mentions'],
        'MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE',
        `parse:["${kind}"] and ${kind}: [ids...] are mutually exclusive.`,
      );
    }
  }
  asRecords(body.attachments).forEach((attachment, index) => {
    tooLong(['attachments', index, 'description'], attachment.description, 1024);
  });

  if (Object.keys(errors).length > 0) throw invalidFormBody(errors);
  const empty =
    length(body.content) === 0 &&
    embeds.length === 0 &&
    components.length === 0 &&
    files.length === 0 &&
    !Array.isArray(body.sticker_ids) &&
    body.poll === undefined;
  if (!allowEmpty && empty) throw new DiscordApiError(400, 50006, 'Cannot send an empty message');
}

/**
 * Autocomplete choices as Discord takes them: at most 25, each name 1 to 100 characters and each
 * string value at most 100; the field errors, or `undefined` when valid.
 */
export function validateChoices(choices: Json[]): Json | undefined {
  const errors: Json = {};
  if (choices.length > 25) {
    setError(errors, ['data', 'choices'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  }
  choices.forEach((choice, index) => {
    const name = length(choice.name);
    if (name < 1 || name > 100) {
      setError(
        errors,
        ['data', 'choices', index, 'name'],
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
    if (length(choice.value) > 100) {
      setError(
        errors,
        ['data', 'choices', index, 'value'],
        'BASE_TYPE_MAX_LENGTH',
        'Must be 100 or fewer in length.',
      );
    }
  });
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** Discord's application command rules; the field errors, or `undefined` when valid. */
export function validateCommand(body: Json): Json | undefined {
  const errors: Json = {};
  const type = typeof body.type === 'number' ? body.type : 1;
  const name = typeof body.name === 'string' ? body.name : '';
  if (type === 1) {
    if (
      !/^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u.test(name) ||
      name !== name.toLowerCase()
    ) {
      setError(errors, ['name'], 'APPLICATION_COMMAND_INVALID_NAME', 'Command name is invalid');
    }
    const description = length(body.description);
    if (description < 1 || description > 100) {
      setError(
        errors,
        ['description'],
        'BASE_TYPE_BAD_LENGTH',
        'Must be between 1 and 100 in length.',
      );
    }
  } else if (length(name) < 1 || length(name) > 32) {
    setError(errors, ['name'], 'BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 32 in length.');
  }
  if (asRecords(body.options).length > 25) {
    setError(errors, ['options'], 'BASE_TYPE_MAX_LENGTH', 'Must be 25 or fewer in length.');
  }
  return Object.keys(errors).length > 0 ? errors : undefined;
}

/** A thread name of 1 to 100 characters, else 400 Invalid Form Body. */
export function validateThreadName(name: unknown): string {
  if (typeof name !== 'string' || length(name) < 1 || length(name) > 100) {
    throw invalidFormBody({
      name: fieldError('BASE_TYPE_BAD_LENGTH', 'Must be between 1 and 100 in length.'),
    });
  }
  return name;
}
