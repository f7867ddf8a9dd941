import { once } from 'node:events';
import { Client, Events, GatewayIntentBits, Partials } from 'discord.js';
import type { DiscordConfig } from '../../src/config.js';
import { PlatformError } from '../../src/errors.js';
import { DISCORD } from './address.js';
import { platformError } from './errors.js';

/**
 * Gateway intents: guilds and their channels and threads, guild messages, and message content (a
 * privileged intent: enable it in the Developer Portal, or Discord closes the gateway with 4014).
 */
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
] as const;

/**
 * A discord.js client for the gateway. Its REST base is `DISCORD_API_URL` when set (discord.js
 * asks that base for the gateway URL too). Inside a `ShardingManager` shard it takes its shard
 * ids from the environment the manager sets.
 */
export function createGatewayClient(config: DiscordConfig): Client {
  return new Client({
    intents: [...INTENTS],
    // An edit of a message the client never saw (sent before a restart) is still reported.
    partials: [Partials.Message],
    rest: config.apiUrl ? { api: config.apiUrl } : {},
    allowedMentions: { parse: [] },
  });
}

/** Logs `client` in and resolves once it is ready; a refused privileged intent says what to do. */
export async function logIn(client: Client, token: string): Promise<void> {
  const ready = client.isReady() ? Promise.resolve() : once(client, Events.ClientReady);
  // Not awaited when the login fails: a later 'error' event must not reject it unhandled.
  ready.catch(() => undefined);
  try {
    await client.login(token);
    await ready;
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'DisallowedIntents' || code === 4014) {
      throw new PlatformError(
        DISCORD,
        'the gateway refused the Message Content intent: enable "Message Content Intent" under Bot → Privileged Gateway Intents in the Developer Portal (see docs/discord.md)',
        undefined,
        { cause: error },
      );
    }
    throw platformError('log in to the gateway', error);
  }
}
