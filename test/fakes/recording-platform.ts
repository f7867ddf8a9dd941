import type { Clock } from '../../src/clock.js';
import { PlatformError, type PlatformRefusal } from '../../src/errors.js';
import type {
  ChatPlatform,
  CommandHandler,
  Delivery,
  OutgoingFile,
  Person,
} from '../../src/ports/chat-platform.js';
import { type Card, cardText } from '../../src/presentation/card.js';
import type { RoundClock } from '../../src/presentation/clock.js';
import { subjectOf } from './delivery-key.js';

/** A posted card with the clock time it was posted at. */
export interface Recorded {
  readonly address: string;
  readonly card: Card;
  /** What it is within its round (`pivot`, `end`, `scorecard`; `prompt` for a thread's root). */
  readonly subject: string;
  readonly at: number;
}

/** An in-memory chat platform for unit tests of the core: records everything it is asked to show. */
export class RecordingPlatform implements ChatPlatform {
  readonly name = 'test';
  readonly posts: Recorded[] = [];
  readonly ephemerals: { address: string; user: string; card: Card }[] = [];
  /** Every clock the core sent, in order. */
  readonly clocks: { thread: string; clock: RoundClock | undefined }[] = [];
  handler: CommandHandler | undefined;
  /** The next `failures` posts throw, as a platform outage or a crash mid-post would. */
  failures = 0;
  /** The next `hangs` posts never settle, as in a process that died before they were made. */
  hangs = 0;
  /** While set, every new thread is refused for this reason (the bot was removed, ...). */
  refusing: PlatformRefusal | undefined;
  /** Threads whose posts are refused for good, with the reason (archived, the bot removed, ...). */
  readonly refusingThreads = new Map<string, PlatformRefusal>();
  /** People who take no direct messages from the bot: sending them one is refused. */
  readonly refusingDirects = new Set<string>();
  /** The next `directHangs` direct messages never settle, as in a process that died sending them. */
  directHangs = 0;
  private threads = 0;
  /** When each thread was opened, for the round minute of each post. */
  private readonly openedAt = new Map<string, number>();

  /** `timeScale`: the rounds' `MOCKDESIGN_TIME_SCALE`, to turn wall time into round minutes. */
  constructor(
    private readonly time: Clock,
    private readonly timeScale = 1,
  ) {}

  async start(handler: CommandHandler): Promise<void> {
    this.handler = handler;
  }

  async stop(): Promise<void> {
    this.handler = undefined;
  }

  /** Threads opened under a delivery key, found again as a platform with idempotency keys would. */
  private readonly roots = new Map<string, { thread: string; messageId: string }>();

  async openThread(channel: string, card: Card, delivery?: Delivery) {
    if (this.refusing) {
      throw new PlatformError(this.name, `refused: ${this.refusing}`, undefined, {
        refusal: this.refusing,
      });
    }
    const earlier = delivery && this.roots.get(delivery.key);
    if (earlier) {
      this.duplicatesDropped++;
      return earlier;
    }
    const thread = `${channel}:T${++this.threads}`;
    this.openedAt.set(thread, this.time.now());
    this.posts.push({ address: thread, card, subject: 'prompt', at: this.time.now() });
    const opened = { thread, messageId: `${thread}:root` };
    if (delivery) this.roots.set(delivery.key, opened);
    return opened;
  }

  /** What people wrote in each thread, heard by the core or not, in order: `missed` reads it. */
  readonly written: {
    thread: string;
    messageId: string;
    user: string;
    text: string;
    sentAt: number;
  }[] = [];

  /** A thread's messages after the one with id `after` (all of them without it). */
  async missed(thread: string, after: string | undefined) {
    const mine = this.written.filter((m) => m.thread === thread);
    const from = mine.findIndex((m) => m.messageId === after) + 1;
    return mine.slice(from).map(({ thread: _, ...message }) => message);
  }

  /** Delivery keys seen, as a platform with idempotency keys would keep them. */
  readonly keys = new Set<string>();
  /**
   * Posts and thread roots dropped because their delivery key had been seen (redeliveries after a
   * failure).
   */
  duplicatesDropped = 0;

