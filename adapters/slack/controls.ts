import type { types } from '@slack/bolt';
import type { Control } from '../../src/messages.js';

/** Action ids of the buttons the core's controls become; inbound maps them back. */
export const ACTION_IDS: Readonly<Record<Control, string>> = {
  next: 'mockdesign_next',
  end: 'mockdesign_end',
};

/** The control a button's action id stands for, if it is one of ours. */
export function controlOf(actionId: string): Control | undefined {
  return (Object.keys(ACTION_IDS) as Control[]).find((c) => ACTION_IDS[c] === actionId);
}

const BUTTONS: Readonly<Record<Control, types.Button>> = {
  next: {
    type: 'button',
    action_id: ACTION_IDS.next,
    text: { type: 'plain_text', text: 'Next phase', emoji: true },
  },
  end: {
    type: 'button',
    action_id: ACTION_IDS.end,
    text: { type: 'plain_text', text: 'End round', emoji: true },
    style: 'danger',
    confirm: {
      title: { type: 'plain_text', text: 'End the round now?' },
      text: { type: 'plain_text', text: 'The round stops here and your scorecard is posted.' },
      confirm: { type: 'plain_text', text: 'End round' },
      deny: { type: 'plain_text', text: 'Keep going' },
    },
  },
};

/** An actions block with a button per control, or nothing when there are none. */
export function controlBlocks(controls: readonly Control[]): types.KnownBlock[] {
  if (controls.length === 0) return [];
  return [
    {
      type: 'actions',
      block_id: 'mockdesign_controls',
      elements: controls.map((c) => BUTTONS[c]),
    },
  ];
}
