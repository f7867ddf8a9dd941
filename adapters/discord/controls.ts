import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import { type Control, type ControlId, isControlValue } from '../../src/presentation/card.js';
import { truncate } from './embed-limits.js';

/**
 * Prefix of the `custom_id` of every mockdesign button: `mockdesign:end`,
 * `mockdesign:next:<phase id>` and `mockdesign:attempt:<challenge id>` for a control with a value
 * (`mockdesign:next` on buttons posted before Next phase carried its phase).
 */
export const CONTROL_PREFIX = 'mockdesign:';

/** Discord's limits: five buttons in a row, 80 characters in a label. */
const ROW_BUTTONS = 5;
const LABEL_CHARS = 80;

const STYLES: Record<
  Control['style'],
  ButtonStyle.Primary | ButtonStyle.Danger | ButtonStyle.Secondary
> = {
  primary: ButtonStyle.Primary,
  danger: ButtonStyle.Danger,
  default: ButtonStyle.Secondary,
};

/**
 * A press of one of our buttons: the control, and the value it carries (`attempt`: always; `next`:
 * where its button has one).
 */
export type PressedControl =
  | { readonly id: 'end' }
  | { readonly id: 'next'; readonly value?: string }
  | { readonly id: 'attempt'; readonly value: string };

/**
 * The card's controls as a row of buttons, in the card's order; none for none. A control's value
 * rides in its `custom_id` after the control's id. Discord cannot ask for a confirmation on a
 * button nor show it to some people only, so `confirm` and `onlyFor` are not shown: the core
 * checks whoever presses.
 */
export function controlRow(
  controls: readonly Control[],
): APIActionRowComponent<APIButtonComponentWithCustomId> | undefined {
  if (controls.length === 0) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: controls.slice(0, ROW_BUTTONS).map((control) => ({
      type: ComponentType.Button,
      custom_id: customId(control.id, control.value),
      label: truncate(control.label, LABEL_CHARS),
      style: STYLES[control.style],
    })),
  };
}

/** `mockdesign:<control>`, or `mockdesign:<control>:<value>` for a control with a value. */
function customId(id: ControlId, value: string | undefined): string {
  return value === undefined ? `${CONTROL_PREFIX}${id}` : `${CONTROL_PREFIX}${id}:${value}`;
}

/**
 * The control a button's `custom_id` stands for, with its value; undefined for anyone else's
 * button, and for an `attempt` without a well-formed value (nothing the core could look up). A
 * `next` without a well-formed value is a press from an unknown phase, which the core handles.
 */
export function controlOf(custom: string): PressedControl | undefined {
  if (!custom.startsWith(CONTROL_PREFIX)) return undefined;
  const [id, value, ...rest] = custom.slice(CONTROL_PREFIX.length).split(':');
  if (rest.length > 0) return undefined;
  const valid = value !== undefined && isControlValue(value) ? value : undefined;
  // Next and End stand for the round the button is on; Next also names the phase it was posted in.
  if (id === 'end') return { id };
  if (id === 'next') return valid === undefined ? { id } : { id, value: valid };
  if (id === 'attempt' && valid !== undefined) return { id, value: valid };
  return undefined;
}
