import { type EventLoopUtilization, monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { round } from './stats.js';

/** How busy this process was over a window, overall and in its busiest second. */
export interface ProcessLoad {
  /** Share of the window the event loop was running code (0–1). */
  readonly eventLoopUtilization: number | null;
  /** The same in the busiest 1-second slice: near 1 means the main thread was the limit. */
  readonly peakEventLoopUtilization: number | null;
  /** Time the event loop was running code over the window (the main thread's busy time), ms. */
  readonly busyMs: number | null;
  /** CPU time (user + system, all threads) ÷ wall time, percent. */
  readonly cpuPercent: number | null;
  readonly eventLoopDelayMs: { p50: number | null; p99: number | null; max: number | null };
}

/** Samples event-loop utilization every second and event-loop delay throughout, until `stop()`. */
export function sampleLoad() {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const first = performance.eventLoopUtilization();
  let last: EventLoopUtilization = first;
  let peak = 0;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    peak = Math.max(peak, performance.eventLoopUtilization(now, last).utilization);
    last = now;
  }, 1000);
  timer.unref();
  return {
    stop(): ProcessLoad {
      clearInterval(timer);
      delay.disable();
      const used = process.cpuUsage(cpu);
      const wall = performance.now() - started;
      const whole = performance.eventLoopUtilization(first);
      return {
        eventLoopUtilization: round(whole.utilization, 2),
        busyMs: round(whole.active),
        peakEventLoopUtilization: round(peak, 2),
        cpuPercent: round(((used.user + used.system) / 1000 / wall) * 100),
        eventLoopDelayMs: {
          p50: round(delay.percentile(50) / 1e6),
          p99: round(delay.percentile(99) / 1e6),
          max: round(delay.max / 1e6),
        },
      };
    },
  };
}
