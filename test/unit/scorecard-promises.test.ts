import { describe, expect, it } from 'vitest';
import { createScorer } from '../../app/scorer.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Scorecard } from '../../src/scoring/scorecard.js';
import type { Transcript } from '../../src/transcript.js';
import { candidate, round, shippedLibrary } from './harness.js';

// What the card promises a candidate, checked on answers written as candidates write them: a
// claim after a lead-in or as a bullet list, a hypothesis only ever asked, a control put in words,
// a power calculation, technologies named in passing, a transcript written by hand.

async function card(transcript: Transcript): Promise<Scorecard> {
  const { rubric } = await shippedLibrary();
  return scoreHeuristically(rubric, transcript);
}

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
    const library = await shippedLibrary();
    const scorer = createScorer(
      loadConfig({}),
      library,
      createLogger({ quiet: true }),
      'heuristic',
    );
    const scored = await scorer.score({
      prompt,
      ...(promptId ? { promptId } : {}),
      minutes: 45,
      messages: [candidate(60, 'I expect the change to help.')],
    });
    expect(scored.reference?.hypothesis).toBeTruthy();
  });

  it('leaves it out for a prompt the library does not have', async () => {
    const library = await shippedLibrary();
    const scorer = createScorer(
      loadConfig({}),
      library,
      createLogger({ quiet: true }),
      'heuristic',
    );
    const scored = await scorer.score({
      prompt: 'Design a URL shortener.',
      minutes: 45,
      messages: [candidate(60, 'I expect the change to help.')],
    });
    expect(scored.reference).toBeUndefined();
  });
});
