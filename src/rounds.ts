import type { Library } from '../rubric/load.js';
import type { Prompt } from '../rubric/schema.js';
import { CandidateMessages } from './candidate-messages.js';
import type { Challenge } from './challenges/challenge.js';
import { isChallengeEvent } from './challenges/challenge-events.js';
import { type ChallengeCommand, Challenges } from './challenges/challenges.js';
import type { Clock } from './clock.js';
import { MAX_ASYNC_HOURS, MAX_MINUTES, MIN_MINUTES } from './commands/catalogue.js';
import type { Command, CommandResult, Origin } from './commands/command.js';
import { MockdesignError, PlatformError, UserError } from './errors.js';
import type { Logger } from './logger.js';
import { OutboxDelivery } from './outbox-delivery.js';
import type { Platforms } from './platforms.js';
import type { ChallengeStore } from './ports/challenge-store.js';
import type { ReminderStore } from './ports/reminder-store.js';
import type { Scheduler, Timer } from './ports/scheduler.js';
import type { Scorer } from './ports/scorer.js';
import type { SessionStore } from './ports/session-store.js';
import { scheduleText } from './presentation/challenge-cards.js';
import { helpCard } from './presentation/help-card.js';
import { promptsCard } from './presentation/library-cards.js';
import { reminderText } from './presentation/reminder-cards.js';
import {
  apologyCard,
  platformRefusalCard,
  refusalCard,
  replyNotSavedCard,
} from './presentation/replies.js';
import {
  drillStartedCard,
  forgetConfirmCard,
  forgottenCard,
  movedOnCard,
  refusals,
  roundEndedCard,
  roundStartedCard,
  statusCard,
} from './presentation/round-replies.js';
import { type KeptRounds, ProgressCommands } from './progress/progress-commands.js';
import { Reminders } from './progress/reminders.js';
import { endRefusedRound } from './refused-thread.js';
import { DRILLS } from './round/drills.js';
import { advance, finish, fire, pendingTimers, stalePress } from './round/transitions.js';
import { type Place, RoundOpener } from './round-opener.js';
import { RoundScoring } from './round-scoring.js';
import { RoundSteps } from './round-steps.js';
import { RoundSweeper } from './round-sweeper.js';
import { runningRound } from './running-round.js';
import { newRoundId, type Session } from './session.js';

export interface RoundsOptions {
  readonly library: Library;
  readonly store: SessionStore;
  readonly scheduler: Scheduler;
  readonly scorer: Scorer;
  readonly platforms: Platforms;
  readonly clock: Clock;
  /** `MOCKDESIGN_TIME_SCALE`: wall milliseconds per round millisecond. */
  readonly timeScale: number;
  readonly logger: Logger;
  /** Random numbers in [0, 1) for picking a random prompt (default `Math.random`). */
  readonly random?: () => number;
  /** Limits per person and per round; none when undefined. */
  readonly limits?: RoundLimits;
  /** Where team challenges live; without it (the terminal) there are none. */
  readonly challenges?: ChallengeStore;
  /** `MOCKDESIGN_ADMINS`: platform user ids who may manage every challenge schedule. */
  readonly admins?: readonly string[];
  /** Where practice reminders live; without it (the terminal) there are none. */
  readonly reminders?: ReminderStore;
  /**
   * A person's rounds where they are kept apart from the session store (the terminal's
   * `MOCKDESIGN_HOME`), newest first, for `adaptive`; the store's history when undefined.
   */
  readonly kept?: KeptRounds;
}

/** What one person may use (`MOCKDESIGN_MAX_ROUNDS_PER_DAY`, `MOCKDESIGN_MAX_REPLIES`). */
export interface RoundLimits {
  /** Rounds a person may start in 24 hours. */
  readonly roundsPerDay?: number;
  /** Replies a round takes; later ones are refused with a message. */
  readonly repliesPerRound?: number;
}

/**
 * The core: turns commands and timers into session changes and interviewer messages.
 * It talks to platforms, storage, timers and scoring through ports only.
 */
