import type { Scorecard } from '../scoring/scorecard.js';
import type { Transcript } from '../transcript.js';

/** Turns a transcript into a scorecard. Engines: `heuristic` (offline) and `llm`. */
export interface Scorer {
  /** Engine name, e.g. `heuristic`. */
  readonly name: string;
  score(transcript: Transcript): Promise<Scorecard>;
}
