import type { Prompt } from '../rubric/schema.js';
import type { Scorecard } from './scoring/scorecard.js';

/** A phase of a round with its real (scaled) start and length, for the phase plan. */
export interface PlannedPhase {
  readonly id: string;
  readonly name: string;
  readonly goal: string;
  /** Round minutes from the start. */
  readonly startMinute: number;
  readonly minutes: number;
}

/** Buttons the core offers with a message; adapters render what their platform supports. */
export type Control = 'next' | 'end';

/**
 * What the core asks a platform to show. Adapters render each kind (Block Kit, embed, text);
 * they never change what it says.
 */
export type OutboundMessage =
  | {
      readonly kind: 'prompt';
      readonly prompt: Prompt;
      readonly mode: 'live' | 'async' | 'challenge';
      readonly minutes: number;
      readonly candidates: readonly string[];
      readonly phases: readonly PlannedPhase[];
      readonly controls: readonly Control[];
    }
  | {
      /** An interviewer line: a phase opening, cut-in, pivot, probe, warning, nudge or closing. */
      readonly kind: 'interviewer';
      /** Event id, e.g. `phase-sketch`, `hypothesis_cut_in`, `probe-1`. */
      readonly event: string;
      readonly text: string;
      /** Name of the phase the round is in after this event. */
      readonly phaseName: string;
      /** Round minutes elapsed when it was posted. */
      readonly minute: number;
      /** Round minutes left. */
      readonly remainingMinutes: number;
      readonly controls: readonly Control[];
    }
  | { readonly kind: 'scorecard'; readonly scorecard: Scorecard }
  | { readonly kind: 'notice'; readonly text: string };
