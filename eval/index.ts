// `npm run eval:scorer [-- --engine heuristic|llm] [--verbose]`: how well an engine agrees with the
// labelled transcripts of test/fixtures/transcripts, with the targets next to the figures.
import { parseArgs } from 'node:util';
import { createScorer, type Engine } from '../app/scorer.js';
import { loadLibrary } from '../rubric/load.js';
import { loadConfig } from '../src/config.js';
import { createLogger } from '../src/logger.js';
import { evaluate } from './evaluate.js';
import { loadLabelledSet } from './labelled-set.js';

const { values } = parseArgs({
  options: { engine: { type: 'string' }, verbose: { type: 'boolean' } },
});
const config = loadConfig();
const library = await loadLibrary(config);
const engines: Engine[] = values.engine
  ? [values.engine as Engine]
  : config.openai
    ? ['heuristic', 'llm']
    : ['heuristic'];
const set = await loadLabelledSet();
const fmt = (n: number) => n.toFixed(3);
const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');

for (const engine of engines) {
  const e = await evaluate(
    createScorer(config, library, createLogger({ quiet: true }), engine),
    set,
  );
  console.log(`\nengine: ${engine} (${e.transcripts} labelled transcripts)`);
  console.table({
    'Spearman (overall vs label)': {
      value: fmt(e.spearman),
      target: '≥ 0.85',
      result: mark(e.spearman >= 0.85),
    },
    'pairwise ranking accuracy (gap ≥ 15)': {
      value: fmt(e.pairwiseAccuracy),
      target: '',
      result: '',
    },
    'mean quadratic weighted kappa': {
      value: fmt(e.meanKappa),
      target: '≥ 0.6',
      result: mark(e.meanKappa >= 0.6),
    },
    ...Object.fromEntries(
      Object.entries(e.kappa).map(([id, k]) => [
        `  kappa ${id}`,
        { value: fmt(k), target: '', result: '' },
      ]),
    ),
    'red-flag precision': { value: fmt(e.flags.precision), target: '', result: '' },
    'red-flag recall': { value: fmt(e.flags.recall), target: '', result: '' },
    'red-flag F1': { value: fmt(e.flags.f1), target: '≥ 0.8', result: mark(e.flags.f1 >= 0.8) },
    'overall change under padding': {
      value: e.paddingDelta.toFixed(1),
      target: '≈ 0 or lower',
      result: '',
    },
    'overall change under keyword stuffing': {
      value: e.stuffingDelta.toFixed(1),
      target: '≈ 0',
      result: '',
    },
  });
  if (values.verbose)
    console.table(
      e.rows.map((r) => ({ ...r, flags: r.flags.join(' '), truth: r.truth.join(' ') })),
    );
}
