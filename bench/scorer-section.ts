import { cpus } from 'node:os';
import { loadLabelledSet } from '../eval/labelled-set.js';
import { loadLibrary } from '../rubric/load.js';
import { sentences, words } from '../src/analysis/sentences.js';
import { scoreHeuristically } from '../src/scoring/heuristic/heuristic-scorer.js';
import { judgeMessages } from '../src/scoring/llm/judge-prompt.js';
import type { Transcript } from '../src/transcript.js';
import { writeResults } from './report.js';
import type { BenchSection } from './section.js';

/** Target of the scoring issue: heuristic transcripts per second on one core. */
const TARGET_PER_SECOND = 200;
/** OpenAI's rule of thumb for English text; the bench reports characters too. */
const CHARS_PER_TOKEN = 4;

/** Runs `fn` over `items` repeatedly for at least `ms`; returns items per second. */
function throughput<T>(items: readonly T[], fn: (item: T) => unknown, ms: number): number {
  for (const item of items) fn(item); // warm-up
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    for (const item of items) fn(item);
    done += items.length;
  }
  return (done / (performance.now() - start)) * 1000;
}

/** The plain pass the heuristic is compared with: sentence-split and tokenize the same text. */
function tokenizeOnly(t: Transcript): number {
  let n = 0;
  for (const m of t.messages)
    if (m.role === 'candidate') for (const s of sentences(m.text)) n += words(s).length;
  return n;
}

export const scorerSection: BenchSection = {
  name: 'scorer',
  summary:
    'heuristic transcripts/s on 45-minute transcripts vs a tokenize-only pass; LLM prompt size',
  async run(ctx) {
    const { rubric } = await loadLibrary();
    const set = (await loadLabelledSet())
      .filter((s) => s.transcript.minutes === 45)
      .map((s) => s.transcript);
    const ms = ctx.options.quick ? 500 : 3000;
    const heuristic = throughput(set, (t) => scoreHeuristically(rubric, t), ms);
    const plain = throughput(set, tokenizeOnly, ms);
    const promptChars = set.map((t) =>
      judgeMessages(rubric, t).reduce((n, m) => n + String(m.content).length, 0),
    );
    const meanChars = promptChars.reduce((a, b) => a + b, 0) / promptChars.length;
    const candidateWords = set.map((t) => tokenizeOnly(t));
    const result = {
      transcripts: set.length,
      meanCandidateWords: Math.round(candidateWords.reduce((a, b) => a + b, 0) / set.length),
      heuristicPerSecond: Math.round(heuristic),
      tokenizeOnlyPerSecond: Math.round(plain),
      heuristicCostVsTokenize: Math.round((plain / heuristic) * 10) / 10,
      llmPromptChars: { mean: Math.round(meanChars), max: Math.max(...promptChars) },
      llmPromptTokensEstimate: {
        mean: Math.round(meanChars / CHARS_PER_TOKEN),
        max: Math.round(Math.max(...promptChars) / CHARS_PER_TOKEN),
      },
      target: { heuristicPerSecond: TARGET_PER_SECOND, met: heuristic >= TARGET_PER_SECOND },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
      },
    };
    ctx.log('');
    ctx.log(
      `scorer: ${set.length} labelled 45-minute transcripts (${result.meanCandidateWords} candidate words on average), one core`,
    );
    ctx.log('  pass                     transcripts/s');
    ctx.log(
      `  heuristic scorer         ${String(result.heuristicPerSecond).padStart(12)}   target ≥ ${TARGET_PER_SECOND}: ${result.target.met ? 'PASS' : 'MISS'}`,
    );
    ctx.log(
      `  tokenize only (baseline) ${String(result.tokenizeOnlyPerSecond).padStart(12)}   (heuristic costs ${result.heuristicCostVsTokenize}× a plain pass)`,
    );
    ctx.log(
      `  LLM judge prompt: ${result.llmPromptChars.mean} characters on average (max ${result.llmPromptChars.max}) ≈ ${result.llmPromptTokensEstimate.mean} prompt tokens per scorecard (4 characters a token; one call per scorecard)`,
    );
    const kind = ctx.options.quick ? 'quick' : 'full';
    for (const path of await writeResults(ctx.options.resultsDir, 'scorer', kind, result))
      ctx.log(`  wrote ${path}`);
  },
};
