import type { Command, CommandResult } from '../commands/command.js';
import type { Card } from '../presentation/card.js';
import type { RoundClock } from '../presentation/clock.js';

/** What the core gives a platform to hand its events to. */
export type CommandHandler = (command: Command) => Promise<CommandResult>;

/** How the core posts one message: the same key every time it posts that message. */
export interface Delivery {
  /** Stable for the message: `{sessionId}-{outbox key}`. */
  readonly key: string;
  /**
   * Set when a previous attempt may have reached the platform (a crash or failure between posting
   * and recording it); platforms that can look the key up first do so.
   */
  readonly redelivery: boolean;
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
  /** Starts listening for events and hands each to `handler` as a core command. */
  start(handler: CommandHandler): Promise<void>;
  /** Stops listening and closes connections. */
  stop(): Promise<void>;
  /** Posts `card` in `channel` as the root of a new thread; returns the thread's address. */
  openThread(channel: string, card: Card): Promise<{ thread: string; messageId: string }>;
  /**
   * Posts `card` into the thread at `thread`. Platforms that can use `delivery.key` to show the
   * card once (Discord: `nonce` with `enforce_nonce`; Slack: a look-up of the thread on
   * redelivery only).
   */
  post(thread: string, card: Card, delivery?: Delivery): Promise<{ messageId: string }>;
  /** Shows `card` to `user` only, near `address`. */
  ephemeral(address: string, user: string, card: Card): Promise<void>;
  /** A link to a message, used for evidence quotes (optional). */
  permalink?(thread: string, messageId: string): Promise<string | undefined>;
  /**
   * Whether the platform is connected and able to take events and posts right now (health
   * checks); platforms without a lasting connection leave it out (optional).
   */
  connected?(): boolean;
  /**
   * The round's clock, for platforms that show time passing (the terminal's prompt): sent when a
   * round starts and whenever its phase changes; `undefined` once it is over (optional).
   */
  clock?(thread: string, clock: RoundClock | undefined): void;
}
