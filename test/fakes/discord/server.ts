/**
 * The fake Discord server: one `node:http` server on 127.0.0.1 serving REST under `/api/v10` and
 * the gateway at `/gateway`, composed from the state, the gateway, REST routes, messages and
 * interactions, and exposed to tests as a {@link FakeDiscord}.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { APIApplicationCommand, APIRole, APIThreadMember, APIUser } from 'discord.js';
import { directChannelWith } from './direct-messages.js';
import type { FakeDiscord } from './fake-discord.js';
import { Gateway } from './gateway.js';
import type {
  AddMemberRoleOptions,
  CreateRoleOptions,
  CreateThreadOptions,
  RateLimitOptions,
  SendAutocompleteOptions,
  SendButtonOptions,
  SendMessageOptions,
  SendSlashCommandOptions,
  WaitOptions,
} from './inputs.js';
import { InteractionResponses } from './interaction-responses.js';
import { Interactions } from './interactions.js';
import { Messages } from './messages.js';
import type { FakeDiscordOptions } from './options.js';
import { PRIVILEGED_INTENTS } from './protocol.js';
import type {
  FakeChannel,
  FakeDmChannel,
  FakeInteractionRecord,
  FakeMessage,
  FakeThread,
  RecordedCall,
  RecordedDispatch,
  RecordedGatewayConnection,
  RecordedGatewayFrame,
  RecordedInteractionResponse,
  SentInteraction,
} from './records.js';
import { isThread } from './records.js';
import { type FakeApiError, Rest, routeMatcher } from './rest.js';
import { addMemberRole, createRole } from './roles.js';
import { buildRoutes } from './routes.js';
import { DiscordState } from './state.js';
import { membersOf } from './thread-members.js';

/** The {@link FakeDiscord} implementation; start one with `startFakeDiscord`. */
export class FakeDiscordServer implements FakeDiscord {
  apiUrl = '';
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: APIUser;
  readonly user: APIUser;
  readonly guildId: string;
  readonly channelId: string;

  private readonly state: DiscordState;
  private readonly gateway: Gateway;
  private readonly messaging: Messages;
  private readonly interactionSender: Interactions;
  private readonly responses: InteractionResponses;
  private readonly rest: Rest;
  private readonly server: Server;
  private closed = false;

