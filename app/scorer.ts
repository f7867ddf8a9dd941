import { OpenAI } from 'openai';
import type { Library } from '../rubric/load.js';
import type { Reference } from '../rubric/schema.js';
import type { Config } from '../src/config.js';
import { UserError } from '../src/errors.js';
import type { Logger } from '../src/logger.js';
import type { Scorer } from '../src/ports/scorer.js';
import { HeuristicScorer } from '../src/scoring/heuristic/heuristic-scorer.js';
import { HYPOTHESIS_TEMPLATE } from '../src/scoring/heuristic/improvements.js';
import { LlmScorer } from '../src/scoring/llm/llm-scorer.js';
import type { Transcript } from '../src/transcript.js';
import { ThreadedScorer } from './threaded-scorer.js';

export type Engine = 'heuristic' | 'llm';

/**
 * The scoring engine: the LLM judge (with the heuristic as cross-check and fallback) when
 * `OPENAI_API_KEY` is set, otherwise the heuristic. `engine` forces one. A process that serves
 * rounds scores `threaded`: the heuristic runs on a thread of its own, so a long transcript never
 * holds up the other rounds' events.
 */
export function createScorer(
  config: Config,
  library: Library,
  logger: Logger,
  engine?: Engine,
  threaded = false,
): Scorer {
  const references = referencesOf(library);
  return withReferences(
    engineFor(config, library, logger, references, engine, threaded),
    references,
    promptsByText(library),
  );
}

/** Shortest start of a prompt's text that names it (see `promptIdOf`). */
const MIN_PROMPT_START = 40;

/** A prompt's text or title as compared: lower case, single spaces, no closing punctuation. */
function promptKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/[.:!?]+$/, '');
}

/** The library's prompt ids by their text and by their title (see `promptKey`). */
function promptsByText(library: Library): ReadonlyMap<string, string> {
  const ids = new Map<string, string>();
  for (const [id, prompt] of library.prompts) {
    ids.set(promptKey(prompt.prompt), id);
    ids.set(promptKey(prompt.title), id);
  }
  return ids;
}

/**
 * The library prompt a transcript is a round of: its `promptId`, or for a transcript written by
 * hand without one (the README's format), the prompt whose text or title it gives, or whose text
 * it gives the start of ("Design a platform for evaluating alignment-feedback loops in LLMs.").
 */
function promptIdOf(
  transcript: Transcript,
  byText: ReadonlyMap<string, string>,
): string | undefined {
  if (transcript.promptId) return transcript.promptId;
  const key = promptKey(transcript.prompt);
  const exact = byText.get(key);
  if (exact || key.length < MIN_PROMPT_START) return exact;
  const starts = new Set([...byText].filter(([text]) => text.startsWith(key)).map(([, id]) => id));
  return starts.size === 1 ? [...starts][0] : undefined;
}

/** The prompts' reference answers by prompt id. */
function referencesOf(library: Library): ReadonlyMap<string, Reference> {
  const references = new Map<string, Reference>();
  for (const [id, prompt] of library.prompts)
    if (prompt.reference) references.set(id, prompt.reference);
  return references;
}

/**
 * Tells the engine which library prompt a transcript is a round of, when it names it only by its
 * text, and ends every card with what a strong answer to its prompt looked like, when it has one,
 * and offers that answer's hypothesis, written for this very prompt, where the card would
 * otherwise rewrite the candidate's hypothesis as a template to fill in.
 */
function withReferences(
  scorer: Scorer,
  references: ReadonlyMap<string, Reference>,
  byText: ReadonlyMap<string, string>,
): Scorer {
  return {
    name: scorer.name,
    concurrency: scorer.concurrency,
    async score(given) {
      // The engine is told which prompt it is too (the LLM judge takes its reference by id).
      const id = promptIdOf(given, byText);
      const transcript = id && !given.promptId ? { ...given, promptId: id } : given;
      const card = await scorer.score(transcript);
      const reference = id ? references.get(id) : undefined;
      if (!reference) return card;
      const improvements = card.improvements.map((i) =>
        i.after === HYPOTHESIS_TEMPLATE ? { ...i, after: reference.hypothesis } : i,
      );
      return { ...card, improvements, reference };
    },
  };
}

function engineFor(
  config: Config,
  library: Library,
  logger: Logger,
  references: ReadonlyMap<string, Reference>,
  engine: Engine | undefined,
  threaded: boolean,
): Scorer {
  const heuristic = threaded
    ? new ThreadedScorer(library.rubric).warm()
    : new HeuristicScorer(library.rubric);
  const wanted = engine ?? (config.openai ? 'llm' : 'heuristic');
  if (wanted === 'heuristic') return heuristic;
  if (!config.openai) {
    throw new UserError(
      '--engine llm needs OPENAI_API_KEY (and OPENAI_BASE_URL for a local OpenAI-compatible server).',
    );
  }
  const client = new OpenAI({ apiKey: config.openai.apiKey, baseURL: config.openai.baseUrl });
  return new LlmScorer({
    rubric: library.rubric,
    client,
    model: config.openai.model,
    fallback: heuristic,
    logger,
    references,
  });
}
