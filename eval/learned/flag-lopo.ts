// `npx tsx eval/learned/flag-lopo.ts [--flags=a,b] [--lambda=3] [--rules-only]`: a learned decider
// for red flags, measured leaving one part of the corpus out at a time. Per flag, an L2 logistic
// regression over the reader's features and the rules' levels and flags (`--rules-only`: the
// rules' alone), fitted on the other parts and scored on the part left out; beside it the rules'
// own flags. Prints flag F1 (all five flags) per part and pooled. Every part but the newest is scored, held-out
// ones included: for research on parts already seen, never for a report.
import { parseArgs } from 'node:util';
import { loadLibrary } from '../../rubric/load.js';
import { loadCorpus, seenParts } from '../corpus.js';
import { precisionRecall } from '../metrics.js';
import { featuresOf } from './features.js';
import { fitLogistic, fitScaler, predictProb, scale } from './models.js';

const { values } = parseArgs({
  options: {
    flags: { type: 'string', default: 'tech_without_hypothesis' },
    lambda: { type: 'string', default: '3' },
    'rules-only': { type: 'boolean', default: false },
  },
});
const learned = values.flags.split(',');
const lambda = Number(values.lambda);
const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
// The newest held-out part stays out: nothing chosen here may have looked at it.
const parts = [{ name: 'development', items: corpus.development }, ...seenParts(corpus)];

interface Row {
  readonly part: string;
  readonly x: number[];
  readonly truth: ReadonlySet<string>;
  readonly rules: ReadonlySet<string>;
  readonly learned: Set<string>;
}

const rows: Row[] = parts.flatMap((p) =>
  p.items.map((t) => {
    const f = featuresOf(rubric, t.transcript);
    const rules = new Set(f.card.flags.map((x) => x.id));
    return {
      part: p.name,
      x: [...(values['rules-only'] ? [] : Object.values(f.generic)), ...Object.values(f.heuristic)],
      truth: new Set(t.label.flags),
      rules,
      learned: new Set(rules),
    };
  }),
);

for (const flag of learned) {
  for (const p of parts) {
    const train = rows.filter((r) => r.part !== p.name);
    const scaler = fitScaler(train.map((r) => r.x));
    const model = fitLogistic(
      train.map((r) => scale(scaler, r.x)),
      train.map((r) => (r.truth.has(flag) ? 1 : 0)),
      lambda,
    );
    for (const r of rows.filter((row) => row.part === p.name)) {
      if (predictProb(model, scale(scaler, r.x)) >= 0.5) r.learned.add(flag);
      else r.learned.delete(flag);
    }
  }
}

/** Flag F1 of `set`, as `pick` reads its flags (the evaluation's own measure). */
function f1(set: readonly Row[], pick: (r: Row) => ReadonlySet<string>): string {
  return precisionRecall(
    set.map((r) => [...r.truth]),
    set.map((r) => [...pick(r)]),
  ).f1.toFixed(3);
}

console.log(
  `learned: ${learned.join(', ')}; λ = ${lambda}${values['rules-only'] ? '; rules features only' : ''}`,
);
console.table(
  Object.fromEntries(
    [...parts.map((p) => p.name), 'pooled'].map((name) => {
      const set = name === 'pooled' ? rows : rows.filter((r) => r.part === name);
      return [name, { rules: f1(set, (r) => r.rules), learned: f1(set, (r) => r.learned) }];
    }),
  ),
);
