import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { everyTranscript, loadCorpus } from '../../eval/corpus.js';
import { agreement } from '../../eval/evaluate.js';

describe('the labelled corpus', () => {
  it('holds at least 120 labelled transcripts over every prompt, and every held-out part (listed) of 40 or more', async () => {
    const corpus = await loadCorpus();
    const all = everyTranscript(corpus);
    expect(all.length).toBeGreaterThanOrEqual(120);
    expect(corpus.parts.map((p) => p.name)).toEqual([
      'validation',
      'fresh',
      'third',
      'fourth',
      'fifth',
      'sixth',
      'seventh',
      'eighth',
      'ninth',
      'tenth',
      'eleventh',
      'twelfth',
      'thirteenth',
      'fourteenth',
      'fifteenth',
      'sixteenth',
      'seventeenth',
      'eighteenth',
      'nineteenth',
      'twentieth',
      'twenty-first',
      'twenty-second',
      'twenty-third',
      'twenty-fourth',
      'twenty-fifth',
      'twenty-sixth',
      'twenty-seventh',
      'twenty-eighth',
      'twenty-ninth',
      'thirtieth',
      'thirty-first',
      'thirty-second',
      'thirty-third',
      'thirty-fourth',
      'thirty-fifth',
      'thirty-sixth',
      'thirty-seventh',
      'thirty-eighth',
    ]);
    for (const part of corpus.parts) expect(part.items.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((t) => t.file)).size).toBe(all.length);
    const prompts = new Set(all.map((t) => t.transcript.promptId));
    expect(prompts.size).toBe(16);
    // Every style has transcripts on both sides of the split.
    const styles = (part: readonly (typeof all)[number][]) =>
      new Set(part.map((t) => t.label.case));
    for (const part of corpus.parts) expect(styles(part.items)).toEqual(styles(corpus.development));
  });

  it('has two annotators who each labelled every transcript', async () => {
    const corpus = await loadCorpus();
    const ids = everyTranscript(corpus).map((t) => t.file);
    const annotators = Object.values(corpus.annotators);
    expect(annotators).toHaveLength(2);
    for (const labels of annotators) expect(ids.every((id) => labels.has(id))).toBe(true);
  });

  it('measures agreement the same way for annotators and engines', () => {
    const same = { overall: 60, levels: { a: 2, b: 3 }, flags: ['x'] };
    const judged = [same, { overall: 30, levels: { a: 1, b: 0 }, flags: [] }];
    const perfect = agreement(judged, judged);
    expect(perfect.spearman).toBeCloseTo(1);
    expect(perfect.meanAbsError).toBe(0);
    expect(perfect.flags.f1).toBe(1);
    const off = agreement(judged, [{ ...same, overall: 70 }, judged[1] as typeof same]);
    expect(off.meanAbsError).toBe(5);
  });

  it('names the part of split.json that is malformed', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'corpus-'));
    try {
      for (const sub of ['writers', 'annotations', 'transcripts']) await mkdir(join(dir, sub));
      await writeFile(join(dir, 'labels.json'), '{}');
      const ids = Array.from({ length: 40 }, (_, n) => `t${n}`);
      await writeFile(
        join(dir, 'split.json'),
        JSON.stringify({ rule: 'r', heldOut: ids, fresh: { rule: 'r', heldOut: ids.slice(0, 3) } }),
      );
      await expect(loadCorpus(dir)).rejects.toThrow(/split\.json: part fresh:/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
