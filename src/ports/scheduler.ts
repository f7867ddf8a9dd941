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
}

export type TimerHandler = (timer: Timer) => Promise<void>;

/** Durable timers (BullMQ with Redis; in memory for the terminal). */
export interface Scheduler {
  /** Schedules `timer`; a timer whose id is already scheduled is left as it is. */
  schedule(timer: Timer): Promise<void>;
  /** Drops the pending timers with these ids; ids that are not pending are ignored. */
  cancel(timerIds: readonly string[]): Promise<void>;
  /** Starts delivering due timers to `handler`. */
  start(handler: TimerHandler): Promise<void>;
  /** Stops delivering; pending timers stay scheduled (durable implementations keep them). */
  stop(): Promise<void>;
}

/** The id of the timer of `event` in round `sessionId`. */
export function timerId(sessionId: string, event: RoundEvent | string): string {
  return `${sessionId}-${typeof event === 'string' ? event : eventKey(event)}`;
}

/** A timer of round `sessionId` for `event`, due at `dueAt`. */
export function timerFor(sessionId: string, event: RoundEvent, dueAt: number): Timer {
  return { id: timerId(sessionId, event), sessionId, event, dueAt };
}
