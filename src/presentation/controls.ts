import type { Control } from './card.js';

/** The buttons of a running round, for its candidates only: Next phase, then End round. */
export function roundControls(candidates: readonly string[]): Control[] {
  return [
    { id: 'next', label: 'Next phase', style: 'primary', onlyFor: candidates },
    {
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
    },
  ];
}
