/** What a test passes to the fake Discord when it speaks as a user, injects faults or waits. */
import type { APIUser } from 'discord.js';

/** A value for a slash command option: strings for string, user, channel and role options. */
export type SlashOptionValue = string | number | boolean;

/** Input for {@link FakeDiscord.sendSlashCommand}. */
export interface SendSlashCommandOptions {
  /** Command name, e.g. `'mockdesign'`. */
  name: string;
  /** Subcommand group name, if the command has groups. */
  subcommandGroup?: string;
  /** Subcommand name, e.g. `'start'`. */
  subcommand?: string;
  /**
   * Option values by name. When the command was registered with the fake, the registered option
   * types are used (and unknown or missing required options throw); otherwise the type is
   * inferred: string 3, integer 4, other number 10, boolean 5.
   */
  options?: Record<string, SlashOptionValue>;
  /** Who runs it. Default: the default user. */
  user?: Partial<APIUser>;
  /** Where. Default: the first seeded text channel. A thread id works too. */
  channelId?: string;
}

/** Input for {@link FakeDiscord.sendAutocomplete}. */
export interface SendAutocompleteOptions extends SendSlashCommandOptions {
  /** Name of the focused option; its value (what the user typed so far) is `options[focused]` or `''`. */
  focused: string;
}

/** Input for {@link FakeDiscord.sendButton}. */
export interface SendButtonOptions {
  /** The button's `custom_id`; it must be on the message when the message has components. */
  customId: string;
  /** The message (or its id) the button is on; the fake must know it (the bot posted it). */
  message: string | { id: string };
  /** Who presses it. Default: the default user. */
  user?: Partial<APIUser>;
}

/** Input for {@link FakeDiscord.sendMessage}. */
export interface SendMessageOptions {
  /** Channel or thread id. Default: the first seeded text channel. */
  channelId?: string;
  /** Message text. */
  content: string;
  /** Author. Default: the default user. */
  author?: Partial<APIUser>;
  /** Id of a message in the same channel this one replies to. */
  replyTo?: string;
  /** Files attached to it, by name (an image, a diagram). */
  files?: readonly string[];
}

/** Input for {@link FakeDiscord.createThread}. */
export interface CreateThreadOptions {
  /** Parent text channel id. Default: the first seeded text channel. */
  parentId?: string;
  /** Thread name. */
  name: string;
  /** Who creates it. Default: the default user. */
  owner?: Partial<APIUser>;
  /** Start it from this message (the thread takes the message's id). */
  startMessageId?: string;
  /** 11 public (default) or 12 private. */
  type?: 11 | 12;
}

/** Input for {@link FakeDiscord.createRole}. */
export interface CreateRoleOptions {
  /** Role name. Default `'role'`. */
  name?: string;
  /**
   * Its permissions: a bitfield as a bigint (e.g. `PermissionFlagsBits.ManageChannels`) or as the
   * decimal string the API sends.
   */
  permissions: bigint | string;
  /** The guild. Default: the first seeded guild. */
  guildId?: string;
}

/** Input for {@link FakeDiscord.addMemberRole}. */
export interface AddMemberRoleOptions {
  /** Who gets the role (joining the guild if needed). */
  user: Partial<APIUser>;
  /** A role of the guild, e.g. one from `createRole`. */
  roleId: string;
  /** The guild. Default: the first seeded guild. */
  guildId?: string;
}

/** Options for the `waitFor` helpers. */
export interface WaitOptions {
  /** Give up after this many ms. Default `5000`. */
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

/** Options for {@link FakeDiscord.rateLimitNext}. */
export interface RateLimitOptions {
  /** Answer as a global rate limit (`X-RateLimit-Global`, scope `global`). Default `false`. */
  global?: boolean;
  /** How many matching requests get a 429. Default `1`. */
  times?: number;
}
