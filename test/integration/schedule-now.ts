import type { Scheduler } from '../../src/ports/scheduler.js';

/**
 * Makes the challenge schedule `id` fall due now and every two seconds after (people write
 * minutes), until `unrepeat`; while its challenge is open an occurrence opens nothing.
 */
export function dueEveryTwoSeconds(
  scheduler: Pick<Scheduler, 'repeat'>,
  id: string,
  platform: string,
): Promise<void> {
  return scheduler.repeat({
    id,
    pattern: '*/2 * * * * *',
    timeZone: 'UTC',
    event: { kind: 'occurrence' },
    platform,
  });
}
