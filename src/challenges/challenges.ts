import { randomBytes } from 'node:crypto';
import type { Library } from '../../rubric/load.js';
import type { Prompt } from '../../rubric/schema.js';
import type { Clock } from '../clock.js';
import type { Command, CommandResult, Origin } from '../commands/command.js';
import { UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Platforms } from '../platforms.js';
import type { ChallengeStore } from '../ports/challenge-store.js';
import { type Scheduler, type Timer, timerFor } from '../ports/scheduler.js';
import type { SessionStore } from '../ports/session-store.js';
import {
  challengeCard,
  challengeText,
  leaderboardCard,
  scheduleCreatedCard,
  schedulesCard,
  scheduleText,
} from '../presentation/challenge-cards.js';
import type { Session } from '../session.js';
import type { Challenge, Schedule } from './challenge.js';
import { workspaceOf } from './challenge.js';
import type { ChallengeEvent } from './challenge-events.js';
import { buildLeaderboard } from './leaderboard.js';
import { knownTimeZone, nextOccurrences } from './schedule-rule.js';

/** The commands of team challenges. */
export type ChallengeCommand = Extract<
  Command,
  { kind: 'challenge' | 'schedule' | 'schedules' | 'leaderboard' | 'attempt' }
>;

/** Starts a person's attempt: a round in a private conversation (the round engine does it). */
export type OpenAttempt = (
  origin: Origin,
  challenge: Challenge,
  prompt: Prompt,
  sessionId: string,
) => Promise<{ readonly session: Session; readonly messageId: string }>;

export interface ChallengesOptions {
  readonly library: Library;
  readonly store: ChallengeStore;
  readonly sessions: SessionStore;
  readonly scheduler: Scheduler;
  readonly platforms: Platforms;
  readonly clock: Clock;
  /** `MOCKDESIGN_TIME_SCALE`: challenge durations scale like rounds. */
  readonly timeScale: number;
  readonly logger: Logger;
  /** `MOCKDESIGN_ADMINS`: platform user ids who may manage every schedule. */
  readonly admins: readonly string[];
  /**
   * The prompt for an id, `random` or `adaptive` (aimed at `person`'s weakest criterion), and why
   * it was picked; a `UserError` for an unknown id.
   */
  readonly choosePrompt: (
    id: string | undefined,
    person: { readonly platform: string; readonly user: string },
  ) => Promise<{ readonly prompt: Prompt; readonly reason?: string }>;
  readonly openAttempt: OpenAttempt;
}

/**
 * Team challenges: one prompt for a channel, private attempts on each person's own clock, a
 * leaderboard at the deadline; and schedules that open them on a cron rule. Every post or edit
 * in the channel is a timer on the platform's queue, so a failed one is tried again and runs once
 * across processes.
 */
export class Challenges {
  constructor(private readonly o: ChallengesOptions) {}

  async handle(command: ChallengeCommand): Promise<CommandResult> {
    switch (command.kind) {
      case 'challenge':
        return this.openNow(command);
      case 'attempt':
        return this.attempt(command);
      case 'leaderboard':
        await this.o.store.setRanked(
          workspaceOf(command.origin.channel),
          command.origin.user,
          command.ranked,
        );
        return { card: challengeText.ranked(command.ranked) };
      case 'schedule':
        return this.addSchedule(command);
      case 'schedules':
        return this.changeSchedules(command);
    }
  }

  /** A challenge's timer: its deadline, a count or leaderboard edit, a schedule's occurrence. */
  async onTimer(timer: Timer & { readonly event: ChallengeEvent }): Promise<void> {
    const { event } = timer;
    if (event.kind === 'occurrence') return this.occurrence(timer.sessionId, timer.dueAt);
    const challenge = await this.o.store.get(timer.sessionId);
    if (!challenge) return;
    if (event.kind === 'close') return this.close(challenge, (timer.attempt ?? 0) > 0);
    if (event.kind === 'count') return this.showCard(challenge);
    return this.showBoard(challenge);
  }

  /** An attempt was scored: after the deadline, its leaderboard takes it in. */
  async scored(session: Session): Promise<void> {
    if (!session.challengeId) return;
    const challenge = await this.o.store.get(session.challengeId);
    if (challenge?.status !== 'closed') return;
    await this.o.scheduler.schedule(
      timerFor(
        challenge.id,
        { kind: 'board', attempt: session.id },
        this.o.clock.now(),
        challenge.platform,
      ),
    );
  }

  private async openNow(command: Extract<Command, { kind: 'challenge' }>): Promise<CommandResult> {
    const { origin } = command;
    const opened = await this.open({
      id: `c${randomBytes(6).toString('hex')}`,
      platform: origin.platform,
      channel: origin.channel,
      openedBy: origin.user,
      promptId: command.promptId,
      hours: command.hours,
    });
    if ('current' in opened) {
      const { current } = opened;
      const link = current.cardMessageId
        ? await this.link(current.channel, current.cardMessageId)
        : undefined;
      throw new UserError(challengeText.alreadyOpen(link));
    }
    return { card: challengeText.opened(opened.prompt, opened.challenge.deadline) };
  }

