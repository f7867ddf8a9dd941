// `npm run eval:scorer [-- --engine heuristic|llm] [--verbose] [--development] [--corpus DIR]`: how
// well an engine agrees with the labelled corpus of eval/labelled/ (or DIR, laid out the same way),
// the development part and every held-out part side by side with how well the two annotators
// agree, and the targets (judged on the newest part: the only one no change to the engine has
// looked at).
import { parseArgs } from 'node:util';
import { createScorer, type Engine } from '../app/scorer.js';
import { loadLibrary } from '../rubric/load.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { type Corpus, loadCorpus } from './corpus.js';
import {
  type Agreement,
  agreement,
  type Evaluation,
  evaluate,
  type Judgement,
} from './evaluate.js';
import { GAMING, type LabelledTranscript } from './labelled-set.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string' },
    verbose: { type: 'boolean' },
    /** Scores the development part alone: what tuning looks at. */
    development: { type: 'boolean' },
    /** A labelled corpus laid out as eval/labelled/ (see its README), instead of that one. */
    corpus: { type: 'string' },
  },
});
const config = loadConfig();
const library = await loadLibrary(config);
const engines: Engine[] = values.engine
  ? [values.engine as Engine]
  : config.openai
    ? ['heuristic', 'llm']
    : ['heuristic'];
const corpus = await loadCorpus(values.corpus);
const fmt = (n: number | undefined) => (n === undefined ? '' : n.toFixed(3));

/** The two annotators' agreement on `part` (annotator a taken as the truth). */
function annotatorAgreement(c: Corpus, part: readonly LabelledTranscript[]): Agreement | undefined {
  const [a, b] = Object.values(c.annotators);
  if (!a || !b) return undefined;
  const pick = (m: ReadonlyMap<string, Judgement>) =>
    part.map((t) => m.get(t.file)).filter((j): j is Judgement => j !== undefined);
  return agreement(pick(a), pick(b));
}

/** The held-out parts, oldest first; the targets are judged on the newest. */
const PARTS = corpus.parts;
const JUDGED = PARTS.slice(-1).map((p) => p.name);

console.log(
  `labelled corpus: ${corpus.development.length} development + ${PARTS.map((p) => `${p.items.length} ${p.name}`).join(' + ')} held-out transcripts`,
);
for (const p of PARTS) console.log(`${p.name} part: ${p.rule}`);

for (const engine of engines) {
  const scorer = createScorer(config, library, createLogger({ quiet: true }), engine);
  const dev = await evaluate(scorer, corpus.development);
  const held: (Evaluation | undefined)[] = [];
  for (const p of PARTS)
    held.push(values.development ? undefined : await evaluate(scorer, p.items));
  const people = PARTS.map((p) => annotatorAgreement(corpus, p.items));
  const row = (
    name: string,
    // The annotators' agreement has no perturbation figures: those rows stay empty for it.
    of: (e: Agreement & Partial<Evaluation>) => number | undefined,
    target = '',
    pass?: (v: number) => boolean,
  ) => {
    const verdict = (e: Evaluation | undefined) => {
      const v = e && of(e);
      return v === undefined || !pass ? '' : pass(v) ? 'PASS' : 'MISS';
    };
    const judged = PARTS.flatMap((p, i) => (JUDGED.includes(p.name) ? [held[i]] : []));
    return {
      [name]: {
        development: fmt(of(dev)),
        ...Object.fromEntries(PARTS.map((p, i) => [p.name, fmt(held[i] && of(held[i]))])),
        [`annotators (${PARTS.map((p) => p.name).join(' / ')})`]: people
          .map((p) => (p ? fmt(of(p)) : '–'))
          .join(' / '),
        target,
        [`verdict (${JUDGED.join(' / ')})`]:
          pass && judged.every(Boolean) ? judged.map(verdict).join(' / ') : '',
      },
    };
  };
  const kappas = Object.keys(dev.kappa);
  console.log(`\nengine: ${engine}`);
  console.table({
    ...row(
      'Spearman (overall vs label)',
      (e) => e.spearman,
      '≥ 0.85',
      (v) => v >= 0.85,
    ),
    ...row('pairwise ranking accuracy (gap ≥ 15)', (e) => e.pairwiseAccuracy),
    ...row(
      'mean quadratic weighted kappa',
      (e) => e.meanKappa,
      '≥ 0.65',
      (v) => v >= 0.65,
    ),
    ...Object.assign(
      {},
      ...kappas.map((id) =>
        row(
          `  kappa ${id}`,
          (e) => e.kappa[id],
          '≥ 0.5',
          (v) => v >= 0.5,
        ),
      ),
    ),
    ...row('red-flag precision', (e) => e.flags.precision),
    ...row('red-flag recall', (e) => e.flags.recall),
    ...row(
      'red-flag F1',
      (e) => e.flags.f1,
      '≥ 0.8',
      (v) => v >= 0.8,
    ),
    ...row('mean abs. error (points)', (e) => e.meanAbsError),
    ...row('overall change under padding', (e) => e.paddingDelta, '≈ 0 or lower'),
    ...row('overall change under keyword stuffing', (e) => e.stuffingDelta, '≈ 0 or lower'),
  });
  if (engine === 'llm') {
    const of = (e: Evaluation | undefined) =>
      e === undefined
        ? 'not scored'
        : `${e.judged} of ${e.transcripts} judged by the LLM, ${e.tokensPerCard === undefined ? 'no tokens' : `${Math.round(e.tokensPerCard)} tokens per scorecard`}`;
    console.log(
      `development: ${of(dev)}; ${PARTS.map((p, i) => `${p.name}: ${of(held[i])}`).join('; ')}`,
    );
  }
  for (const [i, p] of PARTS.entries()) {
    const e = held[i];
    if (!e) continue;
    const gaming = e.rows.filter((r) => GAMING.includes(r.style ?? ''));
    console.log(
      `gaming transcripts in the ${p.name} part (target: within 10 points of the label):`,
    );
    console.table(
      gaming.map((r) => ({
        transcript: r.file,
        style: r.style,
        label: r.label,
        scored: r.predicted,
        result: Math.abs(r.predicted - r.label) <= 10 ? 'PASS' : 'MISS',
      })),
    );
  }
  if (values.verbose) {
    console.table(
      dev.rows.map((r) => ({ ...r, flags: r.flags.join(' '), truth: r.truth.join(' ') })),
    );
  }
}
