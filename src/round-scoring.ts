import type { Challenges } from './challenges/challenges.js';
import { MockdesignError } from './errors.js';
import type { Logger } from './logger.js';
import { SCORING_INTERRUPTED, type Scorer } from './ports/scorer.js';
import type { SessionStore } from './ports/session-store.js';
import { unscoredText } from './presentation/round-replies.js';
import { DRILLS } from './round/drills.js';
import type { RoundSteps } from './round-steps.js';
import type { Scorecard } from './scoring/scorecard.js';
import { SCORING_TRIES } from './session.js';
import { transcriptOf } from './transcript.js';

/**
 * Scores finished rounds, from their `score` timer: the scorecard posted through the outbox, the
 * round's challenge told, and a scorer that keeps failing on a round given up on after
 * `SCORING_TRIES`.
 */
export class RoundScoring {
  constructor(
    private readonly o: {
      readonly store: SessionStore;
      readonly scorer: Scorer;
      readonly logger: Logger;
      /** Commits the round's steps (done, a failure counted) and posts what they decide. */
      readonly steps: RoundSteps;
      /** Told of each round scored, or given up on; none when undefined (the terminal). */
      readonly challenges: Challenges | undefined;
    },
  ) {}

  /** Scores a finished round and posts its scorecard (through the outbox, like every post). */
  async score(sessionId: string): Promise<void> {
    const session = await this.o.store.get(sessionId);
    // A retried job whose round was scored before it failed still tells its challenge.
    if (session?.status === 'done') return this.o.challenges?.scored(session);
    if (session?.status !== 'scoring') return;
    const prompt = this.o.steps.context(session).prompt;
    const messages = await this.o.store.messages(sessionId);
    let scorecard: Scorecard;
    try {
      scorecard = await this.o.scorer.score(transcriptOf(session, prompt, messages));
    } catch (error) {
      return this.scoringFailed(sessionId, error);
    }
    await this.o.store.saveScorecard(sessionId, scorecard);
    const done = await this.o.steps.transition(sessionId, (s) =>
      s.status === 'scoring'
        ? {
            session: { ...s, status: 'done' },
            posts: [
              {
                kind: 'scorecard',
                scorecard,
                ...(s.drill ? { drill: DRILLS[s.drill] } : {}),
                ...(s.platform === 'terminal' ? { surface: 'terminal' as const } : {}),
              },
            ],
            timers: [],
            finished: false,
          }
        : undefined,
    );
    if (done) {
      await this.o.challenges?.scored(done.session);
      this.o.logger.info('round scored', {
        session: sessionId,
        overall: scorecard.overall,
        engine: scorecard.engine.name,
      });
    }
  }

  /**
   * Counts a failure of the scorer on a round, and throws it so the job tries again; at the
   * `SCORING_TRIES`th the round is done without a scorecard, and the candidate told so.
   */
  private async scoringFailed(sessionId: string, error: unknown): Promise<void> {
    if (error instanceof MockdesignError && error.code === SCORING_INTERRUPTED) throw error;
    const counted = await this.o.steps.transition(sessionId, (s) => {
      if (s.status !== 'scoring') return undefined;
      const failures = (s.scoringFailures ?? 0) + 1;
      const last = failures >= SCORING_TRIES;
      return {
        session: { ...s, scoringFailures: failures, ...(last ? { status: 'done' as const } : {}) },
        posts: last ? [{ kind: 'notice' as const, text: unscoredText(failures) }] : [],
        timers: [],
        finished: false,
      };
    });
    if (counted?.session.status !== 'done') throw error;
    this.o.logger.error('round not scored: scoring failed on it every time', {
      session: sessionId,
      tries: counted.session.scoringFailures,
      error,
    });
    await this.o.challenges?.scored(counted.session);
  }
}
