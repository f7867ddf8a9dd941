import { describe, expect, it } from 'vitest';
import { createScorer } from '../../app/scorer.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { candidate, shippedLibrary } from './harness.js';

// What the card promises a candidate, checked on answers written as candidates write them: a
// claim after a lead-in or as a bullet list, a hypothesis only ever asked, a control put in words,
// a power calculation, technologies named in passing, a transcript written by hand.

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
