import type { Redis } from 'ioredis';
import type { ReminderStore } from '../src/ports/reminder-store.js';
import type { Reminder } from '../src/progress/reminder.js';
import { reminderKey } from './keys.js';

/** Practice reminders in Redis, one JSON value each, kept until turned off or forgotten. */
export class RedisReminderStore implements ReminderStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'md',
  ) {}

  async get(id: string): Promise<Reminder | undefined> {
    const json = await this.redis.get(reminderKey(this.prefix, id));
    return json === null ? undefined : (JSON.parse(json) as Reminder);
  }

  async save(reminder: Reminder): Promise<void> {
    await this.redis.set(reminderKey(this.prefix, reminder.id), JSON.stringify(reminder));
  }

  async delete(id: string): Promise<boolean> {
    return (await this.redis.del(reminderKey(this.prefix, id))) > 0;
  }
}
