import type { Logger } from '../src/logger.js';

export interface ExitOptions {
  /** How long `stop()` may take before the process exits anyway (default 15 s). */
  readonly boundMs?: number;
  /** Runs before either forced exit (a shard manager kills the shards still running). */
  readonly giveUp?: () => void;
  /** The signals that stop the process (default SIGTERM and SIGINT). */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * Graceful shutdown on SIGTERM/SIGINT: `stop()` gets `boundMs` to finish, then the process exits;
 * a second signal exits at once.
 */
export function exitOnSignals(
  stop: () => Promise<void>,
  logger: Logger,
  { boundMs = 15_000, giveUp = () => {}, signals = ['SIGTERM', 'SIGINT'] }: ExitOptions = {},
): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn('second signal: exiting now', { signal });
      giveUp();
      process.exit(130);
    }
    stopping = true;
    logger.info('shutting down', { signal });
    const timer = setTimeout(() => {
      logger.warn('shutdown took too long: exiting', { boundMs });
      giveUp();
      process.exit(1);
    }, boundMs);
    timer.unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', { error });
        process.exit(1);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
}
