import type { Card } from './card.js';

/**
 * A live round's clock as a platform that shows time passing needs it: the current phase, when it
 * and the round end (wall time), and what to say when. The core decides all of it; the platform
 * only shows the time left and each notice when its time comes.
 */
export interface RoundClock {
  /** Short label of the current phase, e.g. `sketch`; a drill's name in a drill (`risks drill`). */
  readonly phase: string;
  /** Wall epoch milliseconds at which the current phase ends by the plan. */
  readonly phaseEndsAt: number;
  /** Wall epoch milliseconds at which the round ends. */
  readonly roundEndsAt: number;
  /**
   * Wall time per round time (`MOCKDESIGN_TIME_SCALE`): time left is shown on the round's clock,
   * as the interviewer's lines and `status` count it.
   */
  readonly timeScale: number;
  /** Cards to show at given wall times, e.g. two minutes before the phase ends. */
  readonly notices: readonly { readonly at: number; readonly card: Card }[];
}
