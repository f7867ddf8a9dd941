/**
 * The rules of challenge schedules: a five-field cron rule (`0 10 * * MON`) or a friendly form
 * (`weekly mon 10:00`, `daily 09:30`, `weekdays 09:00`), read in an IANA time zone. BullMQ's job
 * schedulers use the same cron library, so the occurrences shown here are those that fire.
 */
import { CronExpressionParser } from 'cron-parser';
import type { Origin } from '../commands/command.js';
import { UserError } from '../errors.js';
import type { ChatPlatform } from '../ports/chat-platform.js';
import { optionUsage, type Surface, scheduleRuleHelp } from '../presentation/help-card.js';

/** A schedule's rule, checked: the cron pattern it runs on and the words it was given in. */
export interface ScheduleRule {
  /** Five-field cron pattern (minute hour day-of-month month day-of-week). */
  readonly pattern: string;
  /** The rule as the person wrote it, for lists. */
  readonly text: string;
}

const DAYS: Readonly<Record<string, string>> = {
  mon: 'MON',
  tue: 'TUE',
  wed: 'WED',
  thu: 'THU',
  fri: 'FRI',
  sat: 'SAT',
  sun: 'SUN',
};

/** The words a friendly form starts with. */
export const FRIENDLY_WORDS = new Set(['weekly', 'daily', 'weekdays']);

/**
 * Reads a rule; a bad one is a `UserError` that says what is wrong and, with `help`, how to write
 * it for the command it was given to (default: a `schedule`'s rule as text after `/mockdesign`).
 */
export function parseRule(given: string, help = scheduleRuleHelp('chat')): ScheduleRule {
  // A rule in quotes (as the text form writes it, typed into a slash command's option) is the
  // rule inside them.
  const text = given
    .trim()
    .replace(/^["'“‘](.*)["'”’]$/s, '$1')
    .trim()
    .replace(/\s+/g, ' ');
  const words = text.toLowerCase().split(' ');
  if (FRIENDLY_WORDS.has(words[0] ?? '')) return { pattern: friendly(words, text, help), text };
  const fields = text.split(' ');
  if (text === '' || fields.length !== 5) {
    throw new UserError(
      `"${text}" is not a rule: a cron rule has five fields, this has ${text === '' ? 0 : fields.length}. ${help}`,
    );
  }
  try {
    CronExpressionParser.parse(text, { tz: 'UTC', strict: false });
  } catch (error) {
    throw new UserError(`"${text}" is not a cron rule (${(error as Error).message}). ${help}`);
  }
  return { pattern: text, text };
}

function friendly(words: readonly string[], text: string, help: string): string {
  const [kind, ...rest] = words;
  const day = kind === 'weekly' ? rest.shift() : undefined;
  const time = rest.shift();
  if (rest.length > 0 || time === undefined || (kind === 'weekly' && day === undefined)) {
    throw new UserError(`"${text}" is not a rule. ${help}`);
  }
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) {
    throw new UserError(`"${time}" is not a time of day: write it as HH:MM, e.g. \`09:30\`.`);
  }
  const at = `${Number(match[2])} ${Number(match[1])} * *`;
  if (kind === 'daily') return `${at} *`;
  if (kind === 'weekdays') return `${at} MON-FRI`;
  const dow = DAYS[(day ?? '').slice(0, 3)];
  if (!dow || !Object.keys(DAYS).some((d) => (day ?? '').startsWith(d))) {
    throw new UserError(
      `"${day}" is not a day of the week: write mon, tue, wed, thu, fri, sat or sun.`,
    );
  }
  return `${at} ${dow}`;
}

/** The canonical name of an IANA time zone, or `undefined` when this runtime does not know it. */
export function knownTimeZone(zone: string | undefined): string | undefined {
  const name = zone?.trim();
  if (!name) return undefined;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/**
 * The time zone a person's rule is read in: the one they gave, else theirs as the platform knows
 * it (Slack's profile), else UTC.
 */
export async function zoneFor(
  given: string | undefined,
  platform: ChatPlatform,
  origin: Origin,
): Promise<string> {
  return given || ((await platformZone(platform, origin)) ?? 'UTC');
}

/** The person's time zone as their platform knows it (Slack's profile); undefined when it says none. */
export async function platformZone(
  platform: ChatPlatform,
  origin: Origin,
): Promise<string | undefined> {
  const person = await platform.person?.(origin.channel, origin.user);
  return knownTimeZone(person?.timeZone);
}

/**
 * Checks an IANA time zone name (`Europe/Berlin`, `UTC`); a bad one is a `UserError` naming the
 * option as typed on `surface` (`--tz`, or Discord's `tz:`).
 */
export function checkTimeZone(zone: string, surface: Surface = 'chat'): string {
  const known = knownTimeZone(zone);
  if (known) return known;
  const tz = (value: string) => optionUsage(surface, 'tz', value);
  throw new UserError(
    `Unknown time zone "${zone.trim()}". Write an Area/City name such as ${tz('Europe/Berlin')} or ${tz('America/New_York')}, or ${tz('UTC')}.`,
  );
}

/** The next `n` occurrences of `pattern` in `timeZone` after `after` (epoch ms), as epoch ms. */
export function nextOccurrences(
  pattern: string,
  timeZone: string,
  after: number,
  n: number,
): number[] {
  const expression = CronExpressionParser.parse(pattern, { tz: timeZone, currentDate: after });
  return expression.take(n).map((date) => date.getTime());
}

/** Occurrences `shortestGap` looks at: enough to see a weekday rule's gaps as well as its weekend. */
const GAP_SAMPLE = 15;

/**
 * The shortest time between two occurrences of `pattern` in `timeZone` after `after` (epoch ms),
 * in ms: how long a challenge may stay open before the next occurrence finds it still open.
 */
export function shortestGap(pattern: string, timeZone: string, after: number): number {
  const times = nextOccurrences(pattern, timeZone, after, GAP_SAMPLE);
  let shortest = Number.POSITIVE_INFINITY;
  for (let i = 1; i < times.length; i++) {
    shortest = Math.min(shortest, (times[i] as number) - (times[i - 1] as number));
  }
  return shortest;
}

/** `Mon 7 Dec 2026, 10:00 (Europe/Berlin)`: a time as people in `timeZone` read it. */
export function localTime(ms: number, timeZone: string): string {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(ms);
  return `${text} (${timeZone})`;
}
