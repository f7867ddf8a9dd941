import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createScorer } from '../../app/scorer.js';
import { words } from '../../src/analysis/sentences.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import type { Transcript } from '../../src/transcript.js';
import { candidate, round, shippedLibrary } from './harness.js';

// What the card promises a candidate, checked on answers written as candidates write them: a
// claim after a lead-in or as a bullet list, a hypothesis only ever asked, a control put in words,
// a power calculation, technologies named in passing, a transcript written by hand.

const interviewer = (at: number, text: string) => ({ role: 'interviewer' as const, at, text });
const SKETCH = interviewer(
  900,
  'Framing window closed. Now sketch the system as the instrument that tests your hypothesis: what varies, what is held fixed, what gets measured?',
);

async function card(transcript: Transcript): Promise<Scorecard> {
  const { rubric } = await shippedLibrary();
  return scoreHeuristically(rubric, transcript);
}

const criterion = (c: Scorecard, id: string) => c.criteria.find((x) => x.id === id);
const quotes = (c: Scorecard, id: string) => criterion(c, id)?.evidence.map((e) => e.quote) ?? [];

describe('each criterion quotes the sentences that earned its level', () => {
  it.each([
    {
      name: 'a claim opened by a lead-in sentence',
      text: "I'll start with what I think is going on. Filtering low-agreement feedback cuts the sycophancy rate from 20% to 15% against the unfiltered baseline.",
      holds: /20% to 15%.*unfiltered baseline/,
    },
    {
      name: 'a claim under a head, its numbers in the next sentences',
      text: 'Bet: the sycophancy comes from the feedback itself. Filtering low-agreement feedback cuts the sycophancy rate from 20% to 15%, against the unfiltered baseline.',
      holds: /20% to 15%/,
    },
    {
      name: 'a claim as a bullet list',
      text: 'Hypothesis:\n- filtering low-agreement feedback reduces the sycophancy rate\n- from ~20% to ~15%\n- vs the unfiltered baseline',
      holds: /20% to ~15%.*unfiltered baseline/,
    },
  ])('hypothesis: $name', async ({ text, holds }) => {
    const c = await card(round(candidate(60, text)));
    expect(criterion(c, 'hypothesis')?.level).toBe(4);
    expect(quotes(c, 'hypothesis')[0]).toMatch(holds);
  });
});

describe('no quote twice on one card', () => {
  /** The sentences (or bullet lines) a quote holds, as compared across the card. */
  const parts = (quote: string) =>
    quote
      .split(/ \/ |(?<=[.;?!])\s+/)
      .map((p) => words(p).join(' '))
      .filter((p) => p.split(' ').length >= 3);

  it.each([
    {
      name: 'bullet lines shared by two quotes',
      transcript: round(
        candidate(
          60,
          'Hypothesis:\n- filtering low-agreement feedback reduces the sycophancy rate\n- from ~20% to ~15%\n- vs the unfiltered baseline\n- on 2,000 held-out prompts',
        ),
        SKETCH,
        candidate(
          1000,
          'Risks:\n- labeller disagreement: double-label 20%\n- judge drift: re-check it monthly\n- leakage of eval prompts into training: keep them private',
        ),
      ),
    },
    {
      name: "a red flag's quote quoted again for a criterion",
      transcript: round(
        candidate(
          60,
          "I'd build the whole thing in Go, I've written a lot of Go and I know how to code it, with Kafka for events.",
        ),
        candidate(200, 'We would store 2M conversations a week, about 8 GB.'),
        SKETCH,
        candidate(1000, 'Then the dashboards show the win rate per checkpoint.'),
      ),
    },
  ])('$name', async ({ transcript }) => {
    const c = await card(transcript);
    // Two flags may quote one sentence, and the hypothesis keeps its claim where "no hypothesis
    // in framing" quotes it; no other criterion repeats a flag, the hypothesis or another.
    const flagged = new Set(c.flags.flatMap((f) => parts(f.quote)));
    const shown = c.criteria.flatMap((x) => x.evidence.flatMap((e) => parts(e.quote)));
    expect(shown.filter((p, i) => shown.indexOf(p) !== i)).toEqual([]);
    const others = c.criteria
      .filter((x) => x.id !== 'hypothesis')
      .flatMap((x) => x.evidence.flatMap((e) => parts(e.quote)));
    expect(others.filter((p) => flagged.has(p))).toEqual([]);
  });

  it('leaves no criterion that earned a level without a quote of its own', async () => {
    // The power sentence is scalability's only evidence, and one of experimental design's: it
    // goes to scalability.
    const c = await card(
      round(
        candidate(
          60,
          'I hypothesize that filtering low-agreement feedback cuts the error rate from 20% to 15% on a 2,000-prompt held-out set, compared with the unfiltered baseline.',
        ),
        candidate(
          300,
          'First, the data: we log every labelled pair with its agreement score, about 50k a week.',
        ),
        SKETCH,
        candidate(
          960,
          'Control: training on all feedback; treatment: training on filtered feedback. Prompt and decoding are held fixed.',
        ),
        candidate(
          1200,
          'Power: to detect 20% to 15% at 80% power we need about 900 prompts per arm, so 1,000 per arm.',
        ),
      ),
    );
    for (const x of c.criteria.filter((x) => x.level > 0)) {
      expect(x.evidence.length, x.id).toBeGreaterThan(0);
    }
    expect(quotes(c, 'scalability')[0]).toMatch(/^Power: to detect/);
  });
});

