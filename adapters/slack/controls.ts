import type { types } from '@slack/bolt';
import type { Control, ControlId } from '../../src/presentation/card.js';
import { clipPlain, LIMITS } from './mrkdwn.js';

/** Action ids of the buttons a card's controls become; inbound maps them back. */
export const ACTION_IDS: Readonly<Record<ControlId, string>> = {
  next: 'mockdesign_next',
  end: 'mockdesign_end',
  attempt: 'mockdesign_attempt',
};

/** The control a button's action id stands for, if it is one of ours. */
export function controlOf(actionId: string): ControlId | undefined {
  return (Object.keys(ACTION_IDS) as ControlId[]).find((id) => ACTION_IDS[id] === actionId);
}

/**
 * An actions block with a button per control (label, style, value and confirmation from the
 * control), or nothing when there are none. The value comes back with the press. Slack cannot show a button to some people only, so `onlyFor` is
 * left to the core, which checks whoever presses.
 */
export function controlBlocks(controls: readonly Control[]): types.KnownBlock[] {
  // Slack rejects two buttons with one action id in a block.
  const unique = controls.filter((c, i) => controls.findIndex((o) => o.id === c.id) === i);
  if (unique.length === 0) return [];
  return [
    {
      type: 'actions',
      block_id: 'mockdesign_controls',
      elements: unique.slice(0, LIMITS.actionElements).map(button),
    },
  ];
}

function button(control: Control): types.Button {
  const { confirm } = control;
  return {
    type: 'button',
    action_id: ACTION_IDS[control.id],
    text: plain(control.label, LIMITS.buttonText),
    ...(control.value === undefined ? {} : { value: control.value }),
    ...(control.style === 'default' ? {} : { style: control.style }),
    ...(confirm
      ? {
          confirm: {
            title: plain(confirm.title, LIMITS.confirmTitle),
            text: plain(confirm.text, LIMITS.confirmText),
            confirm: plain(confirm.yes, LIMITS.confirmButton),
            deny: plain(confirm.no, LIMITS.confirmButton),
          },
        }
      : {}),
  };
}

function plain(text: string, max: number): types.PlainTextElement {
  return { type: 'plain_text', text: clipPlain(text, max), emoji: true };
}
