import type { Library } from '../../rubric/load.js';
import type { Rubric } from '../../rubric/schema.js';
import type { SessionStore } from '../ports/session-store.js';
import type { DrillKind } from '../round/drills.js';
import type { Scorecard } from '../scoring/scorecard.js';
import { answersStanding, type SessionStatus } from '../session.js';
import { type Transcript, transcriptOf } from '../transcript.js';

/**
 * A person's round as their progress sees it: when, which prompt, how long, and its scorecard once
 * scored; with its transcript when asked for (export, the terminal's kept rounds).
 */
export interface KeptRound {
  readonly id: string;
  /** Epoch ms of the start. */
  readonly startedAt: number;
  readonly promptId: string;
  readonly title: string;
  readonly minutes: number;
  readonly status: SessionStatus;
  /** A drill's kind: scored on one criterion, so left out of trends and charts. */
  readonly drill?: DrillKind;
  /**
   * The candidate's replies; with none, the round is left out of trends, charts and `adaptive`
   * (a start pressed by mistake says nothing of skill). Absent in a round kept before it was.
   */
  readonly replies?: number;
  readonly scorecard?: Scorecard;
  readonly transcript?: Transcript;
}

/** The person's rounds on a platform, newest first, at most `limit`. */
export async function keptRounds(
  o: { readonly store: SessionStore; readonly library: Library },
  platform: string,
  user: string,
  limit: number,
  withTranscripts = false,
): Promise<KeptRound[]> {
  const sessions = await o.store.history(platform, user, limit);
  return Promise.all(
    sessions.map(async (s): Promise<KeptRound> => {
      const prompt = o.library.prompts.get(s.promptId);
      const scorecard = s.status === 'done' ? await o.store.getScorecard(s.id) : undefined;
      const transcript = withTranscripts
        ? transcriptOf(s, prompt ?? { prompt: s.promptId }, await o.store.messages(s.id))
        : undefined;
      return {
        id: s.id,
        startedAt: s.startedAt,
        promptId: s.promptId,
        title: prompt?.title ?? s.promptId,
        minutes: s.minutes,
        status: s.status,
        replies: answersStanding(s),
        ...(s.drill ? { drill: s.drill } : {}),
        ...(scorecard ? { scorecard } : {}),
        ...(transcript ? { transcript } : {}),
      };
    }),
  );
}

/**
 * The scored full rounds among `rounds` where the candidate said something, keeping their order:
 * what trends, charts and `adaptive` read (a drill's other criteria were never asked for).
 */
export function scored(
  rounds: readonly KeptRound[],
): (KeptRound & { readonly scorecard: Scorecard })[] {
  return rounds.filter(
    (r): r is KeptRound & { scorecard: Scorecard } =>
      r.scorecard !== undefined && !r.drill && r.replies !== 0,
  );
}

/** The chart of scored `rounds` (newest first): oldest to newest, overall and each level. */
export function chartSpecOf(rubric: Rubric, rounds: readonly KeptRound[]) {
  const points = scored(rounds)
    .map((r) => ({
      at: r.startedAt,
      overall: r.scorecard.overall,
      levels: Object.fromEntries(r.scorecard.criteria.map((c) => [c.id, c.level])),
    }))
    .reverse();
  return {
    title: 'mockdesign progress',
    criteria: rubric.criteria.map((c) => ({ id: c.id, label: c.name.split(/\s+/)[0] ?? c.name })),
    points,
  };
}
