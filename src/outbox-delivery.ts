import type { Clock } from './clock.js';
import { MockdesignError } from './errors.js';
import type { Logger } from './logger.js';
import type { OutboundMessage } from './messages.js';
import { type Platforms, platformOf } from './platforms.js';
import { type Scheduler, type Timer, timerFor } from './ports/scheduler.js';
import type { SessionStore } from './ports/session-store.js';
import { present } from './presentation/present.js';
import type { OutboxEntry, OutboxMessage, Session } from './session.js';

/** Wait before a post that failed at once is tried again from a job. */
const POST_RETRY_MS = 1000;

/** How long a post waits for a message decided before it to be posted first. */
const ORDER_WAIT_MS = 10_000;

/** The post timer of a round's outbox entries `keys`, on the round's platform. */
export function postTimer(
  session: Session,
  keys: readonly string[],
  at: number,
  retry: boolean,
): Timer {
  const event = retry ? { kind: 'post' as const, keys, retry } : { kind: 'post' as const, keys };
  return timerFor(session.id, event, at, platformOf(session.thread));
}

/** An outbox entry no job is posting any more: the sweeper's, by the round's attention time. */
function unclaimed({ job: _job, ...entry }: OutboxEntry): OutboxEntry {
  return entry;
}

/**
 * Posts the interviewer lines and scorecards a round decided, from its outbox: once each, in the
 * order they were decided, at once where this process serves the platform, else (and after a
 * failure) from a post timer on the platform's queue.
 */
export class OutboxDelivery {
  constructor(
    private readonly o: {
      readonly store: SessionStore;
      readonly scheduler: Scheduler;
      readonly platforms: Platforms;
      readonly clock: Clock;
      readonly logger: Logger;
    },
  ) {}

  /**
   * Posts what a transition decided. A process that serves the round's platform posts at once;
   * if that fails, or the process does not serve the platform, a post timer on the platform's
   * queue does it: only a process serving the platform takes it, and it is tried again
   * (honouring the platform's Retry-After) without holding up anything else. A crash before
   * either leaves the messages in the outbox, where the timer job that decided them, run again,
   * or else the sweeper finds them. `redelivery`: the platform may have them already.
   */
  async deliver(
    session: Session,
    keys: readonly string[],
    now: number,
    redelivery = false,
  ): Promise<void> {
    if (!this.o.platforms.find(session.thread)) {
      await this.handOver(session, keys, now, redelivery);
      return;
    }
    try {
      await this.post(session.id, keys, redelivery, session);
    } catch (error) {
      this.o.logger.warn('post failed; trying again from a job', { session: session.id, error });
      await this.handOver(session, keys, now + POST_RETRY_MS, true);
    }
  }

  /**
   * A post job on the platform's queue takes the messages over from the timer job that decided
   * them, and the sweeper after it, should it give up: they are no longer that job's.
   */
  private async handOver(
    session: Session,
    keys: readonly string[],
    at: number,
    redelivery: boolean,
  ): Promise<void> {
    await this.o.store.update(session.id, (s) =>
      s.outbox.some((e) => keys.includes(e.key) && e.job !== undefined)
        ? { ...s, outbox: s.outbox.map((e) => (keys.includes(e.key) ? unclaimed(e) : e)) }
        : undefined,
    );
    await this.o.scheduler.schedule(postTimer(session, keys, at, redelivery));
  }

  /**
   * Posts the outbox entries `keys` of a round in order, removing each once the platform has it;
   * an entry already posted is skipped. A message decided earlier by another transition and still
   * being posted goes first (the closing line before the scorecard): this waits for it while it
   * is younger than `ORDER_WAIT_MS`, so an old line that cannot be posted blocks nothing. A retry
   * may follow a post that reached the platform, so it is a `redelivery`: the platform looks the
   * delivery key up first where it can. `known`, the round as the caller just wrote it, saves a
   * read.
   */
  async post(
    sessionId: string,
    keys: readonly string[],
    redelivery: boolean,
    known?: Session,
  ): Promise<void> {
    let session = known ?? (await this.o.store.get(sessionId));
    for (const key of keys) {
      const entry = session?.outbox.find((e) => e.key === key);
      if (!session || !entry) continue;
      const now = this.o.clock.now();
      const earlier = session.outbox.some(
        (e) => e.since < entry.since && !keys.includes(e.key) && now - e.since < ORDER_WAIT_MS,
      );
      if (earlier) {
        throw new MockdesignError('post_order', 'an earlier message of the round is still posting');
      }
      const message = await this.resolved(session.id, entry.message);
      if (message) {
        await this.o.platforms.for(session.thread).post(session.thread, present(message), {
          key: `${session.id}-${entry.key}`,
          redelivery,
          since: entry.since,
        });
      } else {
        this.o.logger.warn('outbox: a scorecard to post is not stored; dropped', {
          session: session.id,
        });
      }
      session =
        (await this.o.store.update(
          session.id,
          (s) =>
            s.outbox.some((e) => e.key === key)
              ? { ...s, outbox: s.outbox.filter((e) => e.key !== key) }
              : undefined,
          session,
        )) ?? (await this.o.store.get(sessionId));
    }
  }

  /** The message an outbox entry stands for: a scorecard is read from where the round keeps it. */
  private async resolved(
    sessionId: string,
    message: OutboxMessage,
  ): Promise<OutboundMessage | undefined> {
    if (message.kind !== 'scorecard') return message;
    const scorecard = await this.o.store.getScorecard(sessionId);
    return scorecard && { ...message, scorecard };
  }
}