  async post(thread: string, card: Card, delivery?: Delivery) {
    const refusal = this.refusingThreads.get(thread);
    if (refusal) {
      throw new PlatformError(this.name, `refused: ${refusal}`, undefined, { refusal });
    }
    if (this.hangs > 0) {
      this.hangs--;
      return new Promise<never>(() => {});
    }
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
    const subject = delivery ? subjectOf(delivery.key) : card.kind;
    this.posts.push({ address: thread, card, subject, at: this.time.now() });
    return { messageId: `${thread}:${this.posts.length}` };
  }

  /** Private conversations opened: the person and the thread. */
  readonly privates: { channel: string; user: string; thread: string }[] = [];
  /** Every edit of a message, in order. */
  readonly edits: { address: string; messageId: string; card: Card }[] = [];
  /** Cards (and files) sent to people's direct messages, in order. */
  readonly directs: {
    near: string;
    user: string;
    card: Card;
    files: readonly OutgoingFile[];
    delivery?: Delivery;
  }[] = [];
  /** What `person` answers, by user id (default: not a manager, no time zone). */
  readonly people = new Map<string, Person>();
  /** The next `personFailures` questions about a person throw, as a platform outage would. */
  personFailures = 0;

  async openPrivate(channel: string, user: string, card: Card) {
    const thread = `${channel}:P${++this.threads}`;
    this.privates.push({ channel, user, thread });
    this.openedAt.set(thread, this.time.now());
    this.posts.push({ address: thread, card, subject: 'prompt', at: this.time.now() });
    return { thread, messageId: `${thread}:root` };
  }

  async direct(
    near: string,
    user: string,
    card: Card,
    files: readonly OutgoingFile[] = [],
    delivery?: Delivery,
  ) {
    if (this.refusingDirects.has(user)) {
      throw new PlatformError(this.name, 'refused: no direct messages', undefined, {
        refusal: 'cannot_post_here',
      });
    }
    if (this.directHangs > 0) {
      this.directHangs--;
      return new Promise<never>(() => {});
    }
    if (this.failures > 0) {
      this.failures--;
      throw new Error('platform unavailable');
    }
    this.directs.push({ near, user, card, files, ...(delivery ? { delivery } : {}) });
  }

  async edit(address: string, messageId: string, card: Card) {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('platform unavailable');
    }
    this.edits.push({ address, messageId, card });
  }

  async person(_channel: string, user: string): Promise<Person> {
    if (this.personFailures > 0) {
      this.personFailures--;
      throw new Error('platform unavailable');
    }
    return this.people.get(user) ?? { manager: false };
  }

  async permalink(thread: string, messageId: string) {
    return `https://chat.test/${thread}/${messageId}`;
  }

  /** The last version of a message: its latest edit, else the card it was posted with. */
  latest(address: string, messageId: string): Card | undefined {
    const edits = this.edits.filter((e) => e.address === address && e.messageId === messageId);
    return edits.at(-1)?.card;
  }

  async ephemeral(address: string, user: string, card: Card) {
    this.ephemerals.push({ address, user, card });
  }

  clock(thread: string, clock: RoundClock | undefined): void {
    this.clocks.push({ thread, clock });
  }

  /** Cards of a kind posted anywhere. */
  cards(kind: Card['kind']): Recorded[] {
    return this.posts.filter((p) => p.card.kind === kind);
  }

  /** Interviewer lines posted to `thread`: their event and the round minute they came at. */
  events(thread: string): { event: string; minute: number }[] {
    const opened = this.openedAt.get(thread) ?? 0;
    return this.posts.flatMap((p) =>
      p.address === thread && p.card.kind === 'interviewer'
        ? [
            {
              event: p.subject,
              minute: Math.round(((p.at - opened) / 60_000 / this.timeScale) * 100) / 100,
            },
          ]
        : [],
    );
  }

  /** The plain text of the interviewer line of `event` in `thread`. */
  said(thread: string, event: string): string | undefined {
    const post = this.posts.find((p) => p.address === thread && p.subject === event);
    return post && cardText(post.card);
  }
}