  /**
   * Opens a challenge in its channel: stored as the channel's open one, its deadline timer set,
   * its card posted. Run again with the same id (a retried occurrence), it carries on where it
   * stopped. A command's challenge whose card cannot be posted is dropped again.
   */
  private async open(spec: {
    readonly id: string;
    readonly platform: string;
    readonly channel: string;
    readonly openedBy: string;
    readonly promptId?: string;
    readonly hours: number;
    readonly scheduleId?: string;
  }): Promise<{ challenge: Challenge; prompt: Prompt } | { current: Challenge }> {
    const { prompt, reason } = await this.o.choosePrompt(spec.promptId, {
      platform: spec.platform,
      user: spec.openedBy,
    });
    const now = this.o.clock.now();
    const fresh: Challenge = {
      id: spec.id,
      platform: spec.platform,
      channel: spec.channel,
      promptId: prompt.id,
      ...(reason ? { reason } : {}),
      openedBy: spec.openedBy,
      ...(spec.scheduleId ? { scheduleId: spec.scheduleId } : {}),
      openedAt: now,
      deadline: now + spec.hours * 3600_000 * this.o.timeScale,
      hours: spec.hours,
      timeScale: this.o.timeScale,
      status: 'open',
    };
    const claimed = await this.o.store.open(fresh);
    if ('current' in claimed && claimed.current.id !== fresh.id) return claimed;
    const challenge = (await this.o.store.get(fresh.id)) ?? fresh;
    const close = timerFor(challenge.id, { kind: 'close' }, challenge.deadline, challenge.platform);
    await this.o.scheduler.schedule(close);
    if (challenge.thread) return { challenge, prompt };
    try {
      const posted = await this.o.platforms
        .for(challenge.channel)
        .openThread(challenge.channel, await this.card(challenge, 0));
      const stored = await this.o.store.update(challenge.id, (c) => ({
        ...c,
        thread: posted.thread,
        cardMessageId: posted.messageId,
      }));
      this.o.logger.info('challenge opened', { challenge: challenge.id, prompt: prompt.id });
      return { challenge: stored ?? challenge, prompt };
    } catch (error) {
      if (!spec.scheduleId) {
        await this.o.scheduler.cancel([close]);
        await this.o.store.discard(challenge);
      }
      throw error;
    }
  }

  private async attempt(command: Extract<Command, { kind: 'attempt' }>): Promise<CommandResult> {
    const { origin } = command;
    const challenge = await this.o.store.get(command.challengeId);
    if (!challenge || challenge.channel !== origin.channel) {
      throw new UserError(challengeText.gone());
    }
    if (challenge.status !== 'open' || this.o.clock.now() >= challenge.deadline) {
      throw new UserError(challengeText.closed());
    }
    if (!this.o.platforms.for(origin.channel).openPrivate) {
      throw new UserError(challengeText.cannotOpenPrivately());
    }
    const id = `r${randomBytes(8).toString('hex')}`;
    const existing = await this.o.store.claimAttempt(challenge.id, origin.user, id);
    if (existing) {
      return { card: challengeText.alreadyAttempted(await this.roundLink(existing)) };
    }
    let opened: Awaited<ReturnType<OpenAttempt>>;
    try {
      const { prompt } = await this.o.choosePrompt(challenge.promptId, origin);
      opened = await this.o.openAttempt(origin, challenge, prompt, id);
    } catch (error) {
      await this.o.store.releaseAttempt(challenge.id, origin.user, id).catch(() => {});
      throw error;
    }
    const n = (await this.o.store.attempts(challenge.id)).size;
    // The count on the card is cosmetic: a failure to schedule its edit loses nothing.
    await this.o.scheduler
      .schedule(
        timerFor(challenge.id, { kind: 'count', n }, this.o.clock.now(), challenge.platform),
      )
      .catch((error: unknown) =>
        this.o.logger.warn('could not schedule the attempt count', { error }),
      );
    const { session, messageId } = opened;
    return { card: challengeText.started(await this.link(session.thread, messageId)) };
  }

  /** The deadline: closed, the channel freed, the leaderboard posted once, the card closed. */
  private async close(found: Challenge, redelivery: boolean): Promise<void> {
    const challenge =
      found.status === 'open'
        ? ((await this.o.store.update(found.id, (c) =>
            c.status === 'open' ? { ...c, status: 'closed' } : undefined,
          )) ?? found)
        : found;
    await this.o.store.release(challenge);
    if (!challenge.thread) return;
    if (!challenge.leaderboardMessageId) {
      const card = leaderboardCard(await this.board(challenge));
      const { messageId } = await this.o.platforms
        .for(challenge.thread)
        .post(challenge.thread, card, {
          key: `${challenge.id}-leaderboard`,
          redelivery,
          since: challenge.deadline,
        });
      await this.o.store.update(challenge.id, (c) => ({ ...c, leaderboardMessageId: messageId }));
      this.o.logger.info('challenge closed', { challenge: challenge.id });
    }
    await this.showCard({ ...challenge, status: 'closed' });
  }

