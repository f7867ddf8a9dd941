import type { Scorecard } from '../scoring/scorecard.js';
import type { Transcript } from '../transcript.js';

/** Turns a transcript into a scorecard. Engines: `heuristic` (offline) and `llm`. */
export interface Scorer {
  /** Engine name, e.g. `heuristic`. */
  readonly name: string;
  /**
   * Transcripts worth scoring at once (default 10, for an engine that waits on a server): more
   * than the engine can work on only moves the reading of transcripts ahead of live rounds' work.
   */
  readonly concurrency?: number;
  score(transcript: Transcript): Promise<Scorecard>;
}

/**
 * The code of a scorer's error that says nothing of the transcript: the scorer stopped before it
 * got to it (a stuck transcript ahead of it, a process stopping). The round is scored again, and
 * the failure is not counted against it.
 */
export const SCORING_INTERRUPTED = 'scoring_interrupted';
