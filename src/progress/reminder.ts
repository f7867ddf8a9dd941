/** A person's practice reminder, as stored, and the event its occurrences carry. */

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
  /** Epoch ms before which occurrences send nothing (`remind snooze`). */
  readonly snoozedUntil?: number;
}

/** The event of a reminder's occurrences (the timer's `sessionId` is the reminder's id). */
export interface ReminderEvent {
  readonly kind: 'reminder';
}
