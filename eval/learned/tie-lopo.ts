// `npx tsx eval/learned/tie-lopo.ts`: the technology flag's decider (`tie-decider.ts`) fitted on
// every part of the fitting set but one and scored on the part left out, in turn, beside the
// rules' own flag: red-flag F1 (all five flags, the others the rules') and the technology flag's
// own F1, per part and pooled. What chose the decider. The newest part is never loaded. About a
// minute.
import { loadLibrary } from '../../rubric/load.js';
import { tieRaised } from '../../src/scoring/heuristic/tie-decider.js';
import { loadCorpus, seenParts } from '../corpus.js';
import { precisionRecall } from '../metrics.js';
import { fitTie, tieRows } from './tie-fit.js';

const FLAG = 'tech_without_hypothesis';
const { rubric } = await loadLibrary();
const corpus = await loadCorpus();
const parts = [{ name: 'development', items: corpus.development }, ...seenParts(corpus)];

const rows = parts.flatMap((p) =>
  tieRows(rubric, p.items).map((tie, i) => ({
    part: p.name,
    truth: p.items[i]?.label.flags ?? [],
    rules: [...tie.rules],
    tie,
    learned: [...tie.rules],
  })),
);
for (const p of parts) {
  const model = fitTie(
    rows.filter((r) => r.part !== p.name).map((r) => r.tie),
    p.name,
  );
  for (const r of rows.filter((row) => row.part === p.name)) {
    const others = r.rules.filter((f) => f !== FLAG);
    r.learned = tieRaised(model, r.tie.features) ? [...others, FLAG] : others;
  }
}

type Row = (typeof rows)[number];
const f1 = (set: readonly Row[], pick: (r: Row) => string[], only?: string) => {
  const keep = (flags: string[]) => (only ? flags.filter((f) => f === only) : flags);
  return precisionRecall(
    set.map((r) => keep(r.truth)),
    set.map((r) => keep(pick(r))),
  ).f1;
};
let better = 0;
let worse = 0;
const table: Record<string, Record<string, string>> = {};
for (const name of [...parts.map((p) => p.name), 'pooled']) {
  const set = name === 'pooled' ? rows : rows.filter((r) => r.part === name);
  const [a, b] = [f1(set, (r) => r.rules), f1(set, (r) => r.learned)];
  if (name !== 'pooled') {
    better += b > a ? 1 : 0;
    worse += b < a ? 1 : 0;
  }
  table[name] = {
    'flag F1, rules': a.toFixed(3),
    'flag F1, decider': b.toFixed(3),
    'technology F1, rules': f1(set, (r) => r.rules, FLAG).toFixed(3),
    'technology F1, decider': f1(set, (r) => r.learned, FLAG).toFixed(3),
  };
}
console.table(table);
console.log(`the decider reads better on ${better} parts, worse on ${worse}`);
