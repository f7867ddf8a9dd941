// `npx tsx eval/learned/fit.ts`: fits the engine's reader on the labelled corpus's fitting set (the
// development part and every held-out part but the newest, `fittingSet`) and writes
// src/scoring/heuristic/reader-model.json, and the technology flag's decider on the same set to
// src/scoring/heuristic/tie-model.json (generated files, left out of the formatter).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadLibrary } from '../../rubric/load.js';
import { fittingSet, loadCorpus } from '../corpus.js';
import { fitReaderOn } from './reader-fit.js';
import { fitTie, tieRows } from './tie-fit.js';

const { rubric } = await loadLibrary();
const seen = fittingSet(await loadCorpus());
/** What both models record they were fitted on (the reader adds its padded and stuffed copies). */
const fittedOn = (copies: string) =>
  `the development part and the held-out parts but the newest of eval/labelled (${seen.length} transcripts${copies}) by eval/learned/fit.ts`;
const model = fitReaderOn(rubric, seen, fittedOn(', each also padded and stuffed'));
const path = join(import.meta.dirname, '../../src/scoring/heuristic/reader-model.json');
await writeFile(path, `${JSON.stringify(model, null, 2)}\n`);
for (const [c, m] of Object.entries(model.criteria)) {
  console.log(`${c}: λ ${m.lambda}, cuts ${m.cuts.join(' / ')}`);
}
console.log(`wrote ${path}`);

const tie = fitTie(tieRows(rubric, seen), fittedOn(''));
const tiePath = join(import.meta.dirname, '../../src/scoring/heuristic/tie-model.json');
await writeFile(tiePath, `${JSON.stringify(tie, null, 1)}\n`);
console.log(`technology flag: ${Object.keys(tie.weights).length} features; wrote ${tiePath}`);
