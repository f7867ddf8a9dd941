import {
  type Client,
  Events,
  GatewayDispatchEvents,
  type GatewayMessageDeleteBulkDispatchData,
  type GatewayMessageDeleteDispatchData,
  REST,
  Status,
} from 'discord.js';
import type { Library } from '../../rubric/load.js';
import type { DiscordConfig } from '../../src/config.js';
import { MockdesignError } from '../../src/errors.js';
import { createLogger, type Logger } from '../../src/logger.js';
import type {
  ChatPlatform,
  CommandHandler,
  PlatformEvents,
} from '../../src/ports/chat-platform.js';
import type { Card } from '../../src/presentation/card.js';
import { DISCORD, decodeAddress } from './address.js';
import { registerCommands } from './commands.js';
import { createGatewayClient, logIn } from './gateway.js';
import { DiscordInbound } from './inbound.js';
import { missedMessages } from './missed.js';
import { DiscordOutbound } from './outbound.js';
import { verifyToken } from './verify.js';

export { decodeAddress, encodeAddress } from './address.js';
export { mockdesignCommand } from './commands.js';
export { inviteUrl } from './invite.js';

export interface DiscordPlatformOptions {
  /**
   * Take gateway events (default true): a bot process. False builds the outbound side only (REST,
   * no gateway connection), for `mockdesign worker` processes that post what their jobs produce.
   */
  readonly listen?: boolean;
  /** The prompt library, for autocomplete of `/mockdesign start prompt:` (listening only). */
  readonly library?: Library;
  /** Where the adapter logs (default: JSON lines on stderr). */
  readonly logger?: Logger;
}

/** The Discord platform, with the clients it talks through. */
export interface DiscordPlatform extends ChatPlatform {
  /** REST client every post goes through (its own, so a stopped gateway never stops posting). */
  readonly rest: REST;
  /** The gateway client; undefined for an outbound-only platform. */
  readonly client: Client | undefined;
  /** `PATCH`es the bot's message with the card's first part (see `DiscordOutbound.edit`). */
  edit(address: string, messageId: string, card: Card): Promise<void>;
  /**
   * A private thread under `channel` with only the bot and `user` in it, the card its first
   * message; there is no `conversation`: only the thread's messages are answers.
   */
  openPrivate(
    channel: string,
    user: string,
    card: Card,
  ): Promise<{ thread: string; messageId: string }>;
  /**
   * The bot's DM channel with `user` (one per person, whichever server `near` is in: `near` is
   * only checked to be a Discord address), the card in it with `files` on its first message.
   */
  readonly direct: NonNullable<ChatPlatform['direct']>;
  /**
   * Asks Discord whether it accepts `DISCORD_TOKEN` (`GET /users/@me`), listening or not; a
   * refusal, or a `DISCORD_API_URL` that does not answer, throws a `PlatformError` naming it.
   */
  verify(): Promise<void>;
}

/**
 * Discord as a chat platform. Rounds start with `/mockdesign start`: the prompt card is posted in
 * the channel and a public thread is started on it; interviewer events and the scorecard go to the
 * thread; the candidate's messages there are their answers. A team challenge's attempt runs in a
 * private thread under the challenge's channel (`openPrivate`). `direct` sends a card, with files,
 * to a person's direct messages with the bot. Every card is rendered by
 * `renderCard` (embeds, or plain content for a few lines). Addresses are `discord:GUILD:CHANNEL`.
 * There is no `person`: Discord computes a member's permissions for every interaction, and the
 * adapter passes them on as `Origin.manager`; working them out for anyone else would take the
 * member, the guild's roles and the channel's overwrites.
 */
export function createDiscordPlatform(
  config: DiscordConfig,
  options: DiscordPlatformOptions = {},
): DiscordPlatform {
  const listen = options.listen ?? true;
  const logger = options.logger ?? createLogger();
  const rest = new REST(config.apiUrl ? { api: config.apiUrl } : {}).setToken(config.token);
  const outbound = new DiscordOutbound(rest);
  const client = listen ? createGatewayClient(config) : undefined;

  return {
    name: DISCORD,
    typedOptions: true,
    rest,
    client,
    async start(handler: CommandHandler, events?: PlatformEvents) {
      if (!client) {
        throw new MockdesignError(
          'not_listening',
          'discord: this platform was built with `listen: false` (outbound only) and takes no events',
        );
      }
      const inbound = new DiscordInbound({ handler, library: options.library, logger });
      client.on(Events.InteractionCreate, (interaction) => {
        void inbound.onInteraction(interaction);
      });
      client.on(Events.MessageCreate, (message) => {
        void inbound.onMessage(message);
      });
      client.on(Events.MessageUpdate, (before, after) => {
        void inbound.onEdit(before, after);
      });
      // discord.js reports a deletion only in a channel it has cached (Discord's event names no
      // channel type to build one from), so deletions, one by one or in bulk (a moderator's
      // purge), are taken from the gateway events themselves: one in a round's thread the client
      // never saw (archived before a restart) still counts.
      client.ws.on(
        GatewayDispatchEvents.MessageDelete,
        (deleted: GatewayMessageDeleteDispatchData) => {
          void inbound.onDelete(deleted, client.channels.cache.get(deleted.channel_id));
        },
      );
      client.ws.on(
        GatewayDispatchEvents.MessageDeleteBulk,
        (deleted: GatewayMessageDeleteBulkDispatchData) => {
          void inbound.onBulkDelete(deleted, client.channels.cache.get(deleted.channel_id));
        },
      );
      client.on(Events.Error, (error) => logger.error('discord client error', { error }));
      // A shard is ready after a new session (not a resumed one): whatever was said in the
      // meantime never reached us, so the core reads it back. Its guilds are known by then.
      client.on(Events.ShardReady, () => events?.reconnected());
      await logIn(client, config.token);
      // In a sharded bot every shard starts here; the command is registered once, by shard 0.
      if (client.shard?.ids.includes(0) ?? true) await registerCommands(rest, config);
      logger.info('discord ready', {
        user: client.user?.id,
        guilds: client.guilds.cache.size,
        shards: client.shard?.ids ?? [0],
        commands: config.guildId ? `guild ${config.guildId}` : 'global',
      });
    },
    verify: () => verifyToken(rest, config),
    async stop() {
      if (!client) return;
      client.removeAllListeners();
      client.ws.removeAllListeners(GatewayDispatchEvents.MessageDelete);
      client.ws.removeAllListeners(GatewayDispatchEvents.MessageDeleteBulk);
      await client.destroy();
    },
    openThread: (channel, card, delivery) => outbound.openThread(channel, card, delivery),
    post: (thread, card, delivery) => outbound.post(thread, card, delivery),
    ephemeral: (address, user, card) => outbound.ephemeral(address, user, card),
    edit: (address, messageId, card) => outbound.edit(address, messageId, card),
    openPrivate: (channel, user, card) => outbound.openPrivate(channel, user, card),
    async direct(near, user, card, files, delivery) {
      decodeAddress(near);
      await outbound.direct(user, card, files, delivery);
    },
    permalink: async (thread, messageId) => outbound.permalink(thread, messageId),
    async missed(thread, after) {
      const place = decodeAddress(thread);
      // Only a listening process reads back, and only the threads of its own shard's guilds.
      if (!client?.guilds.cache.has(place.guildId)) return undefined;
      return missedMessages(rest, place, after);
    },
    connected() {
      // Posting goes through REST alone: an outbound-only platform is always ready.
      if (!client) return true;
      // `isReady()` stays true while a shard reconnects; the shards' own status does not.
      return client.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready);
    },
  };
}
