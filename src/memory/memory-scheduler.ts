import type { Clock, ClockTimer } from '../clock.js';
import type { Scheduler, Timer, TimerHandler } from '../ports/scheduler.js';

/**
 * Timers in process memory on a `Clock`, for the terminal and unit tests (no Redis). Timers fire
 * one at a time in due order; like BullMQ, an id that was ever scheduled is not scheduled again.
 */
export class MemoryScheduler implements Scheduler {
  private readonly pending = new Map<string, Timer>();
  private readonly seen = new Set<string>();
  private handler: TimerHandler | undefined;
  private armed: ClockTimer | undefined;
  private running: Promise<void> = Promise.resolve();

  constructor(
    private readonly clock: Clock,
    /** Called when a handler throws; the timer is not retried. */
    private readonly onError: (error: unknown, timer: Timer) => void = () => {},
  ) {}

  async schedule(timer: Timer): Promise<void> {
    if (this.seen.has(timer.id)) return;
    this.seen.add(timer.id);
    this.pending.set(timer.id, { ...timer });
    this.arm();
  }

  async cancel(timerIds: readonly string[]): Promise<void> {
    for (const id of timerIds) this.pending.delete(id);
    this.arm();
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
      try {
        await this.handler(next);
      } catch (error) {
        this.onError(error, next);
      }
    }
    this.arm();
  }
}
