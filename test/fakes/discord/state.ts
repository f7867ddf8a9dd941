/**
 * The fake Discord's world: the application and its bot, the users it has met, guilds with their
 * roles and members, channels and threads, messages, and registered commands. The gateway, REST
 * and interactions read and change it; every change is announced on {@link DiscordState.changes}.
 */
import type {
  APIApplicationCommand,
  APIGuildMember,
  APINewsChannel,
  APIRole,
  APITextChannel,
  APIThreadMember,
  APIUser,
  ChannelFlags,
} from 'discord.js';
import { ChangeFeed } from './changes.js';
import { DiscordApiError, notFound, unknownChannel, unknownMessage } from './errors.js';
import {
  DEFAULT_APPLICATION_ID,
  DEFAULT_CHANNEL_ID,
  DEFAULT_GUILD_ID,
  DEFAULT_TOKEN,
  DEFAULT_USER_ID,
  type FakeDiscordOptions,
  type FakeGuildSeed,
} from './options.js';
import { baseUser, member, role } from './payloads.js';
import {
  ALL_PERMISSIONS,
  BOT_PERMISSIONS,
  createSnowflakeFactory,
  EVERYONE_PERMISSIONS,
  hasPermission,
  Permission,
} from './protocol.js';
import type { FakeChannel, FakeDmChannel, FakeMessage, FakeThread } from './records.js';

/** A guild the bot is in. */
export interface GuildState {
  /** Guild id. */
  id: string;
  /** Guild name. */
  name: string;
  /** Owner's user id; the owner has every permission. */
  ownerId: string;
  /** When the bot joined (ISO 8601). */
  joinedAt: string;
  /** `@everyone` and the bot's managed role. */
  roles: APIRole[];
  /** Members by user id. */
  members: Map<string, APIGuildMember>;
}

/** Everything the fake knows, and the lookups that answer Discord's "Unknown ..." errors. */
export class DiscordState {
  /** The bot token REST and IDENTIFY must present. */
  readonly token: string;
  /** The application id. */
  readonly applicationId: string;
  /** Application flags sent in READY. */
  readonly applicationFlags: number;
  /** How long a nonce with `enforce_nonce` is remembered, ms. */
  readonly nonceWindowMs: number;
  /** The bot user. */
  readonly botUser: APIUser;
  /** The default human user. */
  readonly user: APIUser;
  /** The first seeded guild's id. */
  readonly guildId: string;
  /** The first seeded guild's first channel id, or `''`. */
  readonly channelId: string;
  /** Issues snowflake ids. */
  readonly nextId = createSnowflakeFactory();
  /** Notifies waiters of every change. */
  readonly changes = new ChangeFeed();
  /** Guilds by id. */
  readonly guilds = new Map<string, GuildState>();
  /** Channels and threads by id. */
  readonly channels = new Map<string, FakeChannel>();
  /** Non-ephemeral messages by channel or thread id, oldest first. */
  readonly messages = new Map<string, FakeMessage[]>();
  /** Every message by id, ephemeral interaction messages included. */
  readonly messageIndex = new Map<string, FakeMessage>();
  /** Users by id. */
  readonly users = new Map<string, APIUser>();
  /** Threads created, in order. */
  readonly threads: FakeThread[] = [];
  /** The members of each thread, by thread id, then user id. */
  readonly threadMembers = new Map<string, Map<string, APIThreadMember>>();
  /** Registered application commands by guild id, or `GLOBAL_COMMANDS`. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  /** The bot's DM channels by channel id, one per person. */
  readonly directChannels = new Map<string, FakeDmChannel>();
  /** Ids of people who do not accept DMs from server members (Discord answers 50007). */
  readonly refusingDirectMessages = new Set<string>();
  /** The bytes of every uploaded attachment, by attachment id. */
  readonly attachmentBytes = new Map<string, Uint8Array>();

  /** Seeds the bot, the default user and the guilds of `options`. */
  constructor(options: FakeDiscordOptions) {
    this.token = options.token ?? DEFAULT_TOKEN;
    this.applicationId = options.applicationId ?? DEFAULT_APPLICATION_ID;
    this.applicationFlags = options.applicationFlags ?? 0;
    this.nonceWindowMs = options.nonceWindowMs ?? 5 * 60_000;

    this.botUser = this.rememberUser({
      ...baseUser(this.applicationId, 'mockdesign'),
      bot: true,
      ...options.botUser,
    });
    this.user = this.rememberUser({
      ...baseUser(DEFAULT_USER_ID, 'candidate'),
      ...options.user,
    });

    const seeds = options.guilds ?? [
      {
        id: DEFAULT_GUILD_ID,
        channels: [{ id: DEFAULT_CHANNEL_ID }],
      },
    ];
    for (const seed of seeds) this.seedGuild(seed);
    const firstGuild = seeds[0];
    if (!firstGuild) throw new Error('fake-discord: seed at least one guild');
    this.guildId = firstGuild.id;
    this.channelId = firstGuild.channels?.[0]?.id ?? '';
  }

  /** Tells waiters that something was recorded. */
  changed(): void {
    this.changes.changed();
  }

  /** Non-ephemeral messages in a channel or thread, oldest first (empty if none). */
  messagesIn(channelId: string): readonly FakeMessage[] {
    return this.messages.get(channelId) ?? [];
  }

  /** Whether a message is in its channel (not ephemeral, not deleted). */
  isVisible(message: FakeMessage): boolean {
    return this.messages.get(message.channel_id)?.includes(message) ?? false;
  }

