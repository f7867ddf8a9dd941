import type { Prompt, QuietHours } from '../rubric/schema.js';
import type { Surface } from './presentation/help-card.js';
import type { Drill } from './round/drills.js';
import type { Scorecard } from './scoring/scorecard.js';

/** A phase of a round with its real (scaled) start and length, for the phase plan. */
export interface PlannedPhase {
  readonly id: string;
  readonly name: string;
  readonly goal: string;
  /** Round minutes from the start. */
  readonly startMinute: number;
  readonly minutes: number;
  /**
   * Wall time (epoch ms) at which the phase ends by the plan, for an async round's card, which
   * gives each phase's deadline as a date; absent on a live round's card.
   */
  readonly endsAt?: number;
}

/**
 * What an interviewer line is: a phase opening, a rubric cue (cut-in, pivot, warning), a probe of
 * a technology, a nudge of a quiet async round, or the closing line.
 */
export type LineKind = 'phase' | 'cue' | 'probe' | 'nudge' | 'closing';

/**
 * What the core decided to post in a round's thread, as stored in its outbox until posted. The
 * presentation model turns each into a card (`present`) when it is posted.
 */
export type OutboundMessage =
  | {
      readonly kind: 'prompt';
      readonly prompt: Prompt;
      readonly mode: 'live' | 'async';
      readonly minutes: number;
      readonly candidates: readonly string[];
      readonly phases: readonly PlannedPhase[];
      /** Where the round runs: a chat thread, or a terminal (no thread, nobody to notify). */
      readonly surface: 'chat' | 'terminal';
      /** A drill's round: the card shows its task instead of the phase plan. */
      readonly drill?: Drill;
      /** Why this prompt was picked (`adaptive`), shown on the card. */
      readonly reason?: string;
      /** For an attempt at a team challenge: the challenge's deadline (epoch ms). */
      readonly challengeDeadline?: number;
      /**
       * An async round's night, which its card names: the rubric's quiet hours, in the
       * candidate's time zone when one is known (no nudge comes in them), and how commands are
       * written where the card is read, to say how to give a zone when none is. Absent on a live
       * round's card, and where the rubric leaves no night.
       */
      readonly night?: QuietHours & {
        readonly timeZone?: string;
        readonly commands: Surface;
      };
    }
  | {
      /** An interviewer line: a phase opening, cut-in, pivot, probe, warning, nudge or closing. */
      readonly kind: 'interviewer';
      /** Key of the timer event, e.g. `phase-sketch`, `hypothesis_cut_in`, `probe-1`. */
      readonly event: string;
      readonly line: LineKind;
      readonly text: string;
      /** Name of the phase the round is in after this event. */
      readonly phaseName: string;
      /**
       * Id of that phase, which its Next phase button carries; absent in lines decided before
       * lines carried it.
       */
      readonly phase?: string;
      /** Round minutes elapsed when it was posted. */
      readonly minute: number;
      /** Round minutes left. */
      readonly remainingMinutes: number;
      /** Who may press the round's buttons shown with it; empty when none are shown. */
      readonly controlsFor: readonly string[];
      /**
       * The round is in its last phase, where `next` would end it: its buttons offer End round
       * (which asks first) and no Next phase.
       */
      readonly lastPhase?: true;
      /** An async round's line: its banner gives the time in and left as durations, not a clock. */
      readonly async?: true;
    }
  | {
      readonly kind: 'scorecard';
      readonly scorecard: Scorecard;
      /** A drill's scorecard shows its one criterion. */
      readonly drill?: Drill;
      /**
       * Where the round ran (a chat round when absent): a terminal keeps a round only when
       * something was said, and says so itself, so its drill card does not promise it.
       */
      readonly surface?: 'chat' | 'terminal';
    }
  | { readonly kind: 'notice'; readonly text: string };
