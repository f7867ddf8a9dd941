import type { Library } from '../rubric/load.js';
import type { Prompt } from '../rubric/schema.js';
import type { Challenge } from './challenges/challenge.js';
import { platformZone } from './challenges/schedule-rule.js';
import type { Clock } from './clock.js';
import type { Origin } from './commands/command.js';
import { UserError } from './errors.js';
import type { Logger } from './logger.js';
import type { OutboundMessage } from './messages.js';
import type { Platforms } from './platforms.js';
import type { ReminderStore } from './ports/reminder-store.js';
import type { Scheduler } from './ports/scheduler.js';
import type { SessionStore } from './ports/session-store.js';
import type { Card } from './presentation/card.js';
import { present } from './presentation/present.js';
import { refusals } from './presentation/round-replies.js';
import { reminderOwnZone } from './progress/reminder.js';
import { reminderId } from './progress/reminders.js';
import type { Drill } from './round/drills.js';
import { plannedPhases } from './round/timeline.js';
import { initialTimers } from './round/transitions.js';
import type { RoundLimits } from './rounds.js';
import { runningRound } from './running-round.js';
import { newSession, type Session } from './session.js';

/** How long a start holds the person's active-round slot before its round is stored. */
const START_CLAIM_MS = 60_000;

/** Where a round's first message goes: a new thread, or a private conversation. */
export type Place = (
  card: Card,
) => Promise<{ thread: string; messageId: string; conversation?: string }>;

/** What a round is opened with. */
export interface RoundSpec {
  readonly origin: Origin;
  readonly prompt: Prompt;
  readonly reason?: string;
  readonly mode: 'live' | 'async';
  readonly minutes: number;
  readonly id: string;
  readonly timeScale: number;
  readonly challenge?: Challenge;
  readonly drill?: Drill;
  /** An async round's time zone as the person gave it (`--tz`); else theirs, where known. */
  readonly timeZone?: string;
}

/**
 * Opens rounds of every kind (live, async, drills, challenge attempts): one active round per
 * person, claimed before anything is posted; the prompt card posted where the caller places it;
 * the timers scheduled; the round stored.
 */
export class RoundOpener {
  constructor(
    private readonly o: {
      readonly library: Library;
      readonly store: SessionStore;
      readonly scheduler: Scheduler;
      readonly clock: Clock;
      readonly logger: Logger;
      readonly limits?: RoundLimits;
      /** For a link to the thread of a round already running. */
      readonly platforms: Platforms;
      /** Tells the platform where the round's clock stands (the terminal's prompt). */
      readonly showClock: (session: Session) => void;
      /**
       * Practice reminders, whose time zone an async round falls back on; none when undefined
       * (the terminal).
       */
      readonly reminders?: ReminderStore;
    },
  ) {}

  /**
   * Runs `work` (starting round `id`) holding the person's one active-round slot, claimed first
   * so two starts that race cannot both run; the slot is given back when the start fails.
   */
  private async claimed<T>(origin: Origin, id: string, work: () => Promise<T>): Promise<T> {
    await this.checkDailyLimit(origin);
    const claim = () => this.o.store.claimActive(origin.platform, origin.user, id, START_CLAIM_MS);
    if (!(await claim())) {
      const running = await this.o.store.findActive(origin.platform, origin.user);
      // No round running after all: the one holding the slot ended since the claim (the slot is
      // free now), or another start of theirs holds it while it posts its card (it still is).
      if (running || !(await claim())) throw new UserError(await this.refusal(origin, running));
    }
    try {
      return await work();
    } catch (error) {
      await this.o.store.releaseActive(origin.platform, origin.user, id).catch(() => {});
      throw error;
    }
  }

  /**
   * Why a start is refused while the person has a round running: which round, its time left,
   * and where it is (an async round runs for days, so this may come long after it started).
   */
  private async refusal(origin: Origin, session: Session | undefined): Promise<string> {
    const now = this.o.clock.now();
    if (!session) return refusals.alreadyRunning(undefined, false, now);
    const here = origin.thread === session.thread;
    return refusals.alreadyRunning(await runningRound(this.o, session), here, now);
  }

  /** Refuses a start past the person's rounds for the day (`maxRoundsPerDay`). */
  private async checkDailyLimit(origin: Origin): Promise<void> {
    const limit = this.o.limits?.roundsPerDay;
    if (limit === undefined) return;
    const since = this.o.clock.now() - 24 * 3600 * 1000;
    const recent = await this.o.store.history(origin.platform, origin.user, limit);
    if (recent.filter((s) => s.startedAt >= since).length >= limit) {
      throw new UserError(refusals.roundsPerDay(limit));
    }
  }

