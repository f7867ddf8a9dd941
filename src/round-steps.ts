import type { Library } from '../rubric/load.js';
import type { Clock } from './clock.js';
import { MockdesignError } from './errors.js';
import type { OutboundMessage } from './messages.js';
import type { OutboxDelivery } from './outbox-delivery.js';
import type { Platforms } from './platforms.js';
import type { Scheduler } from './ports/scheduler.js';
import type { SessionStore } from './ports/session-store.js';
import { roundClock } from './presentation/round-clock.js';
import { type Outcome, pendingTimers, type RoundContext } from './round/transitions.js';
import { outboxMessage, type Session } from './session.js';

function postKey(message: OutboundMessage): string {
  return message.kind === 'interviewer' ? `event-${message.event}` : `${message.kind}`;
}

/**
 * Applies a step of the round's state machine to a stored round: the new round and its
 * interviewer lines written in one step, then the timers it makes pointless cancelled, the ones it
 * brings scheduled and its lines posted. Shared by everything that moves a round on (commands,
 * timers, the sweeper, scoring).
 */
export class RoundSteps {
  constructor(
    private readonly o: {
      readonly library: Library;
      readonly store: SessionStore;
      readonly scheduler: Scheduler;
      readonly platforms: Platforms;
      readonly clock: Clock;
      /** Posts what transitions decide. */
      readonly outbox: OutboxDelivery;
    },
  ) {}

  /**
   * Applies a transition atomically, recording its interviewer messages in the session's outbox in
   * the same write; then posts them as it schedules what it produced. `firing` is the id of the
   * timer that brought it, if one did.
   */
  async transition(
    id: string,
    step: (s: Session) => Outcome | undefined,
    current?: Session,
    firing?: string,
  ): Promise<Outcome | undefined> {
    let outcome: Outcome | undefined;
    let before: Session | undefined;
    let mine = new Set<string>();
    const now = this.o.clock.now();
    // The interviewer's lines go into the transcript as they are decided, with the round.
    const updated = await this.o.store.commit(
      id,
      (s) => {
        before = s;
        outcome = step(s);
        if (!outcome) return undefined;
        // Lines a timer job decides, where this process posts them, are that job's to post: if
        // the process dies first, the job runs again and posts them (`onTimer`): no sweeper needed.
        const job = firing !== undefined && this.o.platforms.find(s.thread) ? { job: firing } : {};
        const entries = outcome.posts.map((message) => ({
          key: postKey(message),
          message: outboxMessage(message),
          since: now,
          ...job,
        }));
        mine = new Set(entries.map((e) => e.key));
        return {
          session: { ...outcome.session, outbox: [...outcome.session.outbox, ...entries] },
          messages: entries.flatMap(({ key, message }) =>
            message.kind === 'interviewer'
              ? [
                  {
                    id: key,
                    role: 'interviewer' as const,
                    author: '',
                    at: message.minute * 60,
                    text: message.text,
                  },
                ]
              : [],
          ),
        };
      },
      current,
    );
    if (!updated || !outcome) return undefined;
    // What comes next is scheduled while the lines are posted, so neither waits for the other: a
    // failed post is tried again from a job and never stops the timers (the round's scoring above
    // all), and a crash before either is finished leaves the round to the sweeper, which
    // schedules a stuck round's scoring and posts what its outbox still holds. The finished
    // round's pending timers, and those the step made pointless, are cancelled as the new ones
    // are scheduled (never the same ids).
    const next = new Set(outcome.timers.map((t) => t.id));
    // The timer firing now is running, not pending: cancelling it would only be refused.
    const cancelled = [
      ...(outcome.finished && before ? pendingTimers(this.o.library.rubric, before) : []),
      ...(outcome.superseded ?? []),
    ].filter((t) => !next.has(t.id) && t.id !== firing);
    const ended = before?.status === 'active' && updated.status !== 'active';
    if (before && (before.phase !== updated.phase || ended)) {
      this.showClock(updated);
    }
    await Promise.all([
      cancelled.length > 0 ? this.o.scheduler.cancel(cancelled) : undefined,
      ...outcome.timers.map((timer) => this.o.scheduler.schedule(timer)),
      mine.size > 0 ? this.o.outbox.deliver(updated, [...mine], now) : undefined,
    ]);
    return outcome;
  }

  /** Tells a platform that shows time passing (when this process runs it) where the clock stands. */
  showClock(session: Session): void {
    const platform = this.o.platforms.find(session.thread);
    if (!platform?.clock) return;
    platform.clock(
      session.thread,
      session.status === 'active'
        ? roundClock(this.o.library.rubric, session, this.o.clock.now())
        : undefined,
    );
  }

  /** The round's rubric and prompt; an error when its prompt has left the library since. */
  context(session: Session): RoundContext {
    const prompt = this.o.library.prompts.get(session.promptId);
    if (!prompt)
      throw new MockdesignError(
        'unknown_prompt',
        `prompt "${session.promptId}" is no longer in the library`,
      );
    return { rubric: this.o.library.rubric, prompt };
  }
}
