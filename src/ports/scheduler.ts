/**
 * A timer of a round. Its `id` is deterministic (`{sessionId}-{event}`, no `:`), so scheduling
 * the same timer twice is harmless; it carries ids only, and the handler re-reads the session.
 */
export interface Timer {
  readonly id: string;
  readonly sessionId: string;
  /** Event id: `phase-<id>`, a rubric event id, `end`, `probe-<n>`, `nudge-<n>` or `score`. */
  readonly event: string;
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

export function timerId(sessionId: string, event: string): string {
  return `${sessionId}-${event}`;
}
