import { eventKey, type RoundEvent } from '../round/events.js';

/**
 * A timer of a round. Its `id` is deterministic (`{sessionId}-{event key}`, no `:`), so
 * scheduling the same timer twice is harmless; it carries ids and the typed event only, and the
 * handler re-reads the session.
 */
export interface Timer {
  readonly id: string;
  readonly sessionId: string;
  readonly event: RoundEvent;
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
   * Starts delivering due timers to `handler`: those without a platform, and those of the
   * platforms this process serves. Durable implementations also run `sweep` every little while,
   * in one process at a time.
   */
  start(handler: TimerHandler, sweep?: Sweep): Promise<void>;
  /** Stops delivering; pending timers stay scheduled (durable implementations keep them). */
  stop(): Promise<void>;
}

/** The id of the timer of `event` in round `sessionId`. */
export function timerId(sessionId: string, event: RoundEvent | string): string {
  return `${sessionId}-${typeof event === 'string' ? event : eventKey(event)}`;
}

/** A timer of round `sessionId` for `event`, due at `dueAt` (on `platform`, for a post). */
export function timerFor(
  sessionId: string,
  event: RoundEvent,
  dueAt: number,
  platform?: string,
): Timer {
  const timer = { id: timerId(sessionId, event), sessionId, event, dueAt };
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

/** Tries of a timer before it is given up (the sweeper starts it again after that). */
export const TIMER_ATTEMPTS = 12;
