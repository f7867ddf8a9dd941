import { randomBytes } from 'node:crypto';
import type { Library } from '../rubric/load.js';
import type { Prompt } from '../rubric/schema.js';
import type { Clock } from './clock.js';
import type { Command, CommandResult, Origin } from './commands/command.js';
import { MAX_ASYNC_HOURS, MAX_MINUTES, MIN_MINUTES, USAGE } from './commands/parse.js';
import { MockdesignError, UserError } from './errors.js';
import type { Logger } from './logger.js';
import type { OutboundMessage } from './messages.js';
import type { Platforms } from './platforms.js';
import type { Scheduler, Timer } from './ports/scheduler.js';
import type { Scorer } from './ports/scorer.js';
import type { SessionStore } from './ports/session-store.js';
import { plannedPhases } from './round/timeline.js';
import {
  advance,
  finish,
  fire,
  initialTimers,
  knownTimerIds,
  type Outcome,
  type RoundContext,
  receive,
} from './round/transitions.js';
import { formatClock } from './scoring/render-text.js';
import { type OutboxEntry, roundSeconds, type Session } from './session.js';
import { transcriptOf } from './transcript.js';

/** Longest reply we store, in characters; longer ones are refused with a clear message. */
export const MAX_REPLY_CHARS = 20_000;

/** An outbox entry older than this was left by a crashed process and is posted by the next job. */
export const STALE_OUTBOX_MS = 15_000;

function postKey(message: OutboundMessage): string {
  return message.kind === 'interviewer' ? `event-${message.event}` : `${message.kind}`;
}

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
}

/**
 * The core: turns commands and timers into session changes and interviewer messages.
 * It talks to platforms, storage, timers and scoring through ports only.
 */
export class Rounds {
  constructor(private readonly o: RoundsOptions) {}

  /** Handles a command from any platform; a `UserError` becomes the reply text. */
  async handle(command: Command): Promise<CommandResult> {
    try {
      return await this.dispatch(command);
    } catch (error) {
      if (error instanceof UserError) return { text: error.message };
      this.o.logger.error('command failed', {
        kind: command.kind,
        platform: command.origin.platform,
        error,
      });
      const text =
        command.kind === 'reply'
          ? 'Sorry — that reply could not be saved just now, so it is not part of your round yet. Please send it again in a moment.'
          : 'Sorry — something went wrong on our side. Your round is safe; please try again.';
      return { text, failed: true };
    }
  }

  /** Handles a due timer (an interviewer event, a probe, a nudge, or scoring). */
  async onTimer(timer: Timer): Promise<void> {
    if (timer.event === 'score') return this.score(timer.sessionId);
    const read = await this.o.store.get(timer.sessionId);
    if (!read) return;
    const session = await this.recover(read);
    const ctx = this.context(session);
    await this.transition(
      session.id,
      (s) => fire(ctx, s, timer.event, this.o.clock.now()),
      session,
    );
  }

  private async dispatch(command: Command): Promise<CommandResult> {
    switch (command.kind) {
      case 'start':
        return this.start(command);
      case 'reply':
        return this.reply(command);
      case 'next':
      case 'end': {
        const session = await this.controlled(command.origin, command.kind);
        const ctx = this.context(session);
        const step = command.kind === 'next' ? advance : finish;
        const outcome = await this.transition(session.id, (s) => step(ctx, s, this.o.clock.now()));
        if (!outcome)
          throw new UserError('This round is already over; its scorecard is on its way.');
        const phase = ctx.rubric.phases.find((p) => p.id === outcome.session.phase);
        return {
          text: outcome.finished ? 'Round ended — scoring it now.' : `Moved on to ${phase?.name}.`,
        };
      }
      case 'status':
        return { text: this.statusText(await this.controlled(command.origin, 'check on')) };
      case 'prompts':
        return { text: this.promptList() };
      case 'history':
        return { text: await this.historyText(command.origin) };
      case 'forget':
        return { text: await this.forget(command.origin, command.confirmed) };
      case 'help':
        return {
          text: `mockdesign runs a timed mock research-design round and scores it.\n${USAGE}\nAnswer in the round's thread; say \`next\` or \`end\` there too.`,
        };
    }
  }

