import { readFile } from 'node:fs/promises';
import { TranscriptError } from '../src/errors.js';
import { type Transcript, TranscriptSchema } from '../src/transcript.js';

/**
 * Reads and validates a transcript file, or an export (an array of transcripts); every problem
 * names the file and where in it.
 */
export async function readTranscripts(file: string): Promise<Transcript[]> {
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
  if (Array.isArray(data)) {
    if (data.length === 0) throw new TranscriptError(`${file}: the export holds no rounds.`);
    return data.map((item, i) => validTranscript(file, item, `[${i}]`));
  }
  return [validTranscript(file, data, '')];
}

function validTranscript(file: string, data: unknown, where: string): Transcript {
  const parsed = TranscriptSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.length
      ? `${where}${where ? '.' : ''}${issue.path.join('.')}`
      : where || '(top level)';
    throw new TranscriptError(
      `${file}: at ${path}: ${issue?.message}. A transcript is { "prompt", "minutes", "messages": [{ "role": "candidate"|"interviewer", "at": seconds, "text" }] }.`,
    );
  }
  if (!parsed.data.messages.some((m) => m.role === 'candidate')) {
    throw new TranscriptError(
      `${file}${where ? ` at ${where}` : ''}: has no candidate messages, so there is nothing to score.`,
    );
  }
  return parsed.data;
}
