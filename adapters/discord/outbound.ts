import {
  type APIMessage,
  type REST,
  type RESTPostAPIChannelMessageJSONBody,
  Routes,
  ThreadAutoArchiveDuration,
} from 'discord.js';
import type { OutboundMessage } from '../../src/messages.js';
import { decodeAddress, encodeAddress, messageLink } from './address.js';
import { EMBED_LIMITS, truncate } from './embed-limits.js';
import { discordCall } from './errors.js';
import { deliveryNonce } from './nonce.js';
import { type DiscordMessage, renderMessage, threadName } from './render.js';

/**
 * The outbound side of Discord over REST alone: what a bot process and a worker-only process both
 * use to post. discord.js's REST client waits out rate limits (429) and retries.
 */
export class DiscordOutbound {
  constructor(private readonly rest: REST) {}

  /** Posts the prompt card in `channel`, starts a public thread on it, and returns the thread. */
  async openThread(
    channel: string,
    message: OutboundMessage,
  ): Promise<{ thread: string; messageId: string }> {
    const place = decodeAddress(channel);
    const [card, ...more] = renderMessage(message, place);
    const root = await this.send(place.channelId, card ?? { content: threadName(message) });
    await discordCall('start a thread', () =>
      this.rest.post(Routes.threads(place.channelId, root.id), {
        body: {
          name: threadName(message),
          auto_archive_duration:
            message.kind === 'prompt' && message.mode !== 'live'
              ? ThreadAutoArchiveDuration.OneWeek
              : ThreadAutoArchiveDuration.OneDay,
        },
      }),
    );
    // A thread started from a message has that message's id.
    const thread = { guildId: place.guildId, channelId: root.id };
    for (const part of more) await this.send(thread.channelId, part);
    return { thread: encodeAddress(thread), messageId: root.id };
  }

  /**
   * Posts `message` into `thread`, each part with a nonce derived from the delivery key and
   * `enforce_nonce`, so a redelivered message is shown once: Discord returns the message it
   * already created instead of posting another.
   */
  async post(
    thread: string,
    message: OutboundMessage,
    delivery?: { readonly key: string; readonly redelivery: boolean },
  ): Promise<{ messageId: string }> {
    const place = decodeAddress(thread);
    let first: string | undefined;
    for (const [index, part] of renderMessage(message, place).entries()) {
      const body: RESTPostAPIChannelMessageJSONBody = delivery
        ? { ...part, nonce: deliveryNonce(delivery.key, index), enforce_nonce: true }
        : part;
      const posted = await this.send(place.channelId, body);
      first ??= posted.id;
    }
    return { messageId: first ?? '' };
  }

  /**
   * Discord has no private messages outside an interaction, so this mentions `user` in `address`
   * (pinging only them). Replies to slash commands and buttons are ephemeral instead.
   */
  async ephemeral(address: string, user: string, text: string): Promise<void> {
    const place = decodeAddress(address);
    await this.send(place.channelId, {
      content: truncate(`<@${user}> ${text}`, EMBED_LIMITS.content),
      allowed_mentions: { users: [user] },
    });
  }

  /** Discord's jump link to a message in a thread. */
  permalink(thread: string, messageId: string): string {
    return messageLink(decodeAddress(thread), messageId);
  }

  private send(
    channelId: string,
    body: DiscordMessage | RESTPostAPIChannelMessageJSONBody,
  ): Promise<APIMessage> {
    return discordCall(
      'post a message',
      () => this.rest.post(Routes.channelMessages(channelId), { body }) as Promise<APIMessage>,
    );
  }
}
