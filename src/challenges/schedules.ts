import { randomBytes } from 'node:crypto';
import type { Command, CommandResult, Origin } from '../commands/command.js';
import { PlatformError, type PlatformRefusal, UserError } from '../errors.js';
import type { ChallengeStore } from '../ports/challenge-store.js';
import {
  scheduleCreatedCard,
  schedulesCard,
  scheduleText,
} from '../presentation/challenge-cards.js';
import { deadlineOf, type Schedule } from './challenge.js';
import type { ChallengeSpec, ChallengesOptions, Opened } from './challenges.js';
import { nextOccurrences, shortestGap, zoneFor } from './schedule-rule.js';

/**
 * A channel's challenge schedules: cron rules in a time zone, each a repetition of the scheduler
 * (a BullMQ job scheduler), whose occurrences open the channel's challenge. Managed by workspace
 * or server admins, `MOCKDESIGN_ADMINS` and each schedule's maker.
 */
export class Schedules {
  constructor(
    private readonly o: Pick<
      ChallengesOptions,
      'platforms' | 'scheduler' | 'clock' | 'logger' | 'admins' | 'choosePrompt' | 'timeScale'
    > & {
      readonly store: ChallengeStore;
      /** Opens the channel's challenge (carrying on with the same id after a retry). */
      readonly openChallenge: (spec: ChallengeSpec) => Promise<Opened>;
    },
  ) {}

  /** `schedule RULE`: a repeating challenge in the channel, for those who may manage it. */
  async add(command: Extract<Command, { kind: 'schedule' }>): Promise<CommandResult> {
    const { origin } = command;
    await this.mayManage(origin, undefined);
    if (command.promptId) await this.o.choosePrompt(command.promptId, origin);
    const platform = this.o.platforms.for(origin.channel);
    const schedule: Schedule = {
      id: `s${randomBytes(3).toString('hex')}`,
      platform: origin.platform,
      channel: origin.channel,
      createdBy: origin.user,
      rule: command.rule.text,
      pattern: command.rule.pattern,
      timeZone: await zoneFor(command.timeZone, platform, origin),
      hours: command.hours,
      ...(command.promptId ? { promptId: command.promptId } : {}),
      paused: false,
      createdAt: this.o.clock.now(),
    };
    await this.o.store.saveSchedule(schedule);
    await this.o.scheduler.repeat(this.repeatOf(schedule));
    this.o.logger.info('challenge schedule made', {
      schedule: schedule.id,
      rule: schedule.pattern,
    });
    const now = this.o.clock.now();
    const next = nextOccurrences(schedule.pattern, schedule.timeZone, now, 3);
    // A challenge still open when the next occurrence comes makes that occurrence open nothing.
    const gap = shortestGap(schedule.pattern, schedule.timeZone, now);
    const fits = Math.floor(gap / deadlineOf(0, 1, this.o.timeScale));
    const overlap = schedule.hours > fits ? { gapMs: gap, hours: fits } : undefined;
    return {
      card: scheduleCreatedCard(
        schedule,
        next,
        overlap,
        this.o.platforms.surfaceOf(command.origin),
      ),
    };
  }

  /** `schedule list`, and `schedule cancel|pause|resume ID`. */
  async change(command: Extract<Command, { kind: 'schedules' }>): Promise<CommandResult> {
    const { origin, action } = command;
    if (action === 'list') {
      const schedules = await this.o.store.schedules(origin.channel);
      const rows = await Promise.all(
        schedules.map(async (schedule) => ({
          schedule,
          next: schedule.paused
            ? undefined
            : await this.o.scheduler.nextRepeat(schedule.id, schedule.platform),
        })),
      );
      return { card: schedulesCard(rows, this.o.platforms.surfaceOf(origin)) };
    }
    const id = command.scheduleId ?? '';
    const schedule = await this.o.store.getSchedule(id);
    if (!schedule || schedule.channel !== origin.channel) {
      throw new UserError(scheduleText.unknown(id, this.o.platforms.surfaceOf(origin)));
    }
    await this.mayManage(origin, schedule);
    if (action === 'cancel') {
      await this.o.scheduler.unrepeat(schedule.id, schedule.platform);
      await this.o.store.deleteSchedule(schedule);
    } else if (action === 'pause') {
      await this.o.store.saveSchedule({ ...schedule, paused: true });
      await this.o.scheduler.unrepeat(schedule.id, schedule.platform);
    } else {
      const resumed = { ...schedule, paused: false };
      await this.o.store.saveSchedule(resumed);
      await this.o.scheduler.repeat(this.repeatOf(resumed));
    }
    return {
      card: scheduleText.changed(schedule.id, action, this.o.platforms.surfaceOf(origin)),
    };
  }

