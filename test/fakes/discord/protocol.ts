/** Discord's numbers on the wire: opcodes, intents, flags, permissions and snowflake ids. */
import type { Json } from './json.js';
import type { FakeInteractionKind, InteractionCallbackKind } from './records.js';

/** Discord's epoch (2015-01-01), in ms; snowflakes count from it. */
export const DISCORD_EPOCH = 1_420_070_400_000n;
/** The gateway version READY reports. */
export const GATEWAY_VERSION = 10;
/** Dispatches a session keeps for RESUME. */
export const MAX_BACKLOG = 1000;

/** Gateway opcodes. */
export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  PresenceUpdate: 3,
  VoiceStateUpdate: 4,
  Resume: 6,
  Reconnect: 7,
  RequestGuildMembers: 8,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** The gateway intents the fake filters by. */
export const Intent = {
  Guilds: 1 << 0,
  GuildMembers: 1 << 1,
  GuildMessages: 1 << 9,
  DirectMessages: 1 << 12,
  MessageContent: 1 << 15,
} as const;
/** GuildMembers, GuildPresences and MessageContent. */
export const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);
/** Every intent bit Discord defines. */
export const KNOWN_INTENTS = (1 << 26) - 1;

/** Message flags the fake sets or reads. */
export const MessageFlag = {
  SuppressEmbeds: 1 << 2,
  HasThread: 1 << 5,
  Ephemeral: 1 << 6,
  Loading: 1 << 7,
  SuppressNotifications: 1 << 12,
  IsComponentsV2: 1 << 15,
} as const;
/** Flags a bot may set when sending a message. */
export const SENDABLE_FLAGS =
  MessageFlag.SuppressEmbeds | MessageFlag.SuppressNotifications | MessageFlag.IsComponentsV2;

/** A message body's `flags`, or 0. */
export function flagsOf(body: Json): number {
  return typeof body.flags === 'number' ? body.flags : 0;
}

/** Whether `flags` include Ephemeral. */
export function isEphemeral(flags: number | undefined): boolean {
  return ((flags ?? 0) & MessageFlag.Ephemeral) !== 0;
}

/** Interaction callback types by number. */
export const CALLBACK_KINDS: Record<number, InteractionCallbackKind> = {
  4: 'reply',
  5: 'deferReply',
  6: 'deferUpdate',
  7: 'update',
  8: 'autocomplete',
  9: 'modal',
};
/** Callback types each interaction kind may use. */
export const ALLOWED_CALLBACKS: Record<FakeInteractionKind, readonly number[]> = {
  slashCommand: [4, 5, 9],
  button: [4, 5, 6, 7, 9],
  autocomplete: [8],
};

const bits = (...flags: number[]): string =>
  flags.reduce((all, bit) => all | (1n << BigInt(bit)), 0n).toString();
// AddReactions, ViewChannel, SendMessages, EmbedLinks, AttachFiles, ReadMessageHistory,
// UseApplicationCommands, CreatePublicThreads, CreatePrivateThreads, SendMessagesInThreads.
const EVERYONE_BITS = [6, 10, 11, 14, 15, 16, 31, 35, 36, 38];
/** What `@everyone` may do. */
export const EVERYONE_PERMISSIONS = bits(...EVERYONE_BITS);
/** What the bot's role may do: the same plus ManageMessages and ManageThreads. */
export const BOT_PERMISSIONS = bits(...EVERYONE_BITS, 13, 34);
/** What a guild owner may do: everything. */
export const ALL_PERMISSIONS = ((1n << 51n) - 1n).toString();

/** Permission bits the fake checks. */
export const Permission = {
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageThreads: 1n << 34n,
} as const;

/** Whether a permission bitfield (a decimal string, as the API sends it) includes `bit`. */
export function hasPermission(permissions: string, bit: bigint): boolean {
  return (BigInt(permissions) & bit) !== 0n;
}

/** Issues snowflake ids: increasing, and unique even within one millisecond. */
export function createSnowflakeFactory(): () => string {
  let last = 0n;
  return () => {
    const candidate = (BigInt(Date.now()) - DISCORD_EPOCH) << 22n;
    last = candidate > last ? candidate : last + 1n;
    return last.toString();
  };
}
