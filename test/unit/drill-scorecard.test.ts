import { describe, expect, it } from 'vitest';
import { words } from '../../src/analysis/sentences.js';
import { cardText } from '../../src/presentation/card.js';
import { drillCard } from '../../src/presentation/scorecard-card.js';
import { DRILL_CLOSING, DRILLS, type DrillKind } from '../../src/round/drills.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Transcript } from '../../src/transcript.js';
import { candidate, shippedLibrary } from './harness.js';

const PROMPT = 'Design a platform for evaluating alignment-feedback loops in LLMs.';

/**
 * A drill as a terminal or chat round records it: its one phase, its closing line, and when it
 * ended (at its time, or earlier when the candidate said `end`).
 */
function drill(kind: DrillKind, endedAt: number, ...messages: Transcript['messages']): Transcript {
  const { minutes } = DRILLS[kind];
  const closing = endedAt < minutes * 60 ? DRILL_CLOSING.early : DRILL_CLOSING.time;
  return {
    prompt: PROMPT,
    minutes,
    drill: kind,
    phases: [{ phase: 'framing', at: 0 }],
    endedAt,
    messages: [...messages, { role: 'interviewer', at: endedAt, text: closing }],
  };
}

const COMPLETE =
  'I hypothesize that training on the filtered feedback raises the helpfulness win rate by 5 points on our 2,000-prompt eval set compared with the current production model.';
const RISKS = [
  candidate(
    60,
    'Threats to validity: label noise from raters could fake a gain, so I would have 10% of items double-labelled and track agreement.',
  ),
  candidate(
    150,
    'Train/test leakage: prompts in the feedback set may overlap the eval set, so I dedup by n-gram overlap before every run.',
  ),
  candidate(
    220,
    'Drift: the user mix changes month to month, so I monitor the input distribution weekly and roll back if the metric moves more than 2 points.',
  ),
];

/** What a drill never asks for, so its card never speaks of it. */
const NOT_IN_A_DRILL = /framing|sketch|deep dive|pivot|\bround\b|interviewer/i;

describe("a drill's card speaks only of what the drill asks for and how it ran", () => {
  it.each([
    {
      name: 'a complete hypothesis typed in the drill’s first minute',
      transcript: drill('hypothesis', 120, candidate(50, COMPLETE)),
      level: 4,
      not: NOT_IN_A_DRILL,
    },
    {
      name: 'a hypothesis sized in a second message, a minute in',
      transcript: drill(
        'hypothesis',
        120,
        candidate(35, 'I think the filtered feedback will make the model more helpful.'),
        candidate(
          70,
          'Concretely: win rate up 5 points on 2,000 prompts against the current production model.',
        ),
      ),
      level: 4,
      not: NOT_IN_A_DRILL,
    },
    {
      name: 'a hypothesis missing its baseline and size, late in the drill',
      transcript: drill(
        'hypothesis',
        120,
        candidate(100, 'I expect the filtered feedback to raise the helpfulness win rate.'),
      ),
      not: NOT_IN_A_DRILL,
    },
    {
      name: 'a vague goal, never a claim',
      transcript: drill('hypothesis', 120, candidate(60, 'We should make the model better.')),
      not: NOT_IN_A_DRILL,
    },
    {
      name: 'a risks drill run to its time',
      transcript: drill('risks', 300, ...RISKS),
      not: /framing|pivot|\bround\b|comparison|ending .* early|hypothesis/i,
    },
    {
      name: 'a risks drill ended when the candidate was done',
      transcript: drill(
        'risks',
        40,
        candidate(
          30,
          'Label noise could fake a gain, so I double-label 10% of items. Leakage between feedback and eval sets, so I dedup. Drift, so I monitor weekly.',
        ),
      ),
      not: /framing|pivot|\bround\b|comparison|ending .* early|hypothesis/i,
    },
    {
      name: 'a trade-offs drill',
      transcript: drill(
        'tradeoffs',
        300,
        candidate(
          60,
          'Sharding the eval runs cuts p99 latency by 30% but doubles cost, which I would measure per run.',
        ),
        candidate(
          140,
          'Caching model outputs saves 40% of compute but risks stale results, which I would measure weekly.',
        ),
      ),
      not: /framing|pivot|\bround\b|hypothesis/i,
    },
  ])('$name', async ({ transcript, level, not }) => {
    const { rubric } = await shippedLibrary();
    const kind = transcript.drill as DrillKind;
    const card = scoreHeuristically(rubric, transcript);
    const text = cardText(drillCard(card, DRILLS[kind]));
    const shown = card.criteria.find((c) => c.id === DRILLS[kind].criterion);
    // The card's prompt and task lines are the drill's own; what is judged follows them.
    const judged = text.split('\n').slice(3).join('\n');
    expect(judged).not.toMatch(not);
    for (const i of card.improvements) expect(i.text).not.toMatch(not);
    if (level !== undefined) expect(shown?.level).toBe(level);
    // No red flag of a round (framing, pivot, technologies) judges a drill.
    expect(card.flags).toEqual([]);
    // Advice, when there is any, is on the drill's criterion, and the card shows it.
    expect(card.improvements.every((i) => i.criterion === DRILLS[kind].criterion)).toBe(true);
    if ((shown?.level ?? 0) < 4) expect(judged).toMatch(/Improvements\n1\. /);
  });
});