  private async start(command: Extract<Command, { kind: 'start' }>): Promise<CommandResult> {
    const { origin, mode } = command;
    const { rubric } = this.o.library;
    const prompt = this.pickPrompt(command.promptId);
    const running = await this.o.store.findActive(origin.platform, origin.user);
    if (running) {
      throw new UserError(
        'You already have a round running. Finish it with `end` before starting another.',
      );
    }
    const minutes = command.minutes ?? rubric.minutes;
    const [min, max] = mode === 'async' ? [60, MAX_ASYNC_HOURS * 60] : [MIN_MINUTES, MAX_MINUTES];
    if (!Number.isInteger(minutes) || minutes < min || minutes > max) {
      throw new UserError(
        mode === 'async'
          ? `An async round lasts from 1 to ${MAX_ASYNC_HOURS} hours; ${minutes / 60} is out of range.`
          : `A round lasts from ${MIN_MINUTES} to ${MAX_MINUTES} minutes; ${minutes} is out of range.`,
      );
    }
    const platform = this.o.platforms.for(origin.channel);
    const card: OutboundMessage = {
      kind: 'prompt',
      prompt,
      mode,
      minutes,
      candidates: [origin.user],
      phases: plannedPhases(rubric, minutes),
      controls: ['next', 'end'],
    };
    const { thread } = await platform.openThread(origin.channel, card);
    const session: Session = {
      id: `r${randomBytes(8).toString('hex')}`,
      platform: origin.platform,
      channel: origin.channel,
      thread,
      mode,
      promptId: prompt.id,
      minutes,
      timeScale: this.o.timeScale,
      candidates: [origin.user],
      startedAt: this.o.clock.now(),
      status: 'active',
      phase: rubric.phases[0]?.id ?? '',
      phaseStarts: [{ phase: rubric.phases[0]?.id ?? '', at: 0 }],
      hypothesisAt: null,
      fired: [],
      probes: [],
      replies: 0,
      endedAt: null,
      outbox: [],
    };
    await this.o.store.create(session);
    await Promise.all(
      initialTimers({ rubric, prompt }, session).map((t) => this.o.scheduler.schedule(t)),
    );
    this.o.logger.info('round started', { session: session.id, prompt: prompt.id, minutes, mode });
    return { text: `Your round on "${prompt.title}" has started: answer in its thread.` };
  }

  private async reply(command: Extract<Command, { kind: 'reply' }>): Promise<CommandResult> {
    const { origin, text, messageId } = command;
    const session = await this.o.store.findByThread(origin.thread);
    if (!session?.candidates.includes(origin.user)) return {};
    const word = text.trim().toLowerCase();
    if (word === 'next' || word === 'end' || word === 'status') {
      // Recorded under its message id first, so a platform's retry of the same message is a no-op.
      const first = await this.o.store.addMessage(session.id, {
        id: messageId,
        role: 'command',
        author: origin.user,
        at: roundSeconds(session, this.o.clock.now()),
        text: word,
      });
      return first ? this.dispatch({ kind: word, origin }) : {};
    }
    if (session.status !== 'active') {
      return {
        text: 'This round is over, so that reply was not added. Start a new one with `start`.',
      };
    }
    if (word.length === 0) {
      throw new UserError(
        'That reply was empty, so nothing was added. Write your answer as text, or say `next` or `end`.',
      );
    }
    if (text.length > MAX_REPLY_CHARS) {
      throw new UserError(
        `That reply is ${text.length.toLocaleString('en')} characters; the limit is ${MAX_REPLY_CHARS.toLocaleString('en')}. Nothing was added: split it into shorter messages.`,
      );
    }
    const now = this.o.clock.now();
    const stored = await this.o.store.addMessage(session.id, {
      id: messageId,
      role: 'candidate',
      author: origin.user,
      at: roundSeconds(session, now),
      text,
    });
    if (!stored) return {};
    const ctx = this.context(session);
    await this.transition(session.id, (s) =>
      s.status === 'active' ? receive(ctx, s, text, now) : undefined,
    );
    return {};
  }

