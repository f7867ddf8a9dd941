import { describe, expect, it } from 'vitest';
import { buildLeaderboard } from '../../src/challenges/leaderboard.js';
import { MemorySessionStore } from '../../src/memory/memory-session-store.js';
import { cardText } from '../../src/presentation/card.js';
import { leaderboardCard } from '../../src/presentation/challenge-cards.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import { newSession } from '../../src/session.js';
import { shippedLibrary } from './harness.js';

/** A finished attempt of `user` with an overall score and per-criterion levels, and `replies` said. */
async function finished(
  store: MemorySessionStore,
  user: string,
  overall: number,
  levels: Record<string, number>,
  hypothesis = `${user} expects a 10% drop in errors against the baseline.`,
  replies = 3,
) {
  const { rubric } = await shippedLibrary();
  const id = `r${user}`;
  await store.create({
    ...newSession({
      id,
      platform: 'test',
      channel: 'test:W:C',
      thread: `test:W:C:${user}`,
      mode: 'live',
      promptId: 'p',
      minutes: 45,
      timeScale: 1,
      candidates: [user],
      startedAt: 0,
      firstPhase: 'framing',
    }),
    status: 'done',
    replies,
  });
  const card = {
    overall,
    band: overall >= 50 ? 'Hire' : 'No hire',
    criteria: rubric.criteria.map((c) => ({
      id: c.id,
      name: c.name,
      weight: c.weight,
      level: levels[c.id] ?? 0,
      rationale: '',
      evidence: c.id === 'hypothesis' ? [{ quote: hypothesis, at: 30 }] : [],
    })),
  } as unknown as Scorecard;
  await store.saveScorecard(id, card);
  return [user, id] as const;
}

describe('challenge leaderboards', () => {
  it('ranks by overall with shared ranks for ties, names each strongest criterion and the best hypothesis', async () => {
    const { rubric } = await shippedLibrary();
    const store = new MemorySessionStore();
    const attempts = new Map([
      await finished(store, 'UA', 70, { hypothesis: 3, scalability: 3 }),
      await finished(store, 'UB', 70, { hypothesis: 4, communication: 2 }),
      await finished(store, 'UC', 40, { risk: 2 }),
      await finished(store, 'UQUIET', 90, { hypothesis: 4 }, 'UQUIET must not be quoted.'),
      // A Start pressed by mistake: nothing said, so neither ranked nor counted.
      await finished(store, 'USILENT', 0, {}, 'USILENT said nothing.', 0),
    ]);
    attempts.set('URUN', 'rmissing-still-running');
    await store.create({
      ...newSession({
        id: 'rmissing-still-running',
        platform: 'test',
        channel: 'test:W:C',
        thread: 'test:W:C:URUN',
        mode: 'live',
        promptId: 'p',
        minutes: 45,
        timeScale: 1,
        candidates: ['URUN'],
        startedAt: 0,
        firstPhase: 'framing',
      }),
    });
    attempts.set('UGONE', 'rforgotten');
    const board = await buildLeaderboard({
      title: 'Prompt',
      rubric,
      attempts,
      unranked: new Set(['UQUIET']),
      sessions: store,
    });
    expect(board.rows.map((r) => [r.rank, r.user, r.strongest])).toEqual([
      [1, 'UA', 'Hypothesis definition'],
      [1, 'UB', 'Hypothesis definition'],
      [3, 'UC', 'Risk assessment'],
    ]);
    expect(board).toMatchObject({ unranked: 1, running: 1 });
    expect(board.hypothesis).toEqual({
      quote: 'UB expects a 10% drop in errors against the baseline.',
      user: 'UB',
    });
    const text = cardText(leaderboardCard(board));
    expect(text).not.toMatch(/UQUIET|90\/100|UGONE|USILENT/);
    expect(text).toMatch(/1 person took part unranked\.\n1 attempt still running/);
  });

  it('says so when nobody attempted', async () => {
    const { rubric } = await shippedLibrary();
    const board = await buildLeaderboard({
      title: 'Prompt',
      rubric,
      attempts: new Map(),
      unranked: new Set(),
      sessions: new MemorySessionStore(),
    });
    expect(cardText(leaderboardCard(board))).toMatch(/Nobody attempted this challenge/);
  });
});
