import { readFile } from 'node:fs/promises';
import { TranscriptError } from '../src/errors.js';
import { type Transcript, TranscriptSchema } from '../src/transcript.js';

/** Reads and validates a transcript file; every problem names the file and where in it. */
export async function readTranscript(file: string): Promise<Transcript> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TranscriptError(
      `${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? error})`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TranscriptError(
      `${file}: not valid JSON (${(error as Error).message}). A transcript is { "prompt", "minutes", "messages": [{ "role", "at", "text" }] }.`,
    );
  }
  const parsed = TranscriptSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : '(top level)';
    throw new TranscriptError(
      `${file}: at ${path}: ${issue?.message}. A transcript is { "prompt", "minutes", "messages": [{ "role": "candidate"|"interviewer", "at": seconds, "text" }] }.`,
    );
  }
  if (!parsed.data.messages.some((m) => m.role === 'candidate')) {
    throw new TranscriptError(`${file}: has no candidate messages, so there is nothing to score.`);
  }
  return parsed.data;
}
