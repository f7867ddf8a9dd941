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
/**
 * `split.json`: the first held-out part (`rule`, `heldOut`), then each later one under its name,
 * oldest first (JSON keeps the order they were added in).
 */
const Split = z.record(z.string(), z.unknown());

/** A held-out part: never scored while tuning; how it was chosen, and its transcripts. */
export interface HeldOutPart {
  /** `validation`, `fresh`, `third`, ... as `split.json` names them, oldest first. */
  readonly name: string;
  /** How it was chosen (fixed once, before any tuning). */
  readonly rule: string;
  readonly items: readonly LabelledTranscript[];
}

export interface Corpus {
  /** The part tuning may look at. */
  readonly development: readonly LabelledTranscript[];
  /**
   * The held-out parts, oldest first: the first (now the validation part, designs are compared on
   * it), then each part written once the one before it had been scored (how each came to be, and
   * what was read of it since: `eval/labelled/README.md`).
   */
  readonly parts: readonly HeldOutPart[];
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
  const { rule, heldOut, ...later } = Split.parse(await readJson(join(dir, 'split.json')));
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
  const chosen = [
    { name: 'validation', ...heldOutOf('validation', { rule, heldOut }) },
    ...Object.entries(later).map(([name, part]) => ({ name, ...heldOutOf(name, part) })),
  ];
  const out = new Set(chosen.flatMap((p) => p.heldOut));
  return {
    development: items.filter((i) => !out.has(i.file)),
    parts: chosen.map(({ name, rule, heldOut }) => {
      const ids = new Set(heldOut);
      return { name, rule, items: items.filter((i) => ids.has(i.file)) };
    }),
    annotators,
  };
}

/** A part of `split.json`, checked: its rule and its 40 or more held-out ids. */
function heldOutOf(name: string, part: unknown): z.infer<typeof Part> {
  const parsed = Part.safeParse(part);
  if (!parsed.success) {
    throw new Error(`eval/labelled/split.json: part ${name}: ${parsed.error.message}`);
  }
  return parsed.data;
}

/** The held-out part called `name` in `split.json` (`validation`, `fresh`, `third`, ...). */
export function heldOutPart(c: Corpus, name: string): readonly LabelledTranscript[] {
  const part = c.parts.find((p) => p.name === name);
  if (!part) throw new Error(`eval/labelled: no held-out part called ${name}`);
  return part.items;
}

/** Every transcript of the corpus, development part first. */
export function everyTranscript(c: Corpus): readonly LabelledTranscript[] {
  return [...c.development, ...c.parts.flatMap((p) => p.items)];
}

/**
 * The held-out parts already scored and reported, and read for changes since: every one but the
 * newest, which stays the one nothing has looked at (see `eval/learned/README.md`, 2026-12-05).
 */
export function seenParts(c: Corpus): readonly HeldOutPart[] {
  return c.parts.slice(0, -1);
}

/** What the engine's reader is fitted on: the development part and every part seen. */
export function fittingSet(c: Corpus): readonly LabelledTranscript[] {
  return [...c.development, ...seenParts(c).flatMap((p) => p.items)];
}
