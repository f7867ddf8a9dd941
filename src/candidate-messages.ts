import { COMMANDS } from './commands/catalogue.js';
import type { Command, CommandResult } from './commands/command.js';
import { commandInRound } from './commands/parse.js';
import { UserError } from './errors.js';
import type { TimerRef } from './ports/scheduler.js';
import { noticeCard } from './presentation/replies.js';
import { refusals } from './presentation/round-replies.js';
import { type Outcome, receive, withdrawAnswer, withdrawnProbes } from './round/transitions.js';
import type { RoundSteps } from './round-steps.js';
import type { RoundsOptions } from './rounds.js';
import { roundSeconds, type Session } from './session.js';

/** Words that act on a round where it runs; where none runs, they get no command hint. */
const ROUND_WORDS = new Set(['next', 'end', 'status']);
/** Longest reply we store, in characters; longer ones are refused with a clear message. */
export const MAX_REPLY_CHARS = 20_000;

/**
 * What the candidate writes in a round's thread: a reply (an answer, a command word, or one
 * refused), a deleted message, an edited one. The round's commands route them here in the order
 * each thread's messages came.
 */
export class CandidateMessages {
  constructor(
    private readonly o: Pick<
      RoundsOptions,
      'store' | 'scheduler' | 'platforms' | 'clock' | 'limits'
    > & {
      /** The round's rubric and prompt. */
      readonly steps: RoundSteps;
      /** Runs a command typed as a message in the round's thread (`next`, `end`, `status`). */
      readonly dispatch: (command: Command) => Promise<CommandResult>;
    },
  ) {}

  async reply(command: Extract<Command, { kind: 'reply' }>): Promise<CommandResult> {
    const { origin, text, messageId } = command;
    const session = await this.o.store.findByThread(origin.thread);
    // A plain message of a direct conversation (its thread is the conversation itself) counts
    // only while a round there runs; otherwise the person is told where rounds run.
    const direct = origin.thread === origin.channel;
    if (
      direct &&
      (!session || (session.status !== 'active' && session.candidates.includes(origin.user)))
    ) {
      // A command written as a plain message (a reminder's `drill risks`): how to give it.
      const typed = text.trim().split(/\s+/).slice(0, 6).join(' ');
      const verb = typed.split(' ')[0]?.toLowerCase() ?? '';
      if (!ROUND_WORDS.has(verb) && COMMANDS.some((c) => c.name === verb)) {
        throw new UserError(refusals.commandAsMessage(typed));
      }
      // After a round here, said once: the conversation may go on about the scorecard.
      if (session && !(await this.firstTelling(session, 'toldOver'))) return {};
      throw new UserError(refusals.noRoundHere());
    }
    if (!session?.candidates.includes(origin.user)) return {};
    const typed = commandInRound(text, origin);
    if (typed) {
      // A command word is never an answer. It is recorded under its message id first, so a
      // platform's retry of the same message is applied once; taken back if the command fails
      // (not a refusal: the person was answered), so that a retry is applied after all.
      const first = await this.recordOnce(session, command, 'command', text.trim().toLowerCase());
      if (!first) return {};
      try {
        return await this.o.dispatch(typed);
      } catch (error) {
        if (!(error instanceof UserError)) {
          await this.o.store.dropMessage(session.id, messageId).catch(() => undefined);
        }
        throw error;
      }
    }
    if (session.status !== 'active') {
      // Said once: after it, the thread is for talking the scorecard over, unanswered.
      if (!(await this.firstTelling(session, 'toldOver'))) return {};
      throw new UserError(refusals.replyAfterEnd(this.o.platforms.surfaceOf(origin)));
    }
    const refusal = this.refusalOf(session, text, command.attachments ?? 0);
    if (refusal) {
      // Recorded under its message id (the refusal, not the text), so the platform's retry of
      // the message, or a catch-up reading it again, is not answered twice.
      if (!(await this.recordOnce(session, command, 'refused', refusal))) return {};
      throw new UserError(refusal);
    }
    // A message already stored (the platform's retry, a catch-up reading it again, or one whose
    // deletion came first) brings nothing: the timers it would foresee are for a reply that is
    // never counted.
    if (await this.o.store.message(session.id, messageId)) return {};
    // A message read late (caught up after a restart) counts when it was sent.
    const now =
      command.sentAt === undefined
        ? this.o.clock.now()
        : Math.min(this.o.clock.now(), Math.max(session.startedAt, command.sentAt));
    const ctx = this.o.steps.context(session);
    // The timers the reply brings (a probe, an async round's nudge) are scheduled before it is
    // stored, so a crash between the two cannot leave a stored reply without them; one whose
    // reply was not stored after all (the store failed) finds nothing to do when it fires. Their
    // ids name the round second they count from, so a resend's are timers of their own.
    const foreseen = receive(ctx, session, text, now, messageId);
    await Promise.all(foreseen.timers.map((timer) => this.o.scheduler.schedule(timer)));
    let outcome: Outcome | undefined;
    // The reply and what it changes in the round (replies, hypothesis, probes) are stored in one
    // step: a failure leaves neither, so "send it again" is true and a resend is taken.
    const { stored } = await this.o.store.addReply(
      session.id,
      {
        id: messageId,
        role: 'candidate',
        author: origin.user,
        at: roundSeconds(session, now),
        text,
      },
      (s) => {
        outcome = s.status === 'active' ? receive(ctx, s, text, now, messageId) : undefined;
        return outcome?.session;
      },
    );
    if (stored && outcome) {
      // The round changed between the read and the write: what it brings now is scheduled too;
      // the nudge of the candidate's previous move is cancelled, now that this one is stored.
      const ahead = new Set(foreseen.timers.map((t) => t.id));
      const late = outcome.timers.filter((t) => !ahead.has(t.id));
      await Promise.all([
        ...late.map((timer) => this.o.scheduler.schedule(timer)),
        outcome.superseded ? this.o.scheduler.cancel(outcome.superseded) : undefined,
      ]);
    }
    return {};
  }

