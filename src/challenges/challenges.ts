import { randomBytes } from 'node:crypto';
import type { Library } from '../../rubric/load.js';
import type { Prompt } from '../../rubric/schema.js';
import type { Clock } from '../clock.js';
import type { Command, CommandResult, Origin } from '../commands/command.js';
import { PlatformError, UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Platforms } from '../platforms.js';
import type { ChallengeStore } from '../ports/challenge-store.js';
import { type Scheduler, type Timer, timerFor } from '../ports/scheduler.js';
import type { SessionStore } from '../ports/session-store.js';
import { challengeCard, challengeText, leaderboardCard } from '../presentation/challenge-cards.js';
import { newRoundId, type Session } from '../session.js';
import { type Challenge, deadlineOf, workspaceOf } from './challenge.js';
import type { ChallengeEvent } from './challenge-events.js';
import { buildLeaderboard } from './leaderboard.js';
import { Schedules } from './schedules.js';

/** What a challenge is opened with. */
export interface ChallengeSpec {
  readonly id: string;
  readonly platform: string;
  readonly channel: string;
  readonly openedBy: string;
  readonly promptId?: string;
  readonly hours: number;
  readonly scheduleId?: string;
  /**
   * When a schedule's occurrence fell due (epoch ms): its deadline counts from then, not from
   * when its job ran, so a challenge open for the whole gap closes as the next one opens.
   */
  readonly dueAt?: number;
}

/**
 * A challenge opened (with its prompt, and why that prompt when it was picked for the opener:
 * theirs alone to see), or the one already open in the channel.
 */
export type Opened =
  | { challenge: Challenge; prompt: Prompt; reason?: string }
  | { current: Challenge };

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
  /** The channels' schedules, which open challenges on their rules. */
  private readonly schedules: Schedules;

  constructor(private readonly o: ChallengesOptions) {
    this.schedules = new Schedules({ ...o, openChallenge: (spec) => this.open(spec) });
  }

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
        return this.schedules.add(command);
      case 'schedules':
        return this.schedules.change(command);
    }
  }

  /** A challenge's timer: its deadline, a count or leaderboard edit, a schedule's occurrence. */
  async onTimer(timer: Timer & { readonly event: ChallengeEvent }): Promise<void> {
    const { event } = timer;
    if (event.kind === 'occurrence') return this.schedules.occurrence(timer.sessionId, timer.dueAt);
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

  /**
   * A person deleted their attempt (`forget`): they may take the challenge again while it is open,
   * and its card counts them no more; a leaderboard already posted is edited so that their name,
   * score and words leave it.
   */
  async withdrawn(challengeId: string, user: string, sessionId: string): Promise<void> {
    await this.o.store.releaseAttempt(challengeId, user, sessionId);
    const challenge = await this.o.store.get(challengeId);
    if (!challenge) return;
    const event: ChallengeEvent =
      challenge.status === 'closed'
        ? { kind: 'board', attempt: sessionId }
        : { kind: 'count', n: (await this.o.store.attempts(challenge.id)).size };
    await this.o.scheduler.schedule(
      timerFor(challenge.id, event, this.o.clock.now(), challenge.platform),
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
        ? await this.o.platforms.link(current.channel, current.cardMessageId)
        : undefined;
      throw new UserError(challengeText.alreadyOpen(link));
    }
    return { card: challengeText.opened(opened.prompt, opened.challenge.deadline, opened.reason) };
  }

  /**
   * Opens a challenge in its channel: stored as the channel's open one, its deadline timer set,
   * its card posted. Run again with the same id (a retried occurrence), it carries on where it
   * stopped. A command's challenge whose card cannot be posted is dropped again, and so is an
   * occurrence's whose card the platform refuses for a reason only a person can fix. The card is
   * posted under a delivery key of the challenge's; a schedule's occurrence, whose id is the same
   * at every run, posts it as a redelivery: an earlier run may have posted the card and then
   * failed (an answer that timed out, a store that failed) before recording it, and the platform
   * then finds that card rather than showing a second one. A command's challenge is new.
   */
  private async open(spec: ChallengeSpec): Promise<Opened> {
    const { prompt, reason } = await this.o.choosePrompt(spec.promptId, {
      platform: spec.platform,
      user: spec.openedBy,
    });
    const now = this.o.clock.now();
    const openedAt = Math.min(spec.dueAt ?? now, now);
    const fresh: Challenge = {
      id: spec.id,
      platform: spec.platform,
      channel: spec.channel,
      promptId: prompt.id,
      openedBy: spec.openedBy,
      ...(spec.scheduleId ? { scheduleId: spec.scheduleId } : {}),
      openedAt,
      deadline: deadlineOf(openedAt, spec.hours, this.o.timeScale),
      hours: spec.hours,
      timeScale: this.o.timeScale,
      status: 'open',
    };
    const claimed = await this.o.store.open(fresh);
    if ('current' in claimed && claimed.current.id !== fresh.id) return claimed;
    const challenge = (await this.o.store.get(fresh.id)) ?? fresh;
    const close = timerFor(challenge.id, { kind: 'close' }, challenge.deadline, challenge.platform);
    await this.o.scheduler.schedule(close);
    const chosen = { prompt, ...(reason ? { reason } : {}) };
    if (challenge.thread) return { challenge, ...chosen };
    try {
      const posted = await this.o.platforms
        .for(challenge.channel)
        .openThread(challenge.channel, await this.card(challenge, 0), {
          key: `${challenge.id}-card`,
          redelivery: spec.scheduleId !== undefined,
          // Every run decides the same card, the first no earlier than the challenge opened.
          since: challenge.openedAt,
        });
      const stored = await this.o.store.update(challenge.id, (c) => ({
        ...c,
        thread: posted.thread,
        cardMessageId: posted.messageId,
      }));
      this.o.logger.info('challenge opened', { challenge: challenge.id, prompt: prompt.id });
      return { challenge: stored ?? challenge, ...chosen };
    } catch (error) {
      // A command's challenge goes; so does an occurrence's that the platform refused for good
      // (its schedule pauses); another occurrence's stays for its job's next try.
      if (!spec.scheduleId || (error instanceof PlatformError && error.refusal)) {
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
    const id = newRoundId();
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
    return { card: challengeText.started(await this.o.platforms.link(session.thread, messageId)) };
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

  /** A link to a round's first message, for "your attempt is here". */
  private async roundLink(sessionId: string): Promise<string | undefined> {
    const session = await this.o.sessions.get(sessionId);
    return session?.opening ? this.o.platforms.link(session.thread, session.opening) : undefined;
  }
}
