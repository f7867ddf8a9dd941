import { readFile } from 'node:fs/promises';
import { keptTranscript } from '../adapters/terminal/round-archive.js';
import { causeOf, TranscriptError } from '../src/errors.js';
import { candidateSpoke, type Transcript, TranscriptSchema } from '../src/transcript.js';

/** What a transcript looks like, for a message about a file that is not one. */
const SHAPE =
  'A transcript is JSON: { "prompt", "minutes", "messages": [{ "role", "at", "text" }] }.';

/** A control character JSON never holds as such (only tab and newlines): the file is not text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const NOT_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

/** What is not printable (controls, and U+FFFD where bytes were not UTF-8): not echoed back. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\ufffd]/g;

/**
 * Reads and validates a transcript file, an export (an array of transcripts) or a kept round's
 * file (`MOCKDESIGN_HOME/rounds/*.round.json`); every problem
 * names the file and where in it. A round of an export where nothing was said is left out, and
 * `onSkip` told why.
 */
export async function readTranscripts(
  file: string,
  onSkip?: (note: string) => void,
): Promise<{ readonly transcripts: Transcript[]; readonly fromExport: boolean }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = causeOf(error);
    if (code === 'ENOENT') throw new TranscriptError(`no such file: ${file}`);
    if (code === 'EISDIR') throw new TranscriptError(`${file} is a folder, not a transcript file`);
    throw new TranscriptError(`${file}: cannot read it (${code})`);
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new TranscriptError(`${file}: saved as UTF-16; save it as UTF-8. ${SHAPE}`);
  }
  let text = bytes.toString('utf8');
  // Editors on Windows save UTF-8 with a byte-order mark; JSON.parse refuses it.
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (NOT_TEXT.test(text)) {
    throw new TranscriptError(`${file}: not a transcript: it is not text. ${SHAPE}`);
  }
  if (text.trim() === '') throw new TranscriptError(`${file}: the file is empty. ${SHAPE}`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new TranscriptError(
      `${file}: not valid JSON (${(error as Error).message.replace(/\s+/g, ' ').replace(UNPRINTABLE, '?')}). ${SHAPE}`,
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
  // The file a terminal round was kept in (its path is shown as the round ends) holds one.
  const transcript = validTranscript(file, keptTranscript(data) ?? data, '');
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
