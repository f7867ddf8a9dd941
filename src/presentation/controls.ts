import { type Control, isControlValue } from './card.js';

/** Where a round's buttons are posted: the phase the round is in, and whether it is the last. */
export interface ControlsAt {
  /**
   * Id of the phase: Next phase carries it, so a press after the round has left that phase moves
   * nothing. Unknown when undefined (or too long to carry): such a press never ends the round.
   */
  readonly phase?: string;
  /** The last phase, where `next` would end the round: no Next phase button. */
  readonly last?: boolean;
}

/**
 * The buttons of a running round, for its candidates only: Next phase, then End round; in the
 * last phase End round alone, since moving on from there ends the round unasked.
 */
export function roundControls(candidates: readonly string[], at: ControlsAt = {}): Control[] {
  const end: Control = {
    id: 'end',
    label: 'End round',
    style: 'danger',
    onlyFor: candidates,
    confirm: {
      title: 'End the round now?',
      text: 'The round stops here and your scorecard is posted.',
      yes: 'End round',
      no: 'Keep going',
    },
  };
  if (at.last) return [end];
  const phase = at.phase !== undefined && isControlValue(at.phase) ? { value: at.phase } : {};
  return [
    { id: 'next', label: 'Next phase', style: 'primary', onlyFor: candidates, ...phase },
    end,
  ];
}
