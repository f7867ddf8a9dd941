import type { webApi } from '@slack/bolt';
import type { Person } from '../../src/ports/chat-platform.js';
import { decodeSlackAddress } from './address.js';
import { slackCall } from './errors.js';

/** How long what Slack said about a person is reused before `users.info` is asked again. */
export const PERSON_TTL_MS = 5 * 60_000;

/** People remembered at most; the oldest is forgotten first beyond this. */
const MAX_REMEMBERED = 10_000;

/**
 * What Slack says about people (`users.info`, scope `users:read`): a workspace admin, owner or
 * primary owner manages it, and the profile's `tz` is their time zone. Each answer is reused for
 * {@link PERSON_TTL_MS}, so a burst of commands asks Slack once per person.
 */
export class SlackPeople {
  private readonly remembered = new Map<string, { person: Person; until: number }>();

  /** `now` is the clock the cache expires by (default `Date.now`). */
  constructor(
    private readonly client: webApi.WebClient,
    private readonly now: () => number = Date.now,
  ) {}

  /** What Slack says about `user` of the workspace of `channel`. */
  async person(channel: string, user: string): Promise<Person> {
    const key = `${decodeSlackAddress(channel).team}:${user}`;
    const known = this.remembered.get(key);
    if (known && known.until > this.now()) return known.person;
    const result = await slackCall('users.info', () => this.client.users.info({ user }));
    const profile = result.user;
    const person: Person = {
      manager: Boolean(profile?.is_admin || profile?.is_owner || profile?.is_primary_owner),
      ...(profile?.tz ? { timeZone: profile.tz } : {}),
    };
    this.remembered.delete(key);
    this.remembered.set(key, { person, until: this.now() + PERSON_TTL_MS });
    if (this.remembered.size > MAX_REMEMBERED) {
      const oldest = this.remembered.keys().next().value;
      if (oldest !== undefined) this.remembered.delete(oldest);
    }
    return person;
  }
}
