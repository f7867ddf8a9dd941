import type { Control } from './card.js';

/**
 * The buttons of a running round, for its candidates only: Next phase, then End round; in the
 * last phase (`next` false) End round alone, since moving on from there ends the round unasked.
 */
export function roundControls(candidates: readonly string[], next = true): Control[] {
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
  if (!next) return [end];
  return [{ id: 'next', label: 'Next phase', style: 'primary', onlyFor: candidates }, end];
}
