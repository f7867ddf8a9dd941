import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { TranscriptSchema } from '../src/transcript.js';
import type { Judgement } from './evaluate.js';
import type { Label, LabelledTranscript } from './labelled-set.js';

/**
 * The labelled corpus of `eval/labelled/` (see its README): transcripts written to read like real
 * candidates, labelled by two annotators independently from `docs/labelling.md`, disagreements
 * adjudicated. A fixed part of it is held out: scored only when reporting, never while tuning.
 */
export const CORPUS_DIR = join(import.meta.dirname, 'labelled');

const JudgementSchema = z.object({
  levels: z.record(z.string(), z.number().int().min(0).max(4)),
  flags: z.array(z.string()),
  overall: z.number().min(0).max(100),
  note: z.string().optional(),
});

const Labels = z.record(z.string(), JudgementSchema);
const Styles = z.record(z.string(), z.object({ style: z.string(), intent: z.string() }));
const Part = z.object({ rule: z.string(), heldOut: z.array(z.string()).min(40) });
const Split = Part.extend({ fresh: Part, third: Part });

export interface Corpus {
  /** The part tuning may look at. */
  readonly development: readonly LabelledTranscript[];
  /** The held-out part: never scored while tuning. */
  readonly heldOut: readonly LabelledTranscript[];
  /** How the held-out part was chosen (fixed once, before any tuning). */
  readonly splitRule: string;
  /**
   * The fresh held-out part: transcripts written and labelled after the held-out part had been
   * scored in several reports, never scored before they were added; held out the same way.
   */
  readonly fresh: readonly LabelledTranscript[];
  /** How the fresh part was chosen. */
  readonly freshRule: string;
  /**
   * The third held-out part: written and labelled once the fresh part had been scored twice and
   * then used to choose the red-flag rules; never scored before it was added.
   */
  readonly third: readonly LabelledTranscript[];
  /** How the third part was chosen. */
  readonly thirdRule: string;
  /** Each annotator's own labels, by transcript id, before adjudication. */
  readonly annotators: Readonly<Record<string, ReadonlyMap<string, Judgement>>>;
}

const readJson = async (path: string): Promise<unknown> => JSON.parse(await readFile(path, 'utf8'));

/** The kind of answer a writing style stands for, as the earlier set named them. */
function kindOf(style: string): Label['kind'] {
  if (style.startsWith('strong') || style === 'non-native-strong' || style === 'bullets-strong') {
    return 'strong';
  }
  if (style.startsWith('weak') || style === 'bullets-weak') return 'weak';
  if (style.startsWith('mixed') || style === 'non-native-mixed' || style === 'early-end') {
    return 'mixed';
  }
  return 'tricky';
}

/** Loads the corpus; a transcript without a label, or a label without a transcript, is an error. */
export async function loadCorpus(dir = CORPUS_DIR): Promise<Corpus> {
  const labels = Labels.parse(await readJson(join(dir, 'labels.json')));
  const split = Split.parse(await readJson(join(dir, 'split.json')));
  const styles: Record<string, { style: string }> = {};
  for (const file of (await readdir(join(dir, 'writers'))).filter((f) => f.endsWith('.json'))) {
    Object.assign(styles, Styles.parse(await readJson(join(dir, 'writers', file))));
  }
  const annotators: Record<string, Map<string, Judgement>> = {};
  for (const file of (await readdir(join(dir, 'annotations'))).filter((f) => f.endsWith('.json'))) {
    const who = file.split('-')[0] as string;
    annotators[who] ??= new Map();
    for (const [id, label] of Object.entries(
      Labels.parse(await readJson(join(dir, 'annotations', file))),
    )) {
      annotators[who].set(id, label);
    }
  }
  const files = (await readdir(join(dir, 'transcripts'))).filter((f) => f.endsWith('.json')).sort();
  const items = await Promise.all(
    files.map(async (file): Promise<LabelledTranscript> => {
      const id = file.replace(/\.json$/, '');
      const label = labels[id];
      if (!label) throw new Error(`eval/labelled: ${id} has no label in labels.json`);
      const style = styles[id]?.style ?? 'unknown';
      return {
        file: id,
        transcript: TranscriptSchema.parse(await readJson(join(dir, 'transcripts', file))),
        label: { ...label, kind: kindOf(style), case: style },
      };
    }),
  );
  const unknown = Object.keys(labels).filter((id) => !files.includes(`${id}.json`));
  if (unknown.length > 0) throw new Error(`eval/labelled: labels without a transcript: ${unknown}`);
  const held = new Set(split.heldOut);
  const fresh = new Set(split.fresh.heldOut);
  const third = new Set(split.third.heldOut);
  const out = new Set([...held, ...fresh, ...third]);
  return {
    development: items.filter((i) => !out.has(i.file)),
    heldOut: items.filter((i) => held.has(i.file)),
    splitRule: split.rule,
    fresh: items.filter((i) => fresh.has(i.file)),
    freshRule: split.fresh.rule,
    third: items.filter((i) => third.has(i.file)),
    thirdRule: split.third.rule,
    annotators,
  };
}

/** Every transcript of the corpus, development part first. */
export function everyTranscript(c: Corpus): readonly LabelledTranscript[] {
  return [...c.development, ...c.heldOut, ...c.fresh, ...c.third];
}