  /**
   * Withdraws a deleted message from its round's transcript: the answer under its id (or, when
   * the deletion comes first, the message the platform may still deliver) is kept as `withdrawn`
   * with no text, so no scorecard, export or history quotes it. Nothing is answered: the person
   * deleted it. While the round runs it no longer counts as said (a round whose every answer was
   * deleted closes as silent, and stays out of trends), and a probe it brought that has not been
   * asked is not asked; what else it changed stays (the reply count behind the nudges, a
   * hypothesis noted), and a scorecard already posted is not changed. The interviewer's own lines
   * and the bot's answers are not the candidate's to take back. A deletion the platform tells of
   * twice, or that two processes handle at once, is counted once: the store withdraws and counts in
   * one step.
   */
  async withdraw(command: Extract<Command, { kind: 'withdraw' }>): Promise<CommandResult> {
    const session = await this.o.store.findByThread(command.origin.thread);
    if (!session) return {};
    let unasked: TimerRef[] = [];
    // The author and time stand for a deletion that came before its message; a stored answer
    // keeps its own.
    await this.o.store.withdrawMessage(
      session.id,
      {
        id: command.messageId,
        role: 'withdrawn',
        author: command.origin.user,
        at: roundSeconds(session, this.o.clock.now()),
        text: '',
      },
      (s) => {
        const after = withdrawAnswer(s, command.messageId);
        unasked = after ? withdrawnProbes(s, after) : [];
        return after;
      },
    );
    // The probe it brought, no longer to be asked, leaves the queue.
    if (unasked.length > 0) await this.o.scheduler.cancel(unasked);
    return {};
  }

  /**
   * An answer edited while its round runs: the transcript keeps what was first sent, and the
   * candidate is told so, once a round, so an edit that matters is sent again as a new reply.
   */
  async edited(command: Extract<Command, { kind: 'edited' }>): Promise<CommandResult> {
    const session = await this.o.store.findByThread(command.origin.thread);
    if (session?.status !== 'active' || session.toldEdit) return {};
    if (!session.candidates.includes(command.origin.user)) return {};
    const stored = await this.o.store.message(session.id, command.messageId);
    if (stored?.role !== 'candidate') return {};
    return (await this.firstTelling(session, 'toldEdit'))
      ? { card: noticeCard(refusals.editNotTaken()) }
      : {};
  }

  /**
   * Notes that the person was told what a round says once (`flag`), in one step with the check;
   * false when they were told already (another delivery of the same message, another process).
   */
  private async firstTelling(session: Session, flag: 'toldOver' | 'toldEdit'): Promise<boolean> {
    const told = await this.o.store.update(session.id, (s) =>
      s[flag] ? undefined : { ...s, [flag]: true },
    );
    return told !== undefined;
  }

  /**
   * Records a message that is no answer (a command word, a refused reply) under its message id;
   * false when it was recorded already (the platform delivered it again).
   */
  private recordOnce(
    session: Session,
    reply: Extract<Command, { kind: 'reply' }>,
    role: 'command' | 'refused',
    text: string,
  ): Promise<boolean> {
    return this.o.store.addMessage(session.id, {
      id: reply.messageId,
      role,
      author: reply.origin.user,
      at: roundSeconds(session, this.o.clock.now()),
      text,
    });
  }

  /**
   * Why a reply to a running round is not taken (empty or only attachments, past the round's
   * limit, too long).
   */
  private refusalOf(session: Session, text: string, attachments: number): string | undefined {
    if (text.trim().length === 0) {
      return attachments > 0 ? refusals.attachmentsOnly() : refusals.emptyReply();
    }
    const most = this.o.limits?.repliesPerRound;
    if (most !== undefined && session.replies >= most) return refusals.tooManyReplies(most);
    if (text.length > MAX_REPLY_CHARS) return refusals.replyTooLong(text.length, MAX_REPLY_CHARS);
    return undefined;
  }
}
