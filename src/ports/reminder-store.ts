import type { Reminder } from '../progress/reminder.js';

/** Where practice reminders live: one per person and platform. */
export interface ReminderStore {
  get(id: string): Promise<Reminder | undefined>;
  save(reminder: Reminder): Promise<void>;
  /** Removes it; true when there was one. */
  delete(id: string): Promise<boolean>;
}
