import { createHash } from 'node:crypto';
import type { Library } from '../../rubric/load.js';
import { nextOccurrences, platformZone } from '../challenges/schedule-rule.js';
import type { Clock } from '../clock.js';
import type { Command, CommandResult } from '../commands/command.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Platforms } from '../platforms.js';
import type { ReminderStore } from '../ports/reminder-store.js';
import type { Repeat, Scheduler, Timer } from '../ports/scheduler.js';
import type { SessionStore } from '../ports/session-store.js';
import type { Surface } from '../presentation/help-card.js';
import {
  reminderCard,
  reminderText,
  runningRoundReminderCard,
} from '../presentation/reminder-cards.js';
import { drillFor } from '../round/drills.js';
import { runningRound } from '../running-round.js';
import { keptRounds, scored } from './kept-round.js';
import { RECENT_ROUNDS, weakestCriterion } from './progress.js';
import type { Reminder } from './reminder.js';

export interface RemindersOptions {
  readonly library: Library;
  readonly store: ReminderStore;
  readonly sessions: SessionStore;
  readonly scheduler: Scheduler;
  readonly platforms: Platforms;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** The id of a person's reminder on a platform (and of its repetition): no `:`, stable. */
export function reminderId(platform: string, user: string): string {
  return `m${createHash('sha1').update(`${platform}:${user}`).digest('hex').slice(0, 20)}`;
}

/**
 * Practice reminders: a direct message at the person's local time, on a rule, suggesting a drill
 * on their weakest criterion. Each is a repetition of the scheduler (a BullMQ job scheduler with a
 * cron pattern and time zone), so it survives restarts and fires once across processes; an
 * occurrence re-reads the reminder, so nothing is sent once it is off, and nothing while snoozed.
 */
export class Reminders {
  constructor(private readonly o: RemindersOptions) {}

  async handle(command: Extract<Command, { kind: 'remind' }>): Promise<CommandResult> {
    const { origin, action } = command;
    const id = reminderId(origin.platform, origin.user);
    if (action.kind === 'off') {
      const had = await this.forget(origin.platform, origin.user);
      return { card: reminderText.off(had) };
    }
    const platform = this.o.platforms.for(origin.channel);
    if (!platform.direct) throw new UserError(reminderText.noDirect());
    if (action.kind === 'snooze') {
      const reminder = await this.o.store.get(id);
      if (!reminder) throw new UserError(reminderText.none(this.o.platforms.surfaceOf(origin)));
      const until = this.o.clock.now() + action.days * 86_400_000;
      await this.o.store.save({ ...reminder, snoozedUntil: until });
      const [next] = nextOccurrences(reminder.pattern, reminder.timeZone, until, 1);
      return { card: reminderText.snoozed(action.days, next, reminder.timeZone) };
    }
    // The person's zone: named, else their platform's; UTC when neither says one.
    const own = action.timeZone ?? (await platformZone(platform, origin));
    const reminder: Reminder = {
      id,
      platform: origin.platform,
      user: origin.user,
      near: origin.channel,
      rule: action.rule.text,
      pattern: action.rule.pattern,
      timeZone: own ?? 'UTC',
      ownZone: own !== undefined,
    };
    await this.o.store.save(reminder);
    await this.o.scheduler.repeat(this.repeatOf(reminder));
    const next = nextOccurrences(reminder.pattern, reminder.timeZone, this.o.clock.now(), 3);
    const surface = this.o.platforms.surfaceOf(origin);
    return { card: reminderText.set(reminder.rule, reminder.timeZone, next, surface) };
  }

  /**
   * An occurrence: the drill for the person's weakest criterion, to their direct messages; while a
   * round of theirs runs (an async one lasts days), that round, since a drill could not start.
   */
  async onTimer(timer: Timer): Promise<void> {
    const reminder = await this.o.store.get(timer.sessionId);
    if (!reminder) {
      // Turned off or forgotten while its occurrence was on its way.
      await this.o.scheduler.unrepeat(timer.sessionId, timer.platform ?? '');
      return;
    }
    if (reminder.snoozedUntil !== undefined && timer.dueAt < reminder.snoozedUntil) return;
    const surface = this.o.platforms.surfaceOf({
      platform: reminder.platform,
      user: reminder.user,
      channel: reminder.near,
    });
    const running = await this.o.sessions.findActive(reminder.platform, reminder.user);
    const { card, drill } = running
      ? {
          card: runningRoundReminderCard(await runningRound(this.o, running), surface),
          drill: undefined,
        }
      : await this.drillReminder(reminder, surface);
    // Read again just before sending: `remind off` a moment ago means nothing is sent.
    if (!(await this.o.store.get(reminder.id))) return;
    const platform = this.o.platforms.for(reminder.near);
    // One key per occurrence, looked up first: a retried job after a send that timed out but
    // reached the person shows the reminder once.
    await platform.direct?.(reminder.near, reminder.user, card, [], {
      key: `${reminder.id}-${timer.dueAt}`,
      redelivery: true,
      since: timer.dueAt,
    });
    this.o.logger.info('reminder sent', {
      platform: reminder.platform,
      ...(drill ? { drill: drill.kind } : { running: true }),
    });
  }

  /** The reminder of a drill on the person's weakest criterion over their recent scored rounds. */
  private async drillReminder(reminder: Reminder, surface: Surface) {
    const rounds = await keptRounds(
      { store: this.o.sessions, library: this.o.library },
      reminder.platform,
      reminder.user,
      RECENT_ROUNDS,
    );
    const weakest = weakestCriterion(
      this.o.library.rubric,
      scored(rounds).map((r) => r.scorecard),
    );
    const drill = drillFor(weakest?.criterion.id);
    return { card: reminderCard(drill, weakest, surface), drill };
  }

  /** Turns the person's reminder off; true when there was one. */
  async forget(platform: string, user: string): Promise<boolean> {
    const id = reminderId(platform, user);
    const had = await this.o.store.delete(id);
    await this.o.scheduler.unrepeat(id, platform);
    return had;
  }

  private repeatOf(reminder: Reminder): Repeat {
    return {
      id: reminder.id,
      pattern: reminder.pattern,
      timeZone: reminder.timeZone,
      event: { kind: 'reminder' },
      platform: reminder.platform,
    };
  }
}
