import {
  type ChallengeEvent,
  challengeEventKey,
  isChallengeEvent,
} from '../challenges/challenge-events.js';
import { MockdesignError } from '../errors.js';
import type { ReminderEvent } from '../progress/reminder.js';
import { eventKey, type RoundEvent, roundMs } from '../round/events.js';

/**
 * What a timer is for: an event of a round, of a team challenge or its schedule, or a practice
 * reminder's occurrence.
 */
export type TimerEvent = RoundEvent | ChallengeEvent | ReminderEvent;

/** The event's key within what it belongs to (unique there), used in timer ids. */
export function timerKey(event: TimerEvent): string {
  if (event.kind === 'reminder') return 'reminder';
  if (isChallengeEvent(event)) return challengeEventKey(event);
  // A probe's timer is told apart by when it falls due, a nudge's by the move it waits from, in
  // whole milliseconds of the round.
  if ((event.kind === 'probe' || event.kind === 'nudge') && event.at !== undefined) {
    return `${eventKey(event)}-at${roundMs(event.at)}`;
  }
  return eventKey(event);
}

/**
 * A timer of a round (or of a team challenge). Its `id` is deterministic (`{sessionId}-{event
 * key}`, no `:`), so scheduling the same timer twice is harmless; it carries ids and the typed
 * event only, and the handler re-reads the session. A schedule's occurrences have ids of their own.
 */
export interface Timer {
  readonly id: string;
  /** The round it belongs to; for a challenge's events the challenge, for occurrences the schedule. */
  readonly sessionId: string;
  readonly event: TimerEvent;
  /** Epoch milliseconds at which it falls due. */
  readonly dueAt: number;
  /**
   * Runs only in a process that serves this platform (posts); any process runs a timer without
   * one (interviewer events and scoring change state only).
   */
  readonly platform?: string;
  /** Earlier runs of this timer that failed (0 on the first run); set when it is handed over. */
  readonly attempt?: number;
}

export type TimerHandler = (timer: Timer) => Promise<void>;

/** A repeating timer: a cron rule read in a time zone (a challenge schedule's occurrences). */
export interface Repeat {
  /** Stable id of the repetition (the schedule's id). */
  readonly id: string;
  /** Five-field cron pattern. */
  readonly pattern: string;
  /** IANA time zone the pattern is read in. */
  readonly timeZone: string;
  /** Each occurrence runs this (its `sessionId` is the repetition's id), on `platform` only. */
  readonly event: ChallengeEvent | ReminderEvent;
  readonly platform: string;
}

/** A timer as far as cancelling it goes: its id, and its event (which says where it waits). */
export type TimerRef = Pick<Timer, 'id' | 'event'>;

/** Looks for work left behind (a lost job, a crash between two steps) and starts it again. */
export type Sweep = () => Promise<void>;

/** Durable timers (BullMQ with Redis; in memory for the terminal). */
export interface Scheduler {
  /** Schedules `timer`; a timer whose id is already scheduled is left as it is. */
  schedule(timer: Timer): Promise<void>;
  /** Drops these timers where they are still pending; those that are not are ignored. */
  cancel(timers: readonly TimerRef[]): Promise<void>;
  /**
   * Makes `repeat` fire at each occurrence of its rule, once across every process, until
   * `unrepeat`; setting it again replaces it. Each occurrence reaches the handler as a timer
   * whose `dueAt` is the occurrence.
   */
  repeat(repeat: Repeat): Promise<void>;
  /** Stops the repetition `id` (on `platform`); nothing when there is none. */
  unrepeat(id: string, platform: string): Promise<void>;
  /** When the repetition `id` fires next (epoch ms), if it is set; for tests and diagnostics. */
  nextRepeat(id: string, platform: string): Promise<number | undefined>;
  /**
   * Starts delivering due timers to `handler`: those without a platform, and those of the
   * platforms this process serves. Durable implementations also run `sweep` every little while,
   * in one process at a time.
   */
  start(handler: TimerHandler, sweep?: Sweep): Promise<void>;
  /** Stops delivering; pending timers stay scheduled (durable implementations keep them). */
  stop(): Promise<void>;
}

/** The id of the timer of `event` in round `sessionId`. */
export function timerId(sessionId: string, event: TimerEvent | string): string {
  return `${sessionId}-${typeof event === 'string' ? event : timerKey(event)}`;
}

/** The timer of `event` in round `sessionId`, as far as cancelling it goes. */
export function timerRef(sessionId: string, event: TimerEvent): TimerRef {
  return { id: timerId(sessionId, event), event };
}

/** A timer of round `sessionId` for `event`, due at `dueAt` (on `platform`, for a post). */
export function timerFor(
  sessionId: string,
  event: TimerEvent,
  dueAt: number,
  platform?: string,
): Timer {
  const timer = { ...timerRef(sessionId, event), sessionId, dueAt };
  return platform === undefined ? timer : { ...timer, platform };
}

/**
 * How long to wait before the next try of a failed timer: what the platform asked for (a rate
 * limit's Retry-After), else doubling from one second, at most a minute.
 */
export function retryDelayMs(attemptsMade: number, error: unknown): number {
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs;
  if (typeof asked === 'number' && asked > 0) return Math.min(asked, 5 * 60_000);
  return Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 60_000);
}

/**
 * Thrown by a timer's handler that cannot do its work yet (a post waiting for another message of
 * its round): the timer runs again after `afterMs`, and the wait is no failed try, so it neither
 * uses up the timer's tries nor lengthens its next backoff.
 */
export class NotYet extends MockdesignError {
  constructor(
    message: string,
    readonly afterMs: number,
  ) {
    super('not_yet', message);
  }
}

/** Tries of a timer before it is given up (the sweeper starts it again after that). */
export const TIMER_ATTEMPTS = 12;
