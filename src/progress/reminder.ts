/** A person's practice reminder as stored, the event its occurrences carry, and the zone it names. */

/** A direct message at the person's local time with a drill on their weakest criterion. */
export interface Reminder {
  /** Deterministic per person (no `:`): the id of its repetition too. */
  readonly id: string;
  readonly platform: string;
  readonly user: string;
  /** An address in the person's workspace or server, for `direct`. */
  readonly near: string;
  /** The rule as written (`weekly mon 09:00`). */
  readonly rule: string;
  /** Its five-field cron pattern. */
  readonly pattern: string;
  /** IANA time zone the rule is read in. */
  readonly timeZone: string;
  /**
   * `timeZone` is the person's own: named with `--tz` (Discord's `tz:`) or their platform's
   * (Slack's profile); false when it is UTC only because neither said one. Absent in reminders
   * set before this was kept.
   */
  readonly ownZone?: boolean;
  /** Epoch ms before which occurrences send nothing (`remind snooze`). */
  readonly snoozedUntil?: number;
}

/** The event of a reminder's occurrences (the timer's `sessionId` is the reminder's id). */
export interface ReminderEvent {
  readonly kind: 'reminder';
}

/**
 * The person's own time zone as their reminder gives it, for an async round's night; undefined
 * when the reminder's zone is UTC only because none was named. A reminder set before that was
 * kept counts as naming its zone unless the zone is UTC (which may have been assumed).
 */
export function reminderOwnZone(reminder: Reminder): string | undefined {
  const own = reminder.ownZone ?? reminder.timeZone !== 'UTC';
  return own ? reminder.timeZone : undefined;
}