  /**
   * Applies a transition atomically, recording its interviewer messages in the session's outbox in
   * the same write; then posts them, and schedules what it produced.
   */
  private async transition(
    id: string,
    step: (s: Session) => Outcome | undefined,
    current?: Session,
  ): Promise<Outcome | undefined> {
    let outcome: Outcome | undefined;
    let before: Session | undefined;
    let mine = new Set<string>();
    const now = this.o.clock.now();
    const updated = await this.o.store.update(
      id,
      (s) => {
        before = s;
        outcome = step(s);
        if (!outcome) return undefined;
        const entries = outcome.posts.map((message) => ({
          key: postKey(message),
          message,
          since: now,
        }));
        mine = new Set(entries.map((e) => e.key));
        return { ...outcome.session, outbox: [...outcome.session.outbox, ...entries] };
      },
      current,
    );
    if (!updated || !outcome) return undefined;
    await this.deliver(updated, (entry) => mine.has(entry.key));
    // The finished round's pending timers go first (as they were before it finished), then the
    // new ones (its scoring) are added.
    if (outcome.finished && before) {
      const next = new Set(outcome.timers.map((t) => t.id));
      await this.o.scheduler.cancel(
        knownTimerIds(this.o.library.rubric, before).filter((t) => !next.has(t)),
      );
    }
    await Promise.all(outcome.timers.map((timer) => this.o.scheduler.schedule(timer)));
    return outcome;
  }

  /**
   * Posts outbox entries selected by `which`, oldest first, removing each once posted. Entries are
   * only delivered by the process that wrote them, or once stale (a crashed process), so two
   * healthy workers never post the same message.
   */
  private async deliver(
    session: Session,
    which: (entry: OutboxEntry) => boolean,
    recovering = false,
  ): Promise<Session> {
    const platform = this.o.platforms.for(session.thread);
    let current = session;
    for (const entry of session.outbox.filter(which)) {
      const { message } = entry;
      if (message.kind === 'interviewer') {
        await this.o.store.addMessage(session.id, {
          id: entry.key,
          role: 'interviewer',
          author: '',
          at: message.minute * 60,
          text: message.text,
        });
      }
      await platform.post(session.thread, message, {
        key: `${session.id}-${entry.key}`,
        redelivery: recovering,
      });
      const removed = await this.o.store.update(
        session.id,
        (s) =>
          s.outbox.some((e) => e.key === entry.key)
            ? { ...s, outbox: s.outbox.filter((e) => e.key !== entry.key) }
            : undefined,
        current,
      );
      current = removed ?? current;
    }
    return current;
  }

  /** Posts what a crashed process decided but never confirmed posting; returns the session after. */
  private recover(session: Session): Promise<Session> {
    const stale = this.o.clock.now() - STALE_OUTBOX_MS;
    return this.deliver(session, (entry) => entry.since <= stale, true);
  }

  /** Scores a finished round and posts its scorecard (through the outbox, like every post). */
  private async score(sessionId: string): Promise<void> {
    const read = await this.o.store.get(sessionId);
    if (!read) return;
    const session = await this.recover(read);
    if (session.status !== 'scoring') return;
    if (session.outbox.length > 0) {
      // Another process is still posting the closing line; BullMQ retries this job shortly.
      throw new MockdesignError('outbox_pending', 'the closing message is not posted yet');
    }
    const prompt = this.context(session).prompt;
    const messages = await this.o.store.messages(sessionId);
    const scorecard = await this.o.scorer.score(transcriptOf(session, prompt.prompt, messages));
    await this.o.store.saveScorecard(sessionId, scorecard);
    const done = await this.transition(sessionId, (s) =>
      s.status === 'scoring'
        ? {
            session: { ...s, status: 'done' },
            posts: [{ kind: 'scorecard', scorecard }],
            timers: [],
            finished: false,
          }
        : undefined,
    );
    if (done) {
      this.o.logger.info('round scored', {
        session: sessionId,
        overall: scorecard.overall,
        engine: scorecard.engine.name,
      });
    }
  }