export class Rounds {
  /** Team challenges, where a challenge store is given. */
  private readonly challenges: Challenges | undefined;
  /** History, export and adaptive prompts. */
  private readonly progress: ProgressCommands;
  /** Practice reminders, where a reminder store is given. */
  private readonly reminders: Reminders | undefined;
  /** Posts what transitions decide. */
  private readonly outbox: OutboxDelivery;
  /** Applies transitions to stored rounds, and shows where a round's clock stands. */
  private readonly steps: RoundSteps;
  /** Opens rounds: the prompt card, the timers, the stored round. */
  private readonly opener: RoundOpener;
  /** The candidate's replies, deletions and edits in a round's thread. */
  private readonly messages: CandidateMessages;
  /** Scores finished rounds. */
  private readonly scoring: RoundScoring;
  /** Ends, scores and posts what was left behind. */
  private readonly sweeper: RoundSweeper;

  constructor(private readonly o: RoundsOptions) {
    this.outbox = new OutboxDelivery({
      ...o,
      threadRefused: (session, refusal) =>
        endRefusedRound({ ...o, steps: this.steps }, session, refusal),
    });
    this.steps = new RoundSteps({ ...o, outbox: this.outbox });
    this.opener = new RoundOpener({ ...o, showClock: (session) => this.steps.showClock(session) });
    this.progress = new ProgressCommands({
      library: o.library,
      store: o.store,
      platforms: o.platforms,
      logger: o.logger,
      random: o.random ?? Math.random,
      ...(o.kept ? { kept: o.kept } : {}),
    });
    this.reminders =
      o.reminders &&
      new Reminders({
        library: o.library,
        store: o.reminders,
        sessions: o.store,
        scheduler: o.scheduler,
        platforms: o.platforms,
        clock: o.clock,
        logger: o.logger,
      });
    this.challenges =
      o.challenges &&
      new Challenges({
        library: o.library,
        store: o.challenges,
        sessions: o.store,
        scheduler: o.scheduler,
        platforms: o.platforms,
        clock: o.clock,
        timeScale: o.timeScale,
        logger: o.logger,
        admins: o.admins ?? [],
        choosePrompt: (id, person) => this.progress.choose(id, person, 'their'),
        openAttempt: (origin, challenge, prompt, id) =>
          this.openAttempt(origin, challenge, prompt, id),
      });
    this.messages = new CandidateMessages({
      ...o,
      steps: this.steps,
      dispatch: (command) => this.dispatch(command),
    });
    this.scoring = new RoundScoring({ ...o, steps: this.steps, challenges: this.challenges });
    this.sweeper = new RoundSweeper({ ...o, steps: this.steps });
  }

  /** The replies of each thread still being handled, so they are taken in the order they came. */
  private readonly replying = new Map<string, Promise<unknown>>();

  /**
   * Runs `work` after the work queued before it for `key`: a thread's replies are stored in the
   * order they arrived, and never race each other for the round's update.
   */
  private inOrder<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.replying.get(key) ?? Promise.resolve();
    const result = before.then(work, work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.replying.set(key, tail);
    void tail.then(() => {
      if (this.replying.get(key) === tail) this.replying.delete(key);
    });
    return result;
  }

  /** Handles a command from any platform; a `UserError` becomes a refusal card. */
  async handle(command: Command): Promise<CommandResult> {
    try {
      return await this.dispatch(command);
    } catch (error) {
      if (error instanceof UserError) return { card: refusalCard(error.message) };
      if (error instanceof PlatformError && error.refusal) {
        return {
          card: platformRefusalCard(error.refusal, this.o.platforms.surfaceOf(command.origin)),
        };
      }
      this.o.logger.error('command failed', {
        kind: command.kind,
        platform: command.origin.platform,
        error,
      });
      const card = command.kind === 'reply' ? replyNotSavedCard() : apologyCard();
      return { card, failed: true };
    }
  }

