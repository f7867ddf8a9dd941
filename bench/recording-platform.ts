import type { ChatPlatform, CommandHandler, Delivery } from '../src/ports/chat-platform.js';
import type { Card } from '../src/presentation/card.js';
import { subjectOf } from '../test/fakes/delivery-key.js';

/** One interviewer message as the platform received it. */
export interface PostedEvent {
  readonly thread: string;
  readonly event: string;
  /** Wall epoch ms when `post` was called. */
  readonly at: number;
}

/**
 * A chat platform that answers at once and records when each message arrived: the post time of
 * an interviewer event is the end of everything the core does before the platform sees it.
 * Keeps only what the benchmark needs, so 10,000 rounds stay cheap to record.
 */
export class RecordingPlatform implements ChatPlatform {
  readonly name = 'bench';
  readonly events: PostedEvent[] = [];
  /** Thread addresses in the order they were opened. */
  readonly threads: string[] = [];
  scorecards = 0;
  notices = 0;

  async start(_handler: CommandHandler): Promise<void> {}

  async stop(): Promise<void> {}

  async openThread(channel: string, _card: Card) {
    const thread = `${channel}:T${this.threads.length + 1}`;
    this.threads.push(thread);
    return { thread, messageId: `${thread}:root` };
  }

  async post(thread: string, card: Card, delivery?: Delivery) {
    const at = Date.now();
    if (card.kind === 'interviewer') {
      const event = delivery ? subjectOf(delivery.key) : card.kind;
      this.events.push({ thread, event, at });
    } else if (card.kind === 'scorecard') {
      this.scorecards += 1;
    } else {
      this.notices += 1;
    }
    return { messageId: `${thread}:${this.events.length}` };
  }

  async ephemeral(_address: string, _user: string, _card: Card): Promise<void> {}
}