describe("a drill's level", () => {
  it.each([
    {
      name: 'a risks drill is not read down for technologies it never asked about',
      kind: 'risks' as const,
      answer: RISKS,
      extra: candidate(
        250,
        'The logs go through Kafka into Postgres, with Redis in front, Spark for batch jobs and Airflow to schedule them.',
      ),
    },
    {
      name: 'a hypothesis drill is not held at 1 for a framing window it does not have',
      kind: 'hypothesis' as const,
      answer: [candidate(10, 'Let me think about what would change.')],
      extra: candidate(50, COMPLETE),
    },
  ])('$name', async ({ kind, answer, extra }) => {
    const { rubric } = await shippedLibrary();
    const end = DRILLS[kind].minutes * 60;
    const level = (t: Transcript) =>
      scoreHeuristically(rubric, t).criteria.find((c) => c.id === DRILLS[kind].criterion)?.level;
    // What the drill asks for, said in its first seconds, reads the same as with the rest.
    const asked =
      kind === 'risks' ? drill(kind, end, ...answer) : drill(kind, end, { ...extra, at: 5 });
    expect(level(drill(kind, end, ...answer, extra))).toBe(level(asked));
  });
});

describe('a trade-offs drill', () => {
  // Five trade-offs, each sized on an outcome to measure: what the drill asks, done well.
  const TRADEOFFS = [
    'Sharding the eval runs cuts p99 latency by 30% but doubles cost, which I would measure per run.',
    'Caching model outputs saves 40% of compute but risks stale results, so I track the stale rate weekly.',
    'A bigger judge model raises agreement with raters from 0.7 to 0.8 but triples cost per 1,000 items.',
    'Streaming scores arrive in 2 minutes instead of 6 hours for batch, at twice the cost per day.',
    'Sampling 10% of traffic for review cuts rater cost by 90% but widens the error bars to about 3 points.',
  ].map((text, i) => candidate(30 + i * 50, text));

  it('is neither held down nor advised by an experiment it never asked to size', async () => {
    const { rubric } = await shippedLibrary();
    const card = scoreHeuristically(rubric, drill('tradeoffs', 300, ...TRADEOFFS));
    const shown = card.criteria.find((c) => c.id === 'scalability');
    const said = [shown?.rationale ?? '', ...card.improvements.map((i) => i.text)].join('\n');
    expect(said).not.toMatch(/experiment/i);
    expect(shown?.level).toBeGreaterThanOrEqual(3);
  });
});

describe("a drill's time in its JSON", () => {
  it.each([
    { kind: 'hypothesis' as const, transcript: drill('hypothesis', 120, candidate(50, COMPLETE)) },
    { kind: 'risks' as const, transcript: drill('risks', 300, ...RISKS) },
    {
      kind: 'risks' as const,
      transcript: drill('risks', 40, ...RISKS.slice(0, 1).map((m) => ({ ...m, at: 30 }))),
    },
  ])(
    'is one span named by the $kind drill, with no framing window',
    async ({ kind, transcript }) => {
      const { rubric } = await shippedLibrary();
      const { phaseDiscipline } = scoreHeuristically(rubric, transcript);
      const said = transcript.messages
        .filter((m) => m.role === 'candidate')
        .reduce((n, m) => n + words(m.text).length, 0);
      expect(phaseDiscipline.phases).toEqual([
        { id: 'drill', name: DRILLS[kind].name, seconds: transcript.endedAt, words: said },
      ]);
      expect(phaseDiscipline.hypothesisInFraming).toBe(false);
    },
  );
});
