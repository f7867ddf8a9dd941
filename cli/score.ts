import { readFile } from 'node:fs/promises';
import { causeOf, TranscriptError } from '../src/errors.js';
import { candidateSpoke, type Transcript, TranscriptSchema } from '../src/transcript.js';

/**
 * Reads and validates a transcript file, or an export (an array of transcripts); every problem
 * names the file and where in it. A round of an export where nothing was said is left out, and
 * `onSkip` told why.
 */
export async function readTranscripts(
  file: string,
  onSkip?: (note: string) => void,
): Promise<{ readonly transcripts: Transcript[]; readonly fromExport: boolean }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new TranscriptError(`${file}: cannot read it (${causeOf(error)})`);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TranscriptError(
      `${file}: not valid JSON (${(error as Error).message.replace(/\s+/g, ' ')}). A transcript is { "prompt", "minutes", "messages": [{ "role", "at", "text" }] }.`,
    );
  }
  if (Array.isArray(data)) {
    if (data.length === 0) throw new TranscriptError(`${file}: the export holds no rounds.`);
    const rounds = data.map((item, i) => validTranscript(file, item, `[${i}]`));
    // A round of an export where nothing was said is left out; the others are still scored.
    const said = rounds.filter((t, i) => {
      if (candidateSpoke(t)) return true;
      onSkip?.(`${file} at [${i}]: has no candidate messages, so it is not scored.`);
      return false;
    });
    if (said.length === 0) {
      throw new TranscriptError(`${file}: no round of the export has candidate messages to score.`);
    }
    return { transcripts: said, fromExport: true };
  }
  const transcript = validTranscript(file, data, '');
  if (!candidateSpoke(transcript)) {
    throw new TranscriptError(`${file}: has no candidate messages, so there is nothing to score.`);
  }
  return { transcripts: [transcript], fromExport: false };
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
  return parsed.data;
}
