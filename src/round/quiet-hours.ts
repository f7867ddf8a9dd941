import type { QuietHours } from '../../rubric/schema.js';
import { nextOccurrences } from '../challenges/schedule-rule.js';

/**
 * When a message due at `due` (epoch ms) may reach a person in the IANA zone `timeZone` without
 * coming in their night: `due` itself, or, when it falls in the quiet hours, the end of them. Read
 * as a schedule's times are (the same cron library), so a night the clocks change in ends at the
 * local time the rubric gives.
 */
export function afterQuietHours(due: number, timeZone: string, hours: QuietHours): number {
  const [morning] = nextOccurrences(daily(hours.until), timeZone, due, 1);
  const [evening] = nextOccurrences(daily(hours.from), timeZone, due, 1);
  // In the night the morning comes before the next evening does.
  return morning !== undefined && evening !== undefined && morning < evening ? morning : due;
}

/** The cron pattern of every day at `time` (`HH:MM`). */
function daily(time: string): string {
  const [hour, minute] = time.split(':');
  return `${Number(minute)} ${Number(hour)} * * *`;
}
