/**
 * The bot's answers to interactions: the initial callback
 * (`POST /interactions/:id/:token/callback`, accepted once and only within the timeout) and the
 * interaction webhook (follow-ups, and reading, editing or deleting `@original` and follow-ups).
 */
import {
  DiscordApiError,
  fieldError,
  invalidFormBody,
  unknownInteraction,
  unknownMessage,
  unknownWebhook,
} from './errors.js';
import type { Interactions } from './interactions.js';
import { asRecord, asRecords, type Json } from './json.js';
import type { Messages } from './messages.js';
import {
  ALLOWED_CALLBACKS,
  CALLBACK_KINDS,
  flagsOf,
  isEphemeral,
  MessageFlag,
  SENDABLE_FLAGS,
} from './protocol.js';
import type { FakeInteractionRecord, FakeMessage, RecordedInteractionResponse } from './records.js';
import type { ApiRequest, ApiResult, UploadedFile } from './rest.js';
import type { DiscordState } from './state.js';
import { validateChoices, validateMessageBody } from './validation.js';

/** Callbacks and webhook calls for the interactions the fake sent. */
export class InteractionResponses {
  /** Initial interaction callbacks, in order. */
  readonly recorded: RecordedInteractionResponse[] = [];

  /** `timeoutMs`: how long an interaction accepts its initial callback. */
  constructor(
    private readonly state: DiscordState,
    private readonly interactions: Interactions,
    private readonly messages: Messages,
    private readonly timeoutMs: number,
  ) {}

  /** `POST /interactions/:id/:token/callback`: the initial response, once and in time. */
  callback(request: ApiRequest): ApiResult {
    const record = this.interactions.records.get(request.params.interactionId ?? '');
    if (!record || record.token !== request.params.interactionToken) throw unknownInteraction();
    if (record.response) {
      throw new DiscordApiError(400, 40060, 'Interaction has already been acknowledged.');
    }
    if (Date.now() - record.createdAt > this.timeoutMs) {
      throw unknownInteraction();
    }
    const body = asRecord(request.body);
    const type = typeof body.type === 'number' ? body.type : -1;
    const kind = CALLBACK_KINDS[type];
    if (!kind || !ALLOWED_CALLBACKS[record.kind].includes(type)) {
      throw invalidFormBody({
        type: fieldError('INTERACTION_RESPONSE_TYPE_INVALID', 'Invalid interaction response type'),
      });
    }
    const data = asRecord(body.data);
    const flags = flagsOf(data);
    const ephemeral = isEphemeral(flags);
    const response: RecordedInteractionResponse = {
      interactionId: record.id,
      token: record.token,
      interactionKind: record.kind,
      type,
      kind,
      data,
      flags,
      ephemeral,
      withResponse: request.query.get('with_response') === 'true',
      at: Date.now(),
    };

    if (kind === 'reply') {
      validateMessageBody(data, request.files, false);
      response.message = this.createMessage(record, data, request.files, {
        ephemeral,
        loading: false,
      });
    } else if (kind === 'deferReply') {
      response.message = this.createMessage(record, {}, [], {
        ephemeral,
        loading: true,
      });
    } else if (kind === 'deferUpdate' || kind === 'update') {
      const source = this.state.messageIndex.get(record.sourceMessageId ?? '');
      if (!source) throw unknownMessage();
      record.originalMessageId = source.id;
      if (kind === 'update') {
        this.messages.edit(source, data, request.files);
        response.message = source;
      }
    } else if (kind === 'autocomplete') {
      const choices = asRecords(data.choices);
      const refused = validateChoices(choices);
      if (refused) throw invalidFormBody(refused);
      response.choices = choices.map((choice) => ({
        name: String(choice.name),
        value: typeof choice.value === 'number' ? choice.value : String(choice.value),
      }));
    }
    if (response.message) record.originalMessageId = response.message.id;
    record.response = response;
    this.recorded.push(response);

    if (!response.withResponse) return { status: 204 };
    const interaction: Json = { id: record.id, type: record.type };
    const resource: Json = { type };
    if (response.message) {
      interaction.response_message_id = response.message.id;
      interaction.response_message_loading = kind === 'deferReply';
      interaction.response_message_ephemeral = isEphemeral(response.message.flags);
      resource.message = response.message;
    }
    return { status: 200, body: { interaction, resource } };
  }