  /** Handles a due timer (an interviewer event, a probe, a nudge, scoring, or a post). */
  async onTimer(timer: Timer): Promise<void> {
    const { event } = timer;
    if (isChallengeEvent(event)) return this.challenges?.onTimer({ ...timer, event });
    if (event.kind === 'reminder') return this.reminders?.onTimer(timer);
    if (event.kind === 'score') return this.scoring.score(timer.sessionId);
    if (event.kind === 'post') {
      const redelivery = event.retry === true || (timer.attempt ?? 0) > 0;
      return this.outbox.post(timer.sessionId, event.keys, redelivery);
    }
    // No read first: the store starts from the round as this process last saw it, and its
    // compare-and-set reads it again when another process changed it since (as it does before
    // deciding that there is nothing to change, so `seen` is then the round as stored).
    let seen: Session | undefined;
    const outcome = await this.steps.transition(
      timer.sessionId,
      (s) => {
        seen = s;
        return fire(this.steps.context(s), s, event, this.o.clock.now());
      },
      undefined,
      timer.id,
    );
    if (outcome) return;
    // Run again after its process died between deciding its lines and posting them: post them now
    // (the platform may have them already: a redelivery).
    const session: Session | undefined = seen;
    const left = session?.outbox.filter((e) => e.job === timer.id) ?? [];
    if (session && left.length > 0) {
      await this.outbox.deliver(
        session,
        left.map((e) => e.key),
        this.o.clock.now(),
        true,
      );
    }
  }

  /** Starts again what was left behind (`RoundSweeper`); the scheduler's sweep runs it. */
  async sweep(): Promise<void> {
    await this.sweeper.sweep();
  }

  private async dispatch(command: Command): Promise<CommandResult> {
    switch (command.kind) {
      case 'start':
        return this.start(command);
      case 'reply':
        return this.inOrder(command.origin.thread, () => this.messages.reply(command));
      case 'withdraw':
        return this.inOrder(command.origin.thread, () => this.messages.withdraw(command));
      case 'edited':
        return this.inOrder(command.origin.thread, () => this.messages.edited(command));
      case 'next':
      case 'end': {
        const session = await this.controlled(command.origin, command.kind);
        const ctx = this.steps.context(session);
        const now = this.o.clock.now();
        const ending = command.kind === 'end' && command.prepared ? 'prepared' : 'early';
        // Checked on the round as it is written, so the second press of a double click finds the
        // round moved on by the first.
        let stale: Session | undefined;
        const outcome = await this.steps.transition(session.id, (s) => {
          stale = undefined;
          if (command.kind === 'end') return finish(ctx, s, now, ending);
          if (!stalePress(ctx, s, command.button)) return advance(ctx, s, now);
          stale = s;
          return undefined;
        });
        if (stale) throw new UserError(refusals.stalePress(ctx.rubric, stale));
        if (!outcome) throw new UserError(refusals.alreadyOver(session));
        const phase = ctx.rubric.phases.find((p) => p.id === outcome.session.phase);
        return {
          card: outcome.finished
            ? roundEndedCard(session.drill !== undefined)
            : movedOnCard(phase?.name ?? ''),
        };
      }
      case 'status': {
        const session = await this.controlled(command.origin, 'status');
        // Asked away from the round's thread, the answer says which round it is and where.
        const away =
          command.origin.thread === session.thread
            ? undefined
            : await runningRound(this.o, session);
        const now = this.o.clock.now();
        return { card: statusCard(this.o.library.rubric, session, now, away) };
      }
      case 'prompts':
        return {
          card: promptsCard(
            [...this.o.library.prompts.values()],
            this.o.platforms.surfaceOf(command.origin),
          ),
        };
      case 'history':
        return this.progress.history(command.origin);
      case 'export':
        return this.progress.export(command.origin);
      case 'forget':
        return { card: await this.forget(command.origin, command.confirmed) };
      case 'help':
        return { card: helpCard(this.o.platforms.surfaceOf(command.origin)) };
      case 'drill':
        return this.drill(command);
      case 'remind':
        if (!this.reminders) throw new UserError(reminderText.noDirect());
        return this.reminders.handle(command);
      case 'challenge':
      case 'schedule':
      case 'schedules':
      case 'leaderboard':
      case 'attempt':
        return this.challenge(command);
    }
  }

  private async challenge(command: ChallengeCommand): Promise<CommandResult> {
    if (!this.challenges) throw new UserError(scheduleText.chatOnly());
    return this.challenges.handle(command);
  }

