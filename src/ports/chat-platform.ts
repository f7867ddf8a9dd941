import type { Command, CommandResult } from '../commands/command.js';
import type { Card } from '../presentation/card.js';
import type { RoundClock } from '../presentation/clock.js';

/** What the core gives a platform to hand its events to. */
export type CommandHandler = (command: Command) => Promise<CommandResult>;

/** How the core posts one message: the same key every time it posts that message. */
export interface Delivery {
  /**
   * Stable for the message across tries: `{sessionId}-{outbox key}` for a round's post,
   * `{challengeId}-card` for a challenge's card.
   */
  readonly key: string;
  /**
   * Set when a previous attempt may have reached the platform (a crash or failure between posting
   * and recording it); platforms that can look the key up first do so.
   */
  readonly redelivery: boolean;
  /**
   * When the core decided the message (epoch ms), or earlier: a platform whose own de-duplication
   * lasts only a while (Discord's nonce) reads the thread (for a thread's root, the channel) from
   * then on first, on a redelivery older than that.
   */
  readonly since?: number;
}

/** A message the platform holds that reached no handler (sent while the bot was away). */
export interface MissedMessage {
  /** Platform message id. */
  readonly messageId: string;
  /** Platform user id of the author. */
  readonly user: string;
  readonly text: string;
  /** When it was sent, epoch ms. */
  readonly sentAt: number;
}

/** A file the bot sends: a progress chart, an export of someone's rounds. */
export interface OutgoingFile {
  /** File name with its extension, e.g. `mockdesign-progress.png`. */
  readonly name: string;
  /** MIME type, e.g. `image/png`, `application/json`. */
  readonly contentType: string;
  readonly bytes: Uint8Array;
  /** What it shows, in one line (alt text of an image, title of a file). */
  readonly title: string;
}

/** What a platform knows about a person, for permissions and local times. */
export interface Person {
  /**
   * Manages the workspace or server: Slack workspace admins and owners, Discord members with
   * Manage Server or Manage Channels.
   */
  readonly manager: boolean;
  /** The person's IANA time zone (e.g. `Europe/Berlin`), when the platform knows it (Slack). */
  readonly timeZone?: string;
}

/** What a platform tells the core besides commands. */
export interface PlatformEvents {
  /**
   * The platform has (re)connected after a gap in which events may have been lost (a process
   * start, a new gateway session): the core asks `missed` for what it did not hear.
   */
  reconnected(): void;
}

/**
 * A chat platform (Slack, Discord, terminal). Small on purpose: five required members; the core
 * checks for an optional one before using it. Addresses are opaque strings whose scheme is `name`.
 * Everything shown is a {@link Card} from the presentation model: the platform renders it and adds
 * no words of its own.
 */
export interface ChatPlatform {
  /** Platform name and address scheme, e.g. `slack`. */
  readonly name: string;
  /**
   * Commands are slash commands with typed options (Discord: `/mockdesign start minutes:30`), not
   * text after the command: cards that name commands name them that way.
   */
  readonly typedOptions?: boolean;
  /**
   * Starts listening for events and hands each to `handler` as a core command; platforms that can
   * lose events while disconnected call `events.reconnected()` once connected again.
   */
  start(handler: CommandHandler, events?: PlatformEvents): Promise<void>;
  /** Stops listening and closes connections. */
  stop(): Promise<void>;
  /**
   * Posts `card` in `channel` as the root of a new thread; returns the thread's address. With
   * `delivery`, a root posted again under the same key (a retried job) is shown once, as `post`
   * does: the thread of the root already shown is returned (Slack: the key in the root's metadata,
   * looked up in the channel on redelivery only; Discord: `nonce` with `enforce_nonce`, and the
   * channel read on a redelivery older than the nonce window).
   */
  openThread(
    channel: string,
    card: Card,
    delivery?: Delivery,
  ): Promise<{ thread: string; messageId: string }>;
  /**
   * Posts `card` into the thread at `thread`. Platforms that can use `delivery.key` to show the
   * card once (Discord: `nonce` with `enforce_nonce`; Slack: a look-up of the thread on
   * redelivery only).
   */
  post(thread: string, card: Card, delivery?: Delivery): Promise<{ messageId: string }>;
  /** Shows `card` to `user` only, near `address`. */
  ephemeral(address: string, user: string, card: Card): Promise<void>;
  /**
   * Replaces what the bot's message `messageId` shows with `card` (a live count, a leaderboard
   * that grows). `address` is where the message sits: a channel for a thread's root, else the
   * thread (optional).
   */
  edit?(address: string, messageId: string, card: Card): Promise<void>;
  /**
   * Opens a conversation that only `user` and the bot see, for a round started from `channel`
   * (Slack: the bot's direct messages with the person; Discord: a private thread under `channel`
   * with only the person added), and posts `card` there as the round's first message. Returns the
   * address of the thread where the person answers, the card's message id, and, where plain
   * messages of the conversation count as answers too (Slack's direct messages), the
   * conversation's address (optional).
   */
  openPrivate?(
    channel: string,
    user: string,
    card: Card,
  ): Promise<{ thread: string; messageId: string; conversation?: string }>;
  /**
   * Sends `card`, with `files` attached when given, to `user`'s direct messages with the bot in
   * the workspace or server of `near` (any address there): a progress chart, an export, a
   * reminder (optional). With `delivery`, a message sent again under the same key (a retried
   * job) is shown once, as `post` does.
   */
  direct?(
    near: string,
    user: string,
    card: Card,
    files?: readonly OutgoingFile[],
    delivery?: Delivery,
  ): Promise<void>;
  /** What the platform says about `user`, asked near `channel` (optional). */
  person?(channel: string, user: string): Promise<Person>;
  /** A link to a message, used for evidence quotes (optional). */
  permalink?(thread: string, messageId: string): Promise<string | undefined>;
  /**
   * Whether the platform is connected and able to take events and posts right now (health
   * checks); platforms without a lasting connection leave it out (optional).
   */
  connected?(): boolean;
  /**
   * The messages in `thread` after the message `after` (after the thread's first message when
   * `undefined`), oldest first, not counting the bot's own; a platform that may deliver messages
   * out of order reads from a little before `after` (the core stores each message once).
   * `undefined` when this process does not serve that thread (another shard's). Platforms that
   * cannot lose events leave it out (optional).
   */
  missed?(thread: string, after: string | undefined): Promise<MissedMessage[] | undefined>;
  /**
   * The round's clock, for platforms that show time passing (the terminal's prompt): sent when a
   * round starts and whenever its phase changes; `undefined` once it is over (optional).
   */
  clock?(thread: string, clock: RoundClock | undefined): void;
}