  /** `POST /webhooks/:app/:token`: a follow-up message, ephemeral or in the channel or a thread. */
  followUp(request: ApiRequest): ApiResult {
    const record = this.interactionForWebhook(request);
    const data = asRecord(request.body);
    validateMessageBody(data, request.files, false);
    const threadId = request.query.get('thread_id');
    const message = this.createMessage(record, data, request.files, {
      ephemeral: isEphemeral(flagsOf(data)),
      loading: false,
      followUp: true,
      ...(threadId ? { channelId: threadId } : {}),
    });
    record.followUps.push(message);
    return request.query.get('wait') === 'false' ? { status: 204 } : { status: 200, body: message };
  }

  /** `GET /webhooks/:app/:token/messages/:id`: `@original` or a follow-up. */
  getMessage(request: ApiRequest): FakeMessage {
    return this.webhookMessage(request);
  }

  /** `PATCH /webhooks/:app/:token/messages/:id`; editing a deferred reply completes it. */
  editMessage(request: ApiRequest): FakeMessage {
    const message = this.webhookMessage(request);
    this.messages.edit(message, asRecord(request.body), request.files, { completeDeferred: true });
    return message;
  }

  /** `DELETE /webhooks/:app/:token/messages/:id`. */
  deleteMessage(request: ApiRequest): void {
    this.messages.remove(this.webhookMessage(request));
  }

  private createMessage(
    record: FakeInteractionRecord,
    data: Json,
    files: UploadedFile[],
    options: { ephemeral: boolean; loading: boolean; followUp?: boolean; channelId?: string },
  ): FakeMessage {
    const channel = this.state.requireChannel(options.channelId ?? record.channelId);
    const flags =
      (flagsOf(data) & SENDABLE_FLAGS) |
      (options.ephemeral ? MessageFlag.Ephemeral : 0) |
      (options.loading ? MessageFlag.Loading : 0);
    const extra: Partial<FakeMessage> = {
      webhook_id: this.state.applicationId,
      application_id: this.state.applicationId,
      interaction_metadata: interactionMetadata(
        record,
      ) as unknown as FakeMessage['interaction_metadata'],
    };
    if (record.kind === 'slashCommand') {
      extra.interaction = {
        id: record.id,
        type: 2,
        name: record.commandName ?? '',
        user: record.user,
      };
    }
    const type = record.kind === 'slashCommand' && !options.followUp ? 20 : 0;
    if (options.ephemeral) {
      return this.messages.build({
        channel,
        author: this.state.botUser,
        body: data,
        files,
        flags,
        type,
        extra,
      });
    }
    return this.messages.post(channel, this.state.botUser, data, files, flags, type, extra);
  }

  private interactionForWebhook(request: ApiRequest): FakeInteractionRecord {
    const record = this.interactions.withToken(request.params.interactionToken ?? '');
    if (!record || request.params.applicationId !== this.state.applicationId || !record.response) {
      throw unknownWebhook();
    }
    return record;
  }

  /** The message a webhook route names: `@original` or a follow-up of the same interaction. */
  private webhookMessage(request: ApiRequest): FakeMessage {
    const record = this.interactionForWebhook(request);
    const messageId =
      request.params.messageId === '@original'
        ? record.originalMessageId
        : request.params.messageId;
    const message = messageId ? this.state.messageIndex.get(messageId) : undefined;
    const belongs =
      message && (message.id === record.originalMessageId || record.followUps.includes(message));
    if (!message || !belongs) throw unknownMessage();
    return message;
  }
}

/** The `interaction_metadata` of a message sent in answer to `record`. */
function interactionMetadata(record: FakeInteractionRecord): Json {
  const metadata: Json = {
    id: record.id,
    type: record.type,
    user: record.user,
    authorizing_integration_owners: { '0': record.guildId },
  };
  if (record.sourceMessageId) metadata.interacted_message_id = record.sourceMessageId;
  return metadata;
}
