import { randomUUID } from 'node:crypto';
import type { Clock } from './clock.js';
import { PlatformError, type PlatformRefusal } from './errors.js';
import type { Logger } from './logger.js';
import type { OutboundMessage } from './messages.js';
import { type Platforms, platformOf } from './platforms.js';
import type { Delivery } from './ports/chat-platform.js';
import { NotYet, type Scheduler, type Timer, timerFor } from './ports/scheduler.js';
import type { SessionStore } from './ports/session-store.js';
import type { Card } from './presentation/card.js';
import { present } from './presentation/present.js';
import type { OutboxEntry, OutboxMessage, Session } from './session.js';

/** Wait before a post that failed at once is tried again from a job. */
const POST_RETRY_MS = 1000;

/**
 * How long a post waits for a message of the round decided before it to be posted by its own job:
 * longer than a first try may take (the platforms' clients give up within 10 s), which alone
 * posts without a claim. After that the later post posts it first.
 */
const ORDER_WAIT_MS = 15_000;

/**
 * How old an earlier message may be and still hold up a later one when posting it fails again: a
 * line the platform keeps refusing never keeps the round's scorecard back for longer.
 */
const ORDER_GIVE_UP_MS = 2 * 60_000;

/** How long a retried post holds its claim on the message: longer than a post may take. */
const POST_CLAIM_MS = 30_000;

/** How soon a post waiting for another message of the round looks again. */
const ORDER_POLL_MS = 2000;

/**
 * A post that waits for another message of the round (one decided before it, or the same one
 * being posted by another job): tried again shortly, and not counted as a failed try.
 */
const waitFor = (what: string) => new NotYet(`waiting: ${what}`, ORDER_POLL_MS);

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
      /**
       * The round's thread refused a post for good (archived, the bot removed): ends the round if
       * it runs and tells its candidates where its scorecard goes, once.
       */
      readonly threadRefused?: (session: Session, refusal: PlatformRefusal) => Promise<void>;
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
      // A message waiting for an earlier one of the round (the scorecard behind a closing line
      // still being tried) has not failed: it is the order working.
      if (error instanceof NotYet) {
        this.o.logger.info('post waits for an earlier message of the round; a job posts it', {
          session: session.id,
          reason: error.message,
        });
      } else {
        this.o.logger.warn('post failed; trying again from a job', { session: session.id, error });
      }
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
   * waiting goes first (the closing line before the scorecard): while it is younger than
   * `ORDER_WAIT_MS` its own job is left to post it and this waits; after that this posts it
   * first, and goes on without it only once it is older than `ORDER_GIVE_UP_MS`, so an old line
   * that cannot be posted blocks nothing. A retry may follow a post that reached the platform, so
   * it is a `redelivery`: the platform looks the delivery key up first where it can. `known`, the
   * round as the caller just wrote it, saves a read.
   */
  async post(
    sessionId: string,
    keys: readonly string[],
    redelivery: boolean,
    known?: Session,
  ): Promise<void> {
    let session = known ?? (await this.o.store.get(sessionId));
    for (const key of keys) {
      const at = session?.outbox.findIndex((e) => e.key === key) ?? -1;
      if (!session || at < 0) continue;
      const now = this.o.clock.now();
      // The outbox holds messages in the order they were decided.
      const earlier = session.outbox.slice(0, at).filter((e) => !keys.includes(e.key));
      if (earlier.some((e) => now - e.since < ORDER_WAIT_MS)) {
        throw waitFor('an earlier message of the round is still posting');
      }
      for (const before of earlier) {
        try {
          session = await this.postEntry(session, before.key, true);
        } catch (error) {
          if (now - before.since < ORDER_GIVE_UP_MS) throw error;
          this.o.logger.warn('outbox: an old message could not be posted; the next goes on', {
            session: sessionId,
            error,
          });
        }
        if (!session) return;
      }
      session = await this.postEntry(session, key, redelivery);
    }
  }

  /**
   * Posts the outbox entry `key` of a round and removes it; returns the round as it is after.
   * A retry (`redelivery`) claims the entry first, so no two jobs post it at once, and reads the
   * round again, since another job may have posted it meanwhile; a first try, right after the
   * message was decided, is the only one posting it.
   */
  private async postEntry(
    known: Session,
    key: string,
    redelivery: boolean,
  ): Promise<Session | undefined> {
    const holder = redelivery ? randomUUID() : undefined;
    if (holder && !(await this.o.store.claimPost(known.id, key, holder, POST_CLAIM_MS))) {
      throw waitFor('another job is posting this message');
    }
    try {
      const session = holder ? await this.o.store.get(known.id) : known;
      const entry = session?.outbox.find((e) => e.key === key);
      if (!session || !entry) return session;
      const message = await this.resolved(session.id, entry.message);
      if (message) {
        try {
          await this.o.platforms.for(session.thread).post(session.thread, present(message), {
            key: `${session.id}-${entry.key}`,
            redelivery,
            since: entry.since,
          });
        } catch (error) {
          if (!(error instanceof PlatformError && error.refusal)) throw error;
          await this.refused(session, entry, message, error.refusal);
        }
      } else {
        this.o.logger.warn('outbox: a scorecard to post is not stored; dropped', {
          session: session.id,
        });
      }
      return (
        (await this.o.store.update(
          session.id,
          (s) =>
            s.outbox.some((e) => e.key === key)
              ? { ...s, outbox: s.outbox.filter((e) => e.key !== key) }
              : undefined,
          session,
        )) ?? (await this.o.store.get(session.id))
      );
    } finally {
      if (holder) await this.o.store.releasePost(known.id, key, holder).catch(() => undefined);
    }
  }

  /**
   * A message the round's thread refuses for good, as the platform says (archived, the bot
   * removed): trying again cannot post it, so the round is ended if it runs and its candidates
   * are told, and a scorecard (or the notice that there is none) goes to their direct messages
   * instead; an interviewer line is dropped. A failure to send either is tried again with the entry.
   */
  private async refused(
    session: Session,
    entry: OutboxEntry,
    message: OutboundMessage,
    refusal: PlatformRefusal,
  ): Promise<void> {
    this.o.logger.warn('outbox: the round’s thread refuses posts; not posted there', {
      session: session.id,
      message: entry.key,
      refusal,
    });
    await this.o.threadRefused?.(session, refusal);
    // The scorecard, or the notice that scoring failed, is what the candidate waits for.
    if (message.kind !== 'scorecard' && message.kind !== 'notice') return;
    for (const user of session.candidates) {
      await sendDirect(this.o.platforms, this.o.logger, session, user, present(message), {
        key: `${session.id}-${entry.key}-${user}`,
        redelivery: true,
        since: entry.since,
      });
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

/**
 * Sends `card` to a candidate's direct messages, in place of the round's thread. Where the person
 * cannot be reached either (they take no direct messages, or the platform has none), it is logged
 * and given up: nothing else could reach them. Any other failure is thrown, to be tried again.
 */
export async function sendDirect(
  platforms: Platforms,
  logger: Logger,
  session: Session,
  user: string,
  card: Card,
  delivery: Delivery,
): Promise<void> {
  const platform = platforms.for(session.thread);
  const givenUp = (reason: unknown) =>
    logger.warn('a candidate cannot be reached in direct messages either; given up', {
      session: session.id,
      reason,
    });
  if (!platform.direct) return givenUp('the platform has no direct messages');
  try {
    await platform.direct(session.thread, user, card, undefined, delivery);
  } catch (error) {
    if (!(error instanceof PlatformError && error.refusal)) throw error;
    givenUp(error);
  }
}
