import type { Clock } from '../../src/clock.js';
import type { OutboundMessage } from '../../src/messages.js';
import type { ChatPlatform, CommandHandler } from '../../src/ports/chat-platform.js';

/** A posted message with the clock time it was posted at. */
export interface Recorded {
  readonly address: string;
  readonly message: OutboundMessage;
  readonly at: number;
}

/** An in-memory chat platform for unit tests of the core: records everything it is asked to show. */
export class RecordingPlatform implements ChatPlatform {
  readonly name = 'test';
  readonly posts: Recorded[] = [];
  readonly ephemerals: { address: string; user: string; text: string }[] = [];
  handler: CommandHandler | undefined;
  /** The next `failures` posts throw, as a platform outage or a crash mid-post would. */
  failures = 0;
  private threads = 0;

  constructor(private readonly clock: Clock) {}

  async start(handler: CommandHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  async openThread(channel: string, message: OutboundMessage) {
    const thread = `${channel}:T${++this.threads}`;
    this.posts.push({ address: thread, message, at: this.clock.now() });
    return { thread, messageId: `${thread}:root` };
  }

  /** Delivery keys seen, as a platform with idempotency keys would keep them. */
  readonly keys = new Set<string>();
  /** Posts dropped because their delivery key had been seen (redeliveries after a failure). */
  duplicatesDropped = 0;

  async post(
    thread: string,
    message: OutboundMessage,
    delivery?: { key: string; redelivery: boolean },
  ) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('platform unavailable');
    }
    if (delivery) {
      if (this.keys.has(delivery.key)) {
        this.duplicatesDropped++;
        return { messageId: delivery.key };
      }
      this.keys.add(delivery.key);
    }
    this.posts.push({ address: thread, message, at: this.clock.now() });
    return { messageId: `${thread}:${this.posts.length}` };
  }

  async ephemeral(address: string, user: string, text: string) {
    this.ephemerals.push({ address, user, text });
  }

  /** Interviewer event ids posted to `thread`, with their round minute. */
  events(thread: string): { event: string; minute: number }[] {
    return this.posts.flatMap((p) =>
      p.address === thread && p.message.kind === 'interviewer'
        ? [{ event: p.message.event, minute: Math.round(p.message.minute * 100) / 100 }]
        : [],
    );
  }
}
