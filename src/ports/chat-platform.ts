import type { Command, CommandResult } from '../commands/command.js';
import type { OutboundMessage } from '../messages.js';

/** What the core gives a platform to hand its events to. */
export type CommandHandler = (command: Command) => Promise<CommandResult>;

/**
 * A chat platform (Slack, Discord, terminal). Small on purpose: five required members; the core
 * checks for an optional one before using it. Addresses are opaque strings whose scheme is `name`.
 */
export interface ChatPlatform {
  /** Platform name and address scheme, e.g. `slack`. */
  readonly name: string;
  /** Starts listening for events and hands each to `handler` as a core command. */
  start(handler: CommandHandler): Promise<void>;
  /** Stops listening and closes connections. */
  stop(): Promise<void>;
  /** Posts `message` in `channel` as the root of a new thread; returns the thread's address. */
  openThread(
    channel: string,
    message: OutboundMessage,
  ): Promise<{ thread: string; messageId: string }>;
  /**
   * Posts `message` into the thread at `thread`. `delivery.key` is the same every time the core
   * posts this message; `delivery.redelivery` is set when a previous attempt may have reached the
   * platform (a crash or failure between posting and recording it). Platforms that can, use the
   * key to show the message once (Discord: `nonce` with `enforce_nonce`; elsewhere: a look-up of
   * the thread on redelivery only).
   */
  post(
    thread: string,
    message: OutboundMessage,
    delivery?: { readonly key: string; readonly redelivery: boolean },
  ): Promise<{ messageId: string }>;
  /** Shows `text` to `user` only, near `address`. */
  ephemeral(address: string, user: string, text: string): Promise<void>;
  /** A link to a message, used for evidence quotes (optional). */
  permalink?(thread: string, messageId: string): Promise<string | undefined>;
}