  /** The round a control command is about: the thread's, or the user's active one. */
  private async controlled(origin: Origin, action: string): Promise<Session> {
    const session = origin.thread
      ? await this.o.store.findByThread(origin.thread)
      : await this.o.store.findActive(origin.platform, origin.user);
    if (!session) {
      throw new UserError('You have no round running here. Start one with `start` (see `help`).');
    }
    if (!session.candidates.includes(origin.user)) {
      const what =
        { next: 'move this round to the next phase', end: 'end this round' }[action] ??
        `${action} this round`;
      throw new UserError(`Only the candidate can ${what}.`);
    }
    return session;
  }

  private context(session: Session): RoundContext {
    const prompt = this.o.library.prompts.get(session.promptId);
    if (!prompt)
      throw new MockdesignError(
        'unknown_prompt',
        `prompt "${session.promptId}" is no longer in the library`,
      );
    return { rubric: this.o.library.rubric, prompt };
  }

  private pickPrompt(id: string | undefined): Prompt {
    const prompts = [...this.o.library.prompts.values()];
    if (id === undefined || id === 'random') {
      const random = this.o.random ?? Math.random;
      return prompts[Math.floor(random() * prompts.length)] as Prompt;
    }
    const prompt = this.o.library.prompts.get(id);
    if (!prompt) {
      throw new UserError(
        `Unknown prompt "${id}". Use \`random\` or one of: ${[...this.o.library.prompts.keys()].join(', ')}.`,
      );
    }
    return prompt;
  }

  private async historyText(origin: Origin): Promise<string> {
    const rounds = await this.o.store.history(origin.platform, origin.user, 10);
    if (rounds.length === 0) return 'No rounds yet. Start one with `start`.';
    const lines = await Promise.all(
      rounds.map(async (s) => {
        const title = this.o.library.prompts.get(s.promptId)?.title ?? s.promptId;
        const date = new Date(s.startedAt).toISOString().slice(0, 10);
        const card = s.status === 'done' ? await this.o.store.getScorecard(s.id) : undefined;
        const result = card
          ? `${card.overall}/100 · ${card.band}`
          : s.status === 'active'
            ? 'in progress'
            : 'scoring';
        return `${date} — ${title} (${s.minutes} min): ${result}`;
      }),
    );
    return `Your last ${rounds.length} round${rounds.length === 1 ? '' : 's'}:\n${lines.join('\n')}`;
  }

  private async forget(origin: Origin, confirmed: boolean): Promise<string> {
    const rounds = await this.o.store.history(
      origin.platform,
      origin.user,
      Number.MAX_SAFE_INTEGER,
    );
    if (!confirmed) {
      return `\`forget confirm\` deletes all ${rounds.length} of your rounds here, with their replies and scorecards, and ends a running one. It cannot be undone.`;
    }
    for (const s of rounds) {
      if (s.status !== 'done')
        await this.o.scheduler.cancel(knownTimerIds(this.o.library.rubric, s));
    }
    const count = await this.o.store.forgetUser(origin.platform, origin.user);
    this.o.logger.info('user forgotten', { platform: origin.platform, rounds: count });
    return `Deleted ${count} round${count === 1 ? '' : 's'} with their replies and scorecards.`;
  }

  private promptList(): string {
    return [...this.o.library.prompts.values()].map((p) => `\`${p.id}\` — ${p.title}`).join('\n');
  }

  private statusText(session: Session): string {
    const { rubric } = this.o.library;
    const elapsed = roundSeconds(session, this.o.clock.now());
    if (session.status !== 'active') return 'This round is over; the scorecard is in its thread.';
    const index = rubric.phases.findIndex((p) => p.id === session.phase);
    const phase = rubric.phases[index];
    const plan = plannedPhases(rubric, session.minutes)[index];
    const phaseLeft = plan ? Math.max(0, (plan.startMinute + plan.minutes) * 60 - elapsed) : 0;
    const hypothesis =
      session.hypothesisAt === null
        ? 'no hypothesis yet'
        : `hypothesis stated at ${formatClock(session.hypothesisAt)}`;
    return [
      `Phase ${index + 1} of ${rubric.phases.length}: ${phase?.name ?? session.phase} (${formatClock(phaseLeft)} left in it by the plan).`,
      `${formatClock(elapsed)} elapsed, ${formatClock(Math.max(0, session.minutes * 60 - elapsed))} left; ${hypothesis}; ${session.replies} replies.`,
    ].join('\n');
  }
}
