import { roundTime } from '../../presentation/format.js';
import { type Transcript, transcriptMode } from '../../transcript.js';
import { injectionIn, stripInvisible } from './untrusted-text.js';

/** One candidate message as the judge sees it, numbered from 1 in transcript order. */
export interface CandidateTurn {
  readonly turn: number;
  /** Round seconds of the message. */
  readonly at: number;
  readonly messageId?: string;
  /** The message with invisible and control characters removed. */
  readonly text: string;
}

/** A transcript made safe to show a model, with what was found on the way. */
export interface PreparedTranscript {
  /** The transcript with invisible characters stripped from every message. */
  readonly transcript: Transcript;
  readonly turns: readonly CandidateTurn[];
  /** Injection attempts and stripped characters, worded for the scorecard. */
  readonly warnings: readonly string[];
}

/**
 * Strips invisible characters from every message, numbers the candidate's turns and records
 * local evidence of prompt injection. The heuristic and the judge both score this cleaned copy.
 */
export function prepareTranscript(transcript: Transcript): PreparedTranscript {
  const warnings: string[] = [];
  const turns: CandidateTurn[] = [];
  let removed = 0;
  const messages = transcript.messages.map((m) => {
    const clean = stripInvisible(m.text);
    if (m.role !== 'candidate') return { ...m, text: clean.text };
    removed += clean.removed;
    const turn = turns.length + 1;
    turns.push(
      m.id === undefined
        ? { turn, at: m.at, text: clean.text }
        : { turn, at: m.at, messageId: m.id, text: clean.text },
    );
    const injection = injectionIn(clean.text);
    if (injection !== undefined) {
      warnings.push(
        `Possible prompt injection in candidate turn ${turn} (${roundTime(m.at, transcriptMode(transcript))}): “${clip(injection)}” — treated as data and given no weight.`,
      );
    }
    return { ...m, text: clean.text };
  });
  if (removed > 0) {
    warnings.unshift(
      `Removed ${removed} invisible or control character${removed === 1 ? '' : 's'} (zero-width, bidi or tag characters) from the candidate's text before scoring.`,
    );
  }
  return { transcript: { ...transcript, messages }, turns, warnings };
}

function clip(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