describe('the rationale agrees with the level and with the rest of the card', () => {
  it.each([
    {
      name: 'a hypothesis only ever asked is not called stated',
      transcript: round(
        candidate(
          60,
          'The question I want answered: does filtering low-agreement feedback reduce the sycophancy rate compared with the unfiltered baseline?',
        ),
      ),
      id: 'hypothesis',
      not: /never stated[^;]*, stated/,
    },
    {
      name: 'what came after the framing window is only what the later sentence said',
      transcript: round(
        candidate(
          60,
          'My hypothesis: filtering low-agreement feedback makes the model less sycophantic.',
        ),
        SKETCH,
        candidate(
          1000,
          'So the sycophancy rate will be lower than with the unfiltered baseline, I would compare it with that.',
        ),
      ),
      id: 'hypothesis',
      not: /quantity[^;]*came only after/,
    },
    {
      name: 'a scaling mechanism named with no reason is not praised as one with a reason',
      transcript: round(
        candidate(60, 'The feedback goes through a queue and then into the store.'),
        candidate(200, 'Everything is sharded.'),
      ),
      id: 'scalability',
      not: /Covers[^;]*a scaling mechanism with a reason/,
    },
    {
      name: 'samples sized with no scale named are not "not addressed" and sized at once',
      transcript: round(
        candidate(
          60,
          'I hypothesize that filtering low-agreement feedback cuts the error rate from 20% to 15% on a 2,000-prompt held-out set, compared with the unfiltered baseline.',
        ),
        SKETCH,
        candidate(
          960,
          'Control: all feedback; treatment: filtered feedback, 1,000 prompts per arm.',
        ),
        candidate(
          1200,
          'Step one: run the same checkpoint 10 times on the same prompts and decompose the variance.',
        ),
      ),
      id: 'scalability',
      not: /Not addressed; sized from|sized from[^.]*no number sizes any of it/,
    },
  ])('$name', async ({ transcript, id, not }) => {
    const c = await card(transcript);
    expect(criterion(c, id)?.rationale).not.toMatch(not);
  });

  // Two rounds of the labelled set's development part, where the answer to the pivot took it up
  // in substance ("Step one: run the same checkpoint 10× ...", "OK so we'd add a sycophancy eval
  // job ...") without the words the reader's pivot feature looks for.
  it.each(['alignment-feedback-loops-w104', 'agent-tool-use-sandbox-w109'])(
    'never says the pivot went unexplored where the card says it was met with curiosity (%s)',
    async (id) => {
      const file = new URL(`../../eval/labelled/transcripts/${id}.json`, import.meta.url);
      const c = await card(JSON.parse(await readFile(file, 'utf8')) as Transcript);
      expect(criterion(c, 'communication')?.rationale).toMatch(/meets changes with curiosity/);
      for (const x of c.criteria) {
        expect(x.rationale, x.id).not.toMatch(/not exploring what the pivot changes/);
      }
    },
  );
});

describe('improvements never ask for what the answer already does', () => {
  const asked = (c: Scorecard) => c.improvements.map((i) => i.text).join(' ');

  it.each([
    {
      name: 'a comparison with the current model is a control',
      text: 'Users are split 50/50 between the new model and the current production model, and we compare 7-day retention between the two groups; retention is the primary metric, unsafe responses the guard-rail.',
      not: /control or baseline/,
    },
    {
      name: '"Control: …; treatment: …" is a control',
      text: 'Control: the current retriever; treatment: top-20 plus a reranker, compared on the unsupported-claim rate.',
      not: /control or baseline/,
    },
    {
      name: 'an explicit power calculation is sample size and significance',
      text: 'The retriever varies and the generator is held fixed. It is an A/B test: control is the current retriever, treatment the reranker, which we can toggle off. The primary metric is the unsupported-claim rate on a golden set, with answer rate as a guard-rail. To detect a 4-point drop at 80% power and alpha 0.05 we need about 880 queries per arm.',
      not: /sample size or power|significance/,
    },
  ])('$name', async ({ text, not }) => {
    const c = await card(
      round(
        candidate(
          60,
          'I expect the change to cut the error rate from 12% to 8% against the current system.',
        ),
        SKETCH,
        candidate(960, text),
      ),
    );
    const design = criterion(c, 'experimental_design');
    expect(design?.rationale).not.toMatch(new RegExp(`missing[^;]*(?:${not.source})`));
    expect(asked(c)).not.toMatch(new RegExp(`Make the design[^.]*(?:${not.source})`));
  });

  it('asks a hypothesis only ever asked to be stated, not for parts it has', async () => {
    const c = await card(
      round(
        candidate(
          60,
          'The question I want answered: does filtering low-agreement feedback reduce the sycophancy rate from 20% to 15% compared with the unfiltered baseline?',
        ),
      ),
    );
    const advice = c.improvements.find((i) => i.criterion === 'hypothesis');
    expect(advice?.text).toMatch(/not (?:as )?a question/);
    expect(advice?.text).not.toMatch(/the metric, the baseline and the size of effect/);
    expect(advice?.before).toMatch(/^The question I want answered/);
  });
});