  /**
   * A schedule's occurrence opens its challenge, unless the schedule is paused or gone, or the
   * challenge's deadline (counted from when the occurrence fell due) has passed.
   */
  async occurrence(scheduleId: string, dueAt: number): Promise<void> {
    const schedule = await this.o.store.getSchedule(scheduleId);
    if (!schedule || schedule.paused) return;
    if (deadlineOf(dueAt, schedule.hours, this.o.timeScale) <= this.o.clock.now()) {
      // Its job ran after the deadline it would have had (the process was down): the next
      // occurrence opens the channel's challenge.
      this.o.logger.info('schedule occurrence skipped: its deadline passed before it ran', {
        schedule: schedule.id,
      });
      return;
    }
    const spec = {
      // One id per occurrence: a retried job carries on with the same challenge.
      id: `c${schedule.id}-${Math.round(dueAt).toString(36)}`,
      platform: schedule.platform,
      channel: schedule.channel,
      openedBy: schedule.createdBy,
      hours: schedule.hours,
      scheduleId: schedule.id,
      dueAt,
    };
    let opened: Opened;
    try {
      opened = await this.openFor(schedule, spec);
    } catch (error) {
      if (!(error instanceof PlatformError && error.refusal)) throw error;
      await this.pauseRefused(schedule, error.refusal);
      return;
    }
    if ('current' in opened) {
      this.o.logger.info('schedule occurrence skipped: the channel has an open challenge', {
        schedule: schedule.id,
        open: opened.current.id,
      });
    }
  }

  /** Opens the occurrence's challenge on the schedule's prompt, or a random one if it is gone. */
  private async openFor(schedule: Schedule, spec: ChallengeSpec): Promise<Opened> {
    try {
      return await this.o.openChallenge({ ...spec, promptId: schedule.promptId });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // The schedule's prompt left the library: a random one rather than no challenge.
      this.o.logger.warn('schedule prompt unknown; a random one is used', {
        schedule: schedule.id,
      });
      return this.o.openChallenge(spec);
    }
  }

  /**
   * The platform refused the challenge's card for a reason only a person can fix (the bot is not
   * in the channel, it is archived or of the wrong kind): every later occurrence would fail the
   * same way, so the schedule is paused, and its maker is told in their direct messages what
   * happened and how to resume it.
   */
  private async pauseRefused(schedule: Schedule, refusal: PlatformRefusal): Promise<void> {
    await this.o.store.saveSchedule({ ...schedule, paused: true });
    await this.o.scheduler.unrepeat(schedule.id, schedule.platform);
    this.o.logger.warn('schedule paused: its channel refused the challenge', {
      schedule: schedule.id,
      refusal,
    });
    const platform = this.o.platforms.find(schedule.channel);
    await platform
      ?.direct?.(
        schedule.channel,
        schedule.createdBy,
        scheduleText.pausedRefused(
          schedule,
          refusal,
          this.o.platforms.surfaceOf({
            platform: schedule.platform,
            user: schedule.createdBy,
            channel: schedule.channel,
          }),
        ),
        undefined,
        { key: `${schedule.id}-refused`, redelivery: false, since: this.o.clock.now() },
      )
      .catch((error: unknown) => {
        this.o.logger.warn('schedule maker could not be told of the pause', {
          schedule: schedule.id,
          error,
        });
      });
  }

  private repeatOf(schedule: Schedule) {
    return {
      id: schedule.id,
      pattern: schedule.pattern,
      timeZone: schedule.timeZone,
      event: { kind: 'occurrence' as const },
      platform: schedule.platform,
    };
  }

  /**
   * Refuses a person who may not manage schedules: not listed in `MOCKDESIGN_ADMINS`, not the
   * schedule's maker, and not a manager as the platform says (with the event, or when asked).
   */
  private async mayManage(origin: Origin, schedule: Schedule | undefined): Promise<void> {
    if (this.o.admins.includes(origin.user) || schedule?.createdBy === origin.user) return;
    const manager =
      origin.manager ??
      (await this.o.platforms.for(origin.channel).person?.(origin.channel, origin.user))?.manager;
    if (!manager) throw new UserError(scheduleText.notAllowed());
  }
}