  private async start(command: Extract<Command, { kind: 'start' }>): Promise<CommandResult> {
    const { origin, mode } = command;
    const { rubric } = this.o.library;
    const { prompt, reason } = await this.progress.choose(command.promptId, origin);
    const minutes = command.minutes ?? rubric.minutes;
    const [min, max] = mode === 'async' ? [60, MAX_ASYNC_HOURS * 60] : [MIN_MINUTES, MAX_MINUTES];
    if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
      throw new UserError(refusals.roundLength(mode, minutes, min, max));
    }
    const spec = { origin, prompt, reason, mode, minutes, timeScale: this.o.timeScale };
    const zone = command.timeZone ? { timeZone: command.timeZone } : {};
    await this.opener.open({ ...spec, ...zone, id: newRoundId() }, this.inThread(origin));
    return { card: roundStartedCard(prompt, reason) };
  }

  /** Starts a drill: a short round on one criterion, on a prompt that stresses it. */
  private async drill(command: Extract<Command, { kind: 'drill' }>): Promise<CommandResult> {
    const { origin } = command;
    const drill = DRILLS[command.drill];
    const prompt = this.progress.stressing(drill.criterion);
    const spec = { origin, prompt, mode: 'live' as const, minutes: drill.minutes, drill };
    await this.opener.open(
      { ...spec, id: newRoundId(), timeScale: this.o.timeScale },
      this.inThread(origin),
    );
    return { card: drillStartedCard(drill, prompt) };
  }

  /** A round's place: a new thread in the channel the command came from. */
  private inThread(origin: Origin): Place {
    const platform = this.o.platforms.for(origin.channel);
    return (card) => platform.openThread(origin.channel, card);
  }

  /** Starts a person's attempt at a team challenge: a live round in a private conversation. */
  private async openAttempt(
    origin: Origin,
    challenge: Challenge,
    prompt: Prompt,
    id: string,
  ): Promise<{ session: Session; messageId: string }> {
    const platform = this.o.platforms.for(origin.channel);
    const openPrivate = platform.openPrivate?.bind(platform);
    if (!openPrivate)
      throw new MockdesignError('no_private', `${platform.name} opens no private conversations`);
    const spec = {
      origin,
      prompt,
      mode: 'live' as const,
      minutes: this.o.library.rubric.minutes,
      id,
      timeScale: challenge.timeScale,
      challenge,
    };
    return this.opener.open(spec, (card) => openPrivate(origin.channel, origin.user, card));
  }

  /** The round a control command is about: the thread's, or the user's active one. */
  private async controlled(origin: Origin, action: 'next' | 'end' | 'status'): Promise<Session> {
    const session = origin.thread
      ? await this.o.store.findByThread(origin.thread)
      : await this.o.store.findActive(origin.platform, origin.user);
    if (!session) throw new UserError(refusals.noRound(this.o.platforms.surfaceOf(origin)));
    if (!session.candidates.includes(origin.user)) {
      throw new UserError(refusals.onlyCandidate(action));
    }
    return session;
  }

  private async forget(origin: Origin, confirmed: boolean) {
    const rounds = await this.o.store.history(
      origin.platform,
      origin.user,
      Number.MAX_SAFE_INTEGER,
    );
    if (!confirmed) return forgetConfirmCard(rounds.length, this.o.platforms.surfaceOf(origin));
    for (const s of rounds) {
      if (s.status !== 'done')
        await this.o.scheduler.cancel(pendingTimers(this.o.library.rubric, s));
    }
    const count = await this.o.store.forgetUser(origin.platform, origin.user);
    // Their challenge attempts go with their rounds: they may take an open challenge again, and
    // a leaderboard already posted no longer shows them.
    for (const s of rounds) {
      if (s.challengeId) await this.challenges?.withdrawn(s.challengeId, origin.user, s.id);
    }
    const reminder = (await this.reminders?.forget(origin.platform, origin.user)) ?? false;
    this.o.logger.info('user forgotten', { platform: origin.platform, rounds: count });
    return forgottenCard(count, reminder);
  }
}