describe('rewrites make sense for what was named', () => {
  it.each([
    {
      tech: 'OAuth',
      text: 'Researchers sign in with OAuth.',
      not: /OAuth records the per-arm data/,
    },
    {
      tech: 'gRPC',
      text: 'The services talk to each other over gRPC.',
      not: /gRPC records the per-arm data/,
    },
    {
      tech: 'FastAPI',
      text: 'The grading service is a FastAPI app.',
      not: /FastAPI records the per-arm data/,
    },
    { tech: 'etcd', text: 'Configuration lives in etcd.', not: /etcd records the per-arm data/ },
    {
      tech: 'LangChain',
      text: 'The RAG pipeline is built with LangChain.',
      not: /LangChain records the per-arm data/,
    },
    {
      tech: 'Terraform',
      text: 'The cluster is set up with Terraform.',
      not: /Terraform runs every arm/,
    },
  ])('$tech', async ({ tech, text, not }) => {
    const c = await card(round(candidate(60, text)));
    const rewrite = c.improvements.find((i) => i.before)?.after ?? '';
    expect(rewrite).toMatch(new RegExp(`^${tech} `));
    expect(rewrite).not.toMatch(not);
    expect(rewrite).not.toMatch(/[<>]|to (?:improve|cut) the primary metric by/);
  });
});

/** The shipped library's heuristic scorer as the app composes it, references and all. */
async function shippedScorer() {
  const library = await shippedLibrary();
  return createScorer(loadConfig({}), library, createLogger({ quiet: true }), 'heuristic');
}

describe('the card ends with what a strong answer looked like', () => {
  it.each([
    {
      name: 'named by its id',
      prompt:
        'Design a system to measure and reduce hallucination in a retrieval-augmented generation product.',
      promptId: 'rag-hallucination-measurement',
    },
    {
      name: 'named only by its text',
      prompt:
        'Design a system to measure and reduce hallucination in a retrieval-augmented generation product.',
    },
    {
      name: 'named by the start of its text (the README example)',
      prompt: 'Design a platform for evaluating alignment-feedback loops in LLMs.',
    },
    { name: 'named by its title', prompt: 'Hallucination measurement in RAG' },
  ])('$name', async ({ prompt, promptId }) => {
    const scorer = await shippedScorer();
    const scored = await scorer.score({
      prompt,
      ...(promptId ? { promptId } : {}),
      minutes: 45,
      messages: [candidate(60, 'I expect the change to help.')],
    });
    expect(scored.reference?.hypothesis).toBeTruthy();
  });

  it('leaves it out for a prompt the library does not have', async () => {
    const scorer = await shippedScorer();
    const scored = await scorer.score({
      prompt: 'Design a URL shortener.',
      minutes: 45,
      messages: [candidate(60, 'I expect the change to help.')],
    });
    expect(scored.reference).toBeUndefined();
  });
});

describe('a hypothesis is sized by what the candidate says of their own', () => {
  const opener = interviewer(
    0,
    'Design a platform for evaluating alignment-feedback loops in LLMs.\n\nContext: A new checkpoint ships every two weeks, trained partly on feedback from about 2M rated conversations per cycle.',
  );
  const hypothesis = async (text: string) =>
    criterion(await card(round(opener, candidate(60, text))), 'hypothesis');

  it('reads a claim whose only number is the one the interviewer gave as unsized', async () => {
    const unsized = await hypothesis(
      'I expect that training on the 2M rated conversations per cycle raises the helpfulness win rate against the last checkpoint.',
    );
    expect(unsized?.level).toBeLessThan(4);
    expect(unsized?.rationale).toMatch(/missing quantity/);
    const sized = await hypothesis(
      'I expect that training on the 2M rated conversations per cycle raises the helpfulness win rate by 3 points against the last checkpoint.',
    );
    expect(sized?.level).toBe(4);
  });
});
