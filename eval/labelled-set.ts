import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { type Transcript, TranscriptSchema } from '../src/transcript.js';

/** The labelled transcripts of `test/fixtures/transcripts/`. */
export const LABELLED_DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'transcripts');

const LabelSchema = z.object({
  kind: z.enum(['strong', 'mixed', 'weak', 'tricky']),
  case: z.string(),
  overall: z.number().min(0).max(100),
  levels: z.record(z.string(), z.number().int().min(0).max(4)),
  flags: z.array(z.string()),
  note: z.string().optional(),
});

export type Label = z.infer<typeof LabelSchema>;

/**
 * Writing styles that game the scorer (keyword stuffing, padding, a note to the grader): their
 * held-out transcripts must score within 10 points of their labels.
 */
export const GAMING: readonly string[] = ['keyword-stuffing', 'padding', 'grader-note'];

export interface LabelledTranscript {
  readonly file: string;
  readonly transcript: Transcript;
  readonly label: Label;
}

export async function loadLabelledSet(dir = LABELLED_DIR): Promise<LabelledTranscript[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  return Promise.all(
    files.map(async (file) => {
      const data = JSON.parse(await readFile(join(dir, file), 'utf8')) as { label?: unknown };
      return {
        file,
        transcript: TranscriptSchema.parse(data),
        label: LabelSchema.parse(data.label),
      };
    }),
  );
}
