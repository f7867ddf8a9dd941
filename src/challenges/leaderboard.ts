import type { Rubric } from '../../rubric/schema.js';
import type { SessionStore } from '../ports/session-store.js';
import type { Leaderboard, LeaderboardRow } from '../presentation/challenge-cards.js';
import type { Scorecard } from '../scoring/scorecard.js';
import { answersStanding } from '../session.js';

/** The criterion whose best-quoted sentence the leaderboard shows. */
const HYPOTHESIS = 'hypothesis';

/**
 * The leaderboard of a challenge from its attempts' scorecards: ranked people by overall score
 * (equal scores share a rank), each one's strongest criterion, the strongest hypothesis sentence
 * of a ranked person, how many took part unranked, and how many attempts are still running.
 * Attempts of people who since deleted their rounds, or who said nothing in them (a Start pressed
 * by mistake), are left out.
 */
export async function buildLeaderboard(o: {
  readonly title: string;
  readonly rubric: Rubric;
  /** User id → round id. */
  readonly attempts: ReadonlyMap<string, string>;
  readonly unranked: ReadonlySet<string>;
  readonly sessions: SessionStore;
}): Promise<Leaderboard> {
  let running = 0;
  let unranked = 0;
  const scored: { user: string; card: Scorecard }[] = [];
  for (const [user, sessionId] of o.attempts) {
    const session = await o.sessions.get(sessionId);
    if (!session) continue;
    if (session.status !== 'done') {
      running++;
      continue;
    }
    if (answersStanding(session) === 0) continue;
    const card = await o.sessions.getScorecard(sessionId);
    if (!card) continue;
    if (o.unranked.has(user)) unranked++;
    else scored.push({ user, card });
  }
  scored.sort((a, b) => b.card.overall - a.card.overall || a.user.localeCompare(b.user));
  const rows = scored.map(
    ({ user, card }): LeaderboardRow => ({
      rank: 1 + scored.filter((other) => other.card.overall > card.overall).length,
      user,
      overall: card.overall,
      band: card.band,
      strongest: strongest(card, o.rubric),
    }),
  );
  const hypothesis = bestHypothesis(scored);
  return { title: o.title, rows, unranked, running, ...(hypothesis ? { hypothesis } : {}) };
}

/** The name of the card's highest-level criterion; between equals, the heavier one. */
function strongest(card: Scorecard, rubric: Rubric): string {
  const [best] = [...card.criteria].sort((a, b) => b.level - a.level || b.weight - a.weight);
  return best?.name ?? rubric.criteria[0]?.name ?? '';
}

/** The first quote of the highest hypothesis level among the ranked; between equals, the higher overall. */
function bestHypothesis(
  scored: readonly { readonly user: string; readonly card: Scorecard }[],
): { quote: string; user: string } | undefined {
  let best: { quote: string; user: string; level: number; overall: number } | undefined;
  for (const { user, card } of scored) {
    const criterion = card.criteria.find((c) => c.id === HYPOTHESIS);
    const quote = criterion?.evidence[0]?.quote;
    if (!criterion || !quote || criterion.level === 0) continue;
    const better =
      !best ||
      criterion.level > best.level ||
      (criterion.level === best.level && card.overall > best.overall);
    if (better) best = { quote, user, level: criterion.level, overall: card.overall };
  }
  return best && { quote: best.quote, user: best.user };
}