  constructor(options: FakeDiscordOptions) {
    this.state = new DiscordState(options);
    this.token = this.state.token;
    this.applicationId = this.state.applicationId;
    this.botUser = this.state.botUser;
    this.user = this.state.user;
    this.guildId = this.state.guildId;
    this.channelId = this.state.channelId;

    this.gateway = new Gateway(this.state, {
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      allowedPrivilegedIntents: options.allowedPrivilegedIntents ?? PRIVILEGED_INTENTS,
    });
    this.messaging = new Messages(this.state, this.gateway);
    this.interactionSender = new Interactions(this.state, this.gateway);
    this.responses = new InteractionResponses(
      this.state,
      this.interactionSender,
      this.messaging,
      options.interactionResponseTimeoutMs ?? 3000,
    );
    this.rest = new Rest(
      buildRoutes({
        state: this.state,
        gateway: this.gateway,
        messages: this.messaging,
        responses: this.responses,
      }),
      this.state,
    );
    this.server = createServer((req, res) => {
      void this.rest.handle(req, res);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.gateway.handleUpgrade(req, socket, head),
    );
  }

  get gatewayUrl(): string {
    return this.gateway.url;
  }

  get calls(): readonly RecordedCall[] {
    return this.rest.calls;
  }

  get messages(): ReadonlyMap<string, readonly FakeMessage[]> {
    return this.state.messages;
  }

  get interactionResponses(): readonly RecordedInteractionResponse[] {
    return this.responses.recorded;
  }

  get interactions(): ReadonlyMap<string, FakeInteractionRecord> {
    return this.interactionSender.records;
  }

  get commands(): ReadonlyMap<string, readonly APIApplicationCommand[]> {
    return this.state.commands;
  }

  get threads(): readonly FakeThread[] {
    return this.state.threads;
  }

  get gatewayReceived(): readonly RecordedGatewayFrame[] {
    return this.gateway.received;
  }

  get gatewayConnections(): readonly RecordedGatewayConnection[] {
    return this.gateway.connections;
  }

  get dispatched(): readonly RecordedDispatch[] {
    return this.gateway.dispatched;
  }

  /** Listens on a random port and fills in the REST and gateway URLs. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    const { port } = this.server.address() as AddressInfo;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gateway.url = `ws://127.0.0.1:${port}/gateway`;
  }

  messagesIn(channelId: string): readonly FakeMessage[] {
    return this.state.messagesIn(channelId);
  }

  getMessage(messageId: string): FakeMessage | undefined {
    return this.state.messageIndex.get(messageId);
  }

  getChannel(channelId: string): FakeChannel | undefined {
    return this.state.channels.get(channelId);
  }

  threadMembers(threadId: string): readonly APIThreadMember[] {
    return membersOf(this.state, threadId);
  }

  directChannelWith(userId: string): FakeDmChannel | undefined {
    return directChannelWith(this.state, userId);
  }

  attachmentBytes(attachmentId: string): Uint8Array | undefined {
    return this.state.attachmentBytes.get(attachmentId);
  }

  refuseDirectMessages(userId: string, refuse = true): void {
    if (refuse) this.state.refusingDirectMessages.add(userId);
    else this.state.refusingDirectMessages.delete(userId);
  }

  dispatch(event: string, data: unknown): void {
    this.gateway.dispatch(event, data);
  }

  sendSlashCommand(options: SendSlashCommandOptions): SentInteraction {
    return this.interactionSender.sendSlashCommand(options);
  }

  sendAutocomplete(options: SendAutocompleteOptions): SentInteraction {
    return this.interactionSender.sendAutocomplete(options);
  }

  sendButton(options: SendButtonOptions): SentInteraction {
    return this.interactionSender.sendButton(options);
  }

  sendMessage(options: SendMessageOptions): FakeMessage {
    return this.messaging.sendAsUser(options);
  }

  /** Edits a message's text as its author would: MESSAGE_UPDATE to the bot. */
  editMessage(messageId: string, content: string): void {
    const message = this.state.messageIndex.get(messageId);
    if (!message) throw new Error(`fake-discord: no message ${messageId}`);
    this.messaging.edit(message, { content }, []);
  }

  /** Deletes a message as its author (or a moderator) would: MESSAGE_DELETE to the bot. */
  deleteMessage(messageId: string): void {
    const message = this.state.messageIndex.get(messageId);
    if (!message) throw new Error(`fake-discord: no message ${messageId}`);
    this.messaging.remove(message);
  }

  deleteMessages(messageIds: readonly string[]): void {
    const messages = messageIds.map((id) => {
      const message = this.state.messageIndex.get(id);
      if (!message) throw new Error(`fake-discord: no message ${id}`);
      return message;
    });
    const channelIds = new Set(messages.map((message) => message.channel_id));
    // Server channels and threads only: the bot's DM channels are kept apart.
    const channel = this.state.channels.get([...channelIds][0] ?? '');
    if (channelIds.size !== 1 || !channel) {
      throw new Error(
        'fake-discord: a bulk deletion takes one or more messages of one server channel or thread',
      );
    }
    this.messaging.removeBulk(channel, messages);
  }

  createThread(options: CreateThreadOptions): FakeThread {
    return this.messaging.createThreadAsUser(options);
  }

  archiveThread(threadId: string): void {
    const thread = this.state.channels.get(threadId);
    if (!thread || !isThread(thread)) throw new Error(`fake-discord: no thread ${threadId}`);
    this.messaging.archiveThread(thread);
  }

  createRole(options: CreateRoleOptions): APIRole {
    return createRole(this.state, this.gateway, options);
  }

  addMemberRole(options: AddMemberRoleOptions): void {
    addMemberRole(this.state, this.gateway, options);
  }

  rateLimitNext(route: string, retryAfterSeconds: number, options: RateLimitOptions = {}): void {
    this.rest.rateLimitNext(route, retryAfterSeconds, options);
  }

  withholdNextResponse(route: string, times = 1): void {
    this.rest.withholdNextResponse(route, times);
  }

  failNext(route: string, error: FakeApiError, times = 1): void {
    this.rest.failNext(route, error, times);
  }

  heal(): void {
    this.rest.heal();
  }

  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  dropGatewayConnections(code = 4000): void {
    this.gateway.dropConnections(code);
  }

  waitFor<T>(probe: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    return this.state.changes.waitFor(probe, options);
  }

  async waitForReady(options: WaitOptions = {}): Promise<void> {
    await this.waitFor(() => this.gateway.hasReadySession(), {
      description: 'a ready gateway session',
      ...options,
    });
  }

  waitForInteractionResponse(
    interactionId: string,
    options: WaitOptions = {},
  ): Promise<RecordedInteractionResponse> {
    return this.waitFor(() => this.interactions.get(interactionId)?.response, {
      description: `the callback for interaction ${interactionId}`,
      ...options,
    });
  }

  waitForMessage(
    channelId: string,
    predicate: (message: FakeMessage) => boolean = () => true,
    options: WaitOptions = {},
  ): Promise<FakeMessage> {
    return this.waitFor(() => this.messagesIn(channelId).find(predicate), {
      description: `a message in channel ${channelId}`,
      ...options,
    });
  }

  waitForCall(route: string, options: WaitOptions = {}): Promise<RecordedCall> {
    const matches = routeMatcher(route);
    return this.waitFor(() => this.calls.find((call) => matches(call.method, call.path)), {
      description: `a call to ${route}`,
      ...options,
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.state.changes.close();
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