  /** The default user, a known user by id, or a new user (who joins every guild). */
  resolveUser(partial: Partial<APIUser> | undefined): APIUser {
    if (!partial) return this.user;
    const id = partial.id ?? this.nextId();
    const known = this.users.get(id);
    const user = this.rememberUser({
      ...(known ?? baseUser(id, `user-${id.slice(-4)}`)),
      ...partial,
      id,
    });
    for (const guild of this.guilds.values()) this.join(guild, user);
    return user;
  }

  /** The user's member object in `guild` (joining it now if needed), with the user filled in. */
  memberOf(guild: GuildState, user: APIUser): APIGuildMember {
    return { ...this.join(guild, user), user };
  }

  /**
   * The permissions of a user in `guild`, as Discord computes them without channel overwrites
   * (the fake has none): everything for the owner or an Administrator, else `@everyone`'s and
   * those of the member's roles together.
   */
  permissionsOf(guild: GuildState, userId: string): string {
    if (userId === guild.ownerId) return ALL_PERMISSIONS;
    const roles = new Set([guild.id, ...(guild.members.get(userId)?.roles ?? [])]);
    const bits = guild.roles
      .filter((r) => roles.has(r.id))
      .reduce((all, r) => all | BigInt(r.permissions), 0n);
    return (bits & Permission.Administrator) !== 0n ? ALL_PERMISSIONS : bits.toString();
  }

  /**
   * Whether a user sees a channel: every channel and public thread, but a private thread only
   * for its members and for whoever may Manage Threads.
   */
  canView(channel: FakeChannel, userId: string): boolean {
    if (channel.type !== 12) return true;
    if (this.threadMembers.get(channel.id)?.has(userId)) return true;
    const guild = this.guilds.get(channel.guild_id);
    return !!guild && hasPermission(this.permissionsOf(guild, userId), Permission.ManageThreads);
  }

  /** A guild, or 404 Unknown Guild. */
  requireGuild(guildId: string): GuildState {
    const guild = this.guilds.get(guildId);
    if (!guild) throw notFound(10004, 'Unknown Guild');
    return guild;
  }

  /** A channel or thread the bot sees, else 404 Unknown Channel or 403 Missing Access. */
  requireChannel(channelId: string): FakeChannel {
    const channel = this.channels.get(channelId);
    if (!channel) throw unknownChannel();
    if (!this.canView(channel, this.botUser.id)) {
      throw new DiscordApiError(403, 50001, 'Missing Access');
    }
    return channel;
  }

  /** A visible message in the channel, or 404 Unknown Message. */
  requireMessage(channelId: string, messageId: string): FakeMessage {
    const message = this.messageIndex.get(messageId);
    if (!message || message.channel_id !== channelId || !this.isVisible(message)) {
      throw unknownMessage();
    }
    return message;
  }

  /** A channel a test named (default: the first seeded one); a test error if unknown. */
  requireChannelForTest(channelId: string | undefined): FakeChannel {
    const id = channelId ?? this.channelId;
    const channel = this.channels.get(id);
    if (!channel) throw new Error(`fake-discord: unknown channel ${id}`);
    return channel;
  }

  private seedGuild(seed: FakeGuildSeed): void {
    const ownerId = seed.ownerId ?? this.user.id;
    const botRoleId = this.nextId();
    const guild: GuildState = {
      id: seed.id,
      name: seed.name ?? 'mockdesign practice',
      ownerId,
      joinedAt: new Date().toISOString(),
      roles: [
        role(seed.id, '@everyone', 0, EVERYONE_PERMISSIONS),
        {
          ...role(botRoleId, this.botUser.username, 1, BOT_PERMISSIONS),
          managed: true,
          tags: { bot_id: this.botUser.id },
        },
      ],
      members: new Map(),
    };
    this.guilds.set(guild.id, guild);
    guild.members.set(this.botUser.id, member(this.botUser, [botRoleId], guild.joinedAt));
    guild.members.set(this.user.id, member(this.user, [], guild.joinedAt));
    for (const seeded of seed.members ?? []) {
      const id = seeded.id ?? this.nextId();
      this.join(
        guild,
        this.rememberUser({ ...baseUser(id, `user-${id.slice(-4)}`), ...seeded, id }),
      );
    }
    seed.channels?.forEach((channelSeed, position) => {
      const channel: APITextChannel | APINewsChannel = {
        id: channelSeed.id,
        type: channelSeed.type ?? 0,
        guild_id: guild.id,
        name: channelSeed.name ?? 'design-practice',
        position,
        parent_id: null,
        topic: channelSeed.topic ?? null,
        nsfw: false,
        last_message_id: null,
        rate_limit_per_user: 0,
        permission_overwrites: [],
        default_auto_archive_duration: 1440,
        flags: 0 as ChannelFlags,
      };
      this.channels.set(channel.id, { ...channel, guild_id: guild.id });
    });
  }

  private rememberUser(user: APIUser): APIUser {
    const known = this.users.get(user.id);
    const merged = known ? Object.assign(known, user) : user;
    this.users.set(merged.id, merged);
    return merged;
  }

  /** The user's stored member object in `guild`; a user who is not a member joins now. */
  private join(guild: GuildState, user: APIUser): APIGuildMember {
    let found = guild.members.get(user.id);
    if (!found) {
      found = member(user, [], new Date().toISOString());
      guild.members.set(user.id, found);
    }
    return found;
  }
}
