import type { Scorecard } from '../scoring/scorecard.js';
import type { Transcript } from '../transcript.js';
import type { KeptRound } from './kept-round.js';

/** One round of an export: its transcript (what `mockdesign score` reads) with its scorecard. */
export type ExportedRound = Transcript & {
  /** When it started, ISO 8601. */
  readonly startedAt: string;
  readonly scorecard?: Scorecard;
};

/** A person's rounds as an export, oldest first: an array of transcripts, each with its scorecard. */
export function exportOf(rounds: readonly KeptRound[]): ExportedRound[] {
  return [...rounds]
    .filter((r): r is KeptRound & { transcript: Transcript } => r.transcript !== undefined)
    .sort((a, b) => a.startedAt - b.startedAt)
    .map((r) => ({
      ...r.transcript,
      startedAt: new Date(r.startedAt).toISOString(),
      ...(r.scorecard ? { scorecard: r.scorecard } : {}),
    }));
}

/** The export as the bytes of a JSON file. */
export function exportBytes(rounds: readonly ExportedRound[]): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(rounds, null, 2)}\n`);
}
