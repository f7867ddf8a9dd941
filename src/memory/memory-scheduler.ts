import { nextOccurrences } from '../challenges/schedule-rule.js';
import type { Clock, ClockTimer } from '../clock.js';
import {
  NotYet,
  type Repeat,
  retryDelayMs,
  type Scheduler,
  TIMER_ATTEMPTS,
  type Timer,
  type TimerHandler,
  type TimerRef,
} from '../ports/scheduler.js';

/**
 * Timers in process memory on a `Clock`, for the terminal and unit tests (no Redis). Timers fire
 * one at a time in due order; like BullMQ with jobs removed once done, an id already waiting or
 * running is not scheduled again, and one that ran, failed for good or was cancelled may be, and
 * runs again; a timer whose handler fails is tried again after `retryDelayMs`, up to
 * `TIMER_ATTEMPTS` times. One process serves every platform; there is nothing to sweep.
 */
export class MemoryScheduler implements Scheduler {
  private readonly pending = new Map<string, Timer>();
  /** The timer whose handler is running, between its tries. */
  private current: string | undefined;
  private readonly repeats = new Map<string, Repeat>();
  private handler: TimerHandler | undefined;
  private armed: ClockTimer | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    /** Called when a handler throws (the timer is tried again until its attempts run out). */
    private readonly onError: (error: unknown, timer: Timer) => void = () => {},
  ) {}

  async schedule(timer: Timer): Promise<void> {
    if (this.pending.has(timer.id) || this.current === timer.id) return;
    this.pending.set(timer.id, { ...timer });
    this.arm();
  }

  async cancel(timers: readonly TimerRef[]): Promise<void> {
    for (const { id } of timers) this.pending.delete(id);
    this.arm();
  }

  async repeat(repeat: Repeat): Promise<void> {
    this.repeats.set(repeat.id, repeat);
    await this.scheduleNext(repeat, this.clock.now());
  }

  async unrepeat(id: string): Promise<void> {
    this.repeats.delete(id);
    for (const timer of this.list()) {
      if (timer.sessionId === id && timer.event.kind === 'occurrence')
        this.pending.delete(timer.id);
    }
    this.arm();
  }

  async nextRepeat(id: string): Promise<number | undefined> {
    return this.list().find((t) => t.sessionId === id && isRepeated(t))?.dueAt;
  }

  /** The occurrence of `repeat` after `after` (one at a time, like a job scheduler). */
  private async scheduleNext(repeat: Repeat, after: number): Promise<void> {
    const [at] = nextOccurrences(repeat.pattern, repeat.timeZone, after, 1);
    if (at === undefined) return;
    const { id, event, platform } = repeat;
    await this.schedule({ id: `${id}-at-${at}`, sessionId: id, event, dueAt: at, platform });
  }

  async start(handler: TimerHandler): Promise<void> {
    this.handler = handler;
    this.arm();
  }

  async stop(): Promise<void> {
    this.handler = undefined;
    this.armed?.cancel();
    this.armed = undefined;
    await this.running;
  }

  /** Pending timers, soonest first. */
  list(): Timer[] {
    return [...this.pending.values()].sort((a, b) => a.dueAt - b.dueAt);
  }

  private arm(): void {
    this.armed?.cancel();
    this.armed = undefined;
    const [next] = this.list();
    if (!next || !this.handler) return;
    this.armed = this.clock.setTimeout(
      () => {
        this.running = this.running.then(() => this.runDue());
      },
      Math.max(0, next.dueAt - this.clock.now()),
    );
  }

  private async runDue(): Promise<void> {
    for (;;) {
      const [next] = this.list();
      if (!next || next.dueAt > this.clock.now() || !this.handler) break;
      this.pending.delete(next.id);
      const attempt = next.attempt ?? 0;
      const repeat = attempt === 0 ? this.repeats.get(next.sessionId) : undefined;
      if (repeat && isRepeated(next)) await this.scheduleNext(repeat, next.dueAt);
      this.current = next.id;
      try {
        await this.handler({ ...next, attempt });
      } catch (error) {
        if (error instanceof NotYet) {
          this.pending.set(next.id, { ...next, dueAt: this.clock.now() + error.afterMs });
          continue;
        }
        this.onError(error, next);
        if (attempt + 1 < TIMER_ATTEMPTS) {
          const dueAt = this.clock.now() + retryDelayMs(attempt + 1, error);
          this.pending.set(next.id, { ...next, attempt: attempt + 1, dueAt });
        }
      } finally {
        this.current = undefined;
      }
    }
    this.arm();
  }
}

/** Whether a timer is an occurrence of a repetition (a schedule's or a reminder's). */
function isRepeated(timer: Timer): boolean {
  return timer.event.kind === 'occurrence' || timer.event.kind === 'reminder';
}