  /**
   * Opens round `spec.id` holding the person's active-round slot: posts the prompt card where
   * `place` puts it, schedules the round's timers and stores it. The timers come before the round
   * is stored: one that fired for a round never stored would do nothing.
   */
  open(spec: RoundSpec, place: Place): Promise<{ session: Session; messageId: string }> {
    return this.claimed(spec.origin, spec.id, () => this.post(spec, place));
  }

  private async post(
    spec: RoundSpec,
    place: Place,
  ): Promise<{ session: Session; messageId: string }> {
    const { origin, prompt, reason, mode, minutes, id, challenge, drill } = spec;
    const { rubric } = this.o.library;
    // An async round's card gives each phase's deadline as a date, counted from now: the round
    // starts once its card is posted, so a deadline shown is never later than the real one.
    const now = this.o.clock.now();
    const phases = plannedPhases(rubric, minutes).map((p) =>
      mode === 'async'
        ? { ...p, endsAt: now + (p.startMinute + p.minutes) * 60_000 * spec.timeScale }
        : p,
    );
    // Asked first: the card names the round's night, and its first nudge is scheduled with it.
    const timeZone = mode === 'async' ? await this.timeZone(origin, spec.timeZone) : undefined;
    const { quietHours } = rubric.nudge;
    const night =
      mode === 'async' && quietHours.from !== quietHours.until
        ? {
            ...quietHours,
            commands: this.o.platforms.surfaceOf(origin),
            ...(timeZone ? { timeZone } : {}),
          }
        : undefined;
    const card: OutboundMessage = {
      kind: 'prompt',
      prompt,
      mode,
      minutes,
      candidates: [origin.user],
      phases,
      surface: origin.platform === 'terminal' ? 'terminal' : 'chat',
      ...(reason ? { reason } : {}),
      ...(drill ? { drill } : {}),
      ...(challenge ? { challengeDeadline: challenge.deadline } : {}),
      ...(night ? { night } : {}),
    };
    const { thread, messageId, conversation } = await place(present(card));
    const session = newSession({
      id,
      platform: origin.platform,
      channel: origin.channel,
      thread,
      mode,
      promptId: prompt.id,
      minutes,
      timeScale: spec.timeScale,
      candidates: [origin.user],
      startedAt: this.o.clock.now(),
      firstPhase: rubric.phases[0]?.id ?? '',
      opening: messageId,
      ...(challenge ? { challengeId: challenge.id } : {}),
      ...(conversation ? { conversation } : {}),
      ...(drill ? { drill: drill.kind } : {}),
      ...(timeZone ? { timeZone } : {}),
    });
    await Promise.all(
      initialTimers({ rubric, prompt }, session).map((t) => this.o.scheduler.schedule(t)),
    );
    await this.o.store.create(session);
    this.o.showClock(session);
    this.o.logger.info('round started', {
      session: session.id,
      prompt: prompt.id,
      minutes,
      mode,
      ...(challenge ? { challenge: challenge.id } : {}),
    });
    return { session, messageId };
  }

  /**
   * The time zone an async round waits out the night in: the one the person gave (`--tz`), else
   * theirs as their platform knows it (Slack's profile), else the one they named for their
   * practice reminder; undefined when none says, and then the nudges come at any hour.
   */
  private async timeZone(origin: Origin, given: string | undefined): Promise<string | undefined> {
    if (given) return given;
    const fromPlatform = () => platformZone(this.o.platforms.for(origin.channel), origin);
    const fromReminder = async () => {
      const reminder = await this.o.reminders?.get(reminderId(origin.platform, origin.user));
      return reminder && reminderOwnZone(reminder);
    };
    return (
      (await this.zoneOrNone('platform', origin, fromPlatform)) ??
      (await this.zoneOrNone('reminder', origin, fromReminder))
    );
  }

  /**
   * A zone `read` from `where`; undefined when it says none, or cannot be read right now (a time
   * zone is never worth failing a start for).
   */
  private async zoneOrNone(
    where: 'platform' | 'reminder',
    origin: Origin,
    read: () => Promise<string | undefined>,
  ): Promise<string | undefined> {
    try {
      return await read();
    } catch (error) {
      this.o.logger.warn(`time zone not read from the ${where}`, {
        platform: origin.platform,
        error,
      });
      return undefined;
    }
  }
}