  /** Edits the card to show the attempts so far (and whether it is closed). */
  private async showCard(challenge: Challenge): Promise<void> {
    const platform = this.o.platforms.for(challenge.channel);
    if (!challenge.cardMessageId || !platform.edit) return;
    const attempts = (await this.o.store.attempts(challenge.id)).size;
    const card = await this.card(challenge, attempts);
    await platform.edit(challenge.channel, challenge.cardMessageId, card);
  }

  /** Edits the leaderboard to take in attempts scored after the deadline. */
  private async showBoard(challenge: Challenge): Promise<void> {
    if (!challenge.thread) return;
    if (!challenge.leaderboardMessageId) {
      // The deadline's job has not posted it yet: this is tried again after it has.
      throw new Error(`challenge ${challenge.id}: leaderboard not posted yet`);
    }
    const platform = this.o.platforms.for(challenge.thread);
    if (!platform.edit) return;
    const card = leaderboardCard(await this.board(challenge));
    await platform.edit(challenge.thread, challenge.leaderboardMessageId, card);
  }

  private async board(challenge: Challenge) {
    const prompt = this.o.library.prompts.get(challenge.promptId);
    return buildLeaderboard({
      title: prompt?.title ?? challenge.promptId,
      rubric: this.o.library.rubric,
      attempts: await this.o.store.attempts(challenge.id),
      unranked: await this.o.store.unranked(workspaceOf(challenge.channel)),
      sessions: this.o.sessions,
    });
  }

  private async card(challenge: Challenge, attempts: number) {
    // A prompt that left the library since must not stop the card (nor its leaderboard).
    const prompt =
      this.o.library.prompts.get(challenge.promptId) ??
      (await this.o.choosePrompt(undefined, { platform: challenge.platform, user: '' })).prompt;
    return challengeCard(challenge, prompt, attempts, this.o.library.rubric.minutes);
  }

  private async addSchedule(
    command: Extract<Command, { kind: 'schedule' }>,
  ): Promise<CommandResult> {
    const { origin } = command;
    await this.mayManage(origin, undefined);
    if (command.promptId) await this.o.choosePrompt(command.promptId, origin);
    const person = command.timeZone
      ? undefined
      : await this.o.platforms.for(origin.channel).person?.(origin.channel, origin.user);
    const schedule: Schedule = {
      id: `s${randomBytes(3).toString('hex')}`,
      platform: origin.platform,
      channel: origin.channel,
      createdBy: origin.user,
      rule: command.rule.text,
      pattern: command.rule.pattern,
      timeZone: command.timeZone ?? knownTimeZone(person?.timeZone) ?? 'UTC',
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
    const next = nextOccurrences(schedule.pattern, schedule.timeZone, this.o.clock.now(), 3);
    return { card: scheduleCreatedCard(schedule, next) };
  }

  private async changeSchedules(
    command: Extract<Command, { kind: 'schedules' }>,
  ): Promise<CommandResult> {
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
      return { card: schedulesCard(rows) };
    }
    const id = command.scheduleId ?? '';
    const schedule = await this.o.store.getSchedule(id);
    if (!schedule || schedule.channel !== origin.channel) {
      throw new UserError(scheduleText.unknown(id));
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
    return { card: scheduleText.changed(schedule.id, action) };
  }

  /** A schedule's occurrence opens its challenge, unless it is paused or gone. */
  private async occurrence(scheduleId: string, dueAt: number): Promise<void> {
    const schedule = await this.o.store.getSchedule(scheduleId);
    if (!schedule || schedule.paused) return;
    const spec = {
      // One id per occurrence: a retried job carries on with the same challenge.
      id: `c${schedule.id}-${Math.round(dueAt).toString(36)}`,
      platform: schedule.platform,
      channel: schedule.channel,
      openedBy: schedule.createdBy,
      hours: schedule.hours,
      scheduleId: schedule.id,
    };
    let opened: Awaited<ReturnType<Challenges['open']>>;
    try {
      opened = await this.open({ ...spec, promptId: schedule.promptId });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      // The schedule's prompt left the library: a random one rather than no challenge.
      this.o.logger.warn('schedule prompt unknown; a random one is used', {
        schedule: schedule.id,
      });
      opened = await this.open(spec);
    }
    if ('current' in opened) {
      this.o.logger.info('schedule occurrence skipped: the channel has an open challenge', {
        schedule: schedule.id,
        open: opened.current.id,
      });
    }
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

  /** A link to a round's first message, for "your attempt is here". */
  private async roundLink(sessionId: string): Promise<string | undefined> {
    const session = await this.o.sessions.get(sessionId);
    return session?.opening ? this.link(session.thread, session.opening) : undefined;
  }

  private async link(address: string, messageId: string): Promise<string | undefined> {
    const platform = this.o.platforms.find(address);
    return platform?.permalink?.(address, messageId).catch(() => undefined);
  }
}
