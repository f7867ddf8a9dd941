import type { Logger } from '../src/logger.js';

/**
 * Graceful shutdown on SIGTERM/SIGINT: `stop()` gets `boundMs` to finish, then the process exits;
 * a second signal exits at once. `giveUp` runs before either forced exit (a shard manager kills
 * the shards still running).
 */
export function exitOnSignals(
  stop: () => Promise<void>,
  logger: Logger,
  boundMs = 15_000,
  giveUp: () => void = () => {},
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
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
