/** How a fake Discord is configured: its options, guild and channel seeds, and their defaults. */
import type { APIUser } from 'discord.js';

/** Options for {@link startFakeDiscord}; every field is optional. */
export interface FakeDiscordOptions {
  /** Bot token that REST (`Authorization: Bot <token>`) and IDENTIFY must present. Default `'fake-discord-bot-token'`. */
  token?: string;
  /** Application id, also the bot user's id unless `botUser.id` is given. Default `'1300000000000000001'`. */
  applicationId?: string;
  /** Application flags sent in READY (`application.flags`). Default `0`. */
  applicationFlags?: number;
  /** Fields merged over the bot user (default username `'mockdesign'`, `bot: true`). */
  botUser?: Partial<APIUser>;
  /** Fields merged over the default human user that builders speak as (default id `'1300000000000000300'`, username `'candidate'`). */
  user?: Partial<APIUser>;
  /**
   * Guilds the bot is in, each sent as GUILD_CREATE after READY. Default: one guild
   * `'1300000000000000100'` ("mockdesign practice") with one text channel `'1300000000000000200'`
   * (`design-practice`).
   */
  guilds?: FakeGuildSeed[];
  /** `heartbeat_interval` sent in HELLO, in ms. Default `41250` (Discord's); lower it to see heartbeats in a short test. */
  heartbeatIntervalMs?: number;
  /**
   * Privileged intents the "Developer Portal" has enabled; an IDENTIFY asking for any other
   * privileged intent is closed with 4014. Default: all three (GuildMembers `1 << 1`,
   * GuildPresences `1 << 8`, MessageContent `1 << 15`).
   */
  allowedPrivilegedIntents?: number;
  /** How long an interaction accepts its initial callback before answering 404 Unknown interaction (10062). Default `3000` like Discord; `Infinity` disables. */
  interactionResponseTimeoutMs?: number;
  /** How long a nonce sent with `enforce_nonce` is remembered ("the past few minutes"). Default 5 minutes; `0` forgets at once. */
  nonceWindowMs?: number;
}

/** A guild to seed. */
export interface FakeGuildSeed {
  /** Guild id (snowflake string). */
  id: string;
  /** Guild name. Default `'mockdesign practice'`. */
  name?: string;
  /** Owner's user id. Default: the default user's id. */
  ownerId?: string;
  /** Channels in the guild. Default: none. */
  channels?: FakeChannelSeed[];
  /**
   * Other users who are members from the start (no roles), besides the bot and the default user;
   * anyone a test speaks as joins every guild anyway. Default: none.
   */
  members?: Partial<APIUser>[];
}

/** A channel to seed inside a {@link FakeGuildSeed}. */
export interface FakeChannelSeed {
  /** Channel id (snowflake string). */
  id: string;
  /** Channel name. Default `'design-practice'`. */
  name?: string;
  /** 0 = text (default), 5 = announcement. */
  type?: 0 | 5;
  /** Channel topic. Default `null`. */
  topic?: string;
}

/** Default bot token. */
export const DEFAULT_TOKEN = 'fake-discord-bot-token';
/** Default application id (and bot user id). */
export const DEFAULT_APPLICATION_ID = '1300000000000000001';
/** Id of the guild seeded by default. */
export const DEFAULT_GUILD_ID = '1300000000000000100';
/** Id of the text channel seeded by default. */
export const DEFAULT_CHANNEL_ID = '1300000000000000200';
/** Id of the default human user. */
export const DEFAULT_USER_ID = '1300000000000000300';
