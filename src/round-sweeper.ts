import type { Clock } from './clock.js';
import type { Logger } from './logger.js';
import { postTimer } from './outbox-delivery.js';
import { type Scheduler, timerFor } from './ports/scheduler.js';
import type { SessionStore } from './ports/session-store.js';
import { finish } from './round/transitions.js';
import type { RoundSteps } from './round-steps.js';
import { held, wallTime } from './session.js';

/**
 * A round whose attention time passed this long ago is looked at by the sweeper: longer than a
 * post may take (the platforms' clients give up within 10 s), so it never races a post in flight.
 */
export const SWEEP_AFTER_MS = 15_000;

/** How long the sweeper leaves a round it swept before looking at it again. */
const SWEEP_RETRY_MS = 60_000;

/** Rounds the sweeper looks at in one go. */
const SWEEP_BATCH = 200;

/**
 * Finds rounds left behind by a process that died, or a timer or post that was lost, and starts
 * them again: their end, their scoring, their posts.
 */
export class RoundSweeper {
  constructor(
    private readonly o: {
      readonly store: SessionStore;
      readonly scheduler: Scheduler;
      readonly clock: Clock;
      readonly logger: Logger;
      /** Ends a round past its end, and posts what that decides. */
      readonly steps: RoundSteps;
    },
  ) {}

  /**
   * Starts again what was left behind: a round still running well past its end is ended (its
   * `end` timer was lost), a round stuck in scoring is scored, and every decided message not yet
   * posted that no timer job holds gets its post timer back. Timer ids are deterministic, so
   * what is still pending is left as it is. Each round swept is looked at again no sooner than
   * `SWEEP_RETRY_MS` later, and one that fails is logged and passed over, so rounds that cannot be
   * finished (a platform that keeps refusing, a prompt gone from the library) never hold up the
   * rest. Runs every little while in one process (the scheduler's sweep).
   */
  async sweep(): Promise<void> {
    const now = this.o.clock.now();
    for (const id of await this.o.store.due(now - SWEEP_AFTER_MS, SWEEP_BATCH)) {
      try {
        await this.sweepRound(id, now);
      } catch (error) {
        this.o.logger.error('sweep: a round could not be swept; tried again later', {
          session: id,
          error,
        });
      }
      await this.o.store.reindex(id, now + SWEEP_RETRY_MS);
    }
  }

  private async sweepRound(id: string, now: number): Promise<void> {
    let after = await this.o.store.get(id);
    // A running round is here for its end, or for a message its platform has not taken yet.
    if (after?.status === 'active' && wallTime(after, after.minutes * 60) <= now - SWEEP_AFTER_MS) {
      const ctx = this.o.steps.context(after);
      // Only the end: the cues it missed are long out of date.
      await this.o.steps.transition(id, (s) => finish(ctx, s, now, 'time'), after);
      this.o.logger.warn('sweep: ended a round past its end', { session: id });
      after = await this.o.store.get(id);
    } else if (after?.status === 'scoring') {
      await this.o.scheduler.schedule(timerFor(id, { kind: 'score' }, now));
    }
    for (const entry of after?.outbox ?? []) {
      // One a timer job still holds is that job's to post (BullMQ runs it again if it stalls).
      if (after && !held(entry, now)) {
        await this.o.scheduler.schedule(postTimer(after, [entry.key], now, true));
      }
    }
  }
}
