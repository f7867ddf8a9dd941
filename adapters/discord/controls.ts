import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Control, ControlId } from '../../src/presentation/card.js';
import { truncate } from './embed-limits.js';

/** Prefix of the `custom_id` of every mockdesign button: `mockdesign:next`, `mockdesign:end`. */
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
 * The card's controls as a row of buttons, in the card's order; none for none. Discord cannot ask
 * for a confirmation on a button nor show it to some people only, so `confirm` and `onlyFor` are
 * not shown: the core checks whoever presses.
 */
export function controlRow(
  controls: readonly Control[],
): APIActionRowComponent<APIButtonComponentWithCustomId> | undefined {
  if (controls.length === 0) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: controls.slice(0, ROW_BUTTONS).map((control) => ({
      type: ComponentType.Button,
      custom_id: `${CONTROL_PREFIX}${control.id}`,
      label: truncate(control.label, LABEL_CHARS),
      style: STYLES[control.style],
    })),
  };
}

/** The control a button's `custom_id` stands for, or undefined for anyone else's button. */
export function controlOf(customId: string): ControlId | undefined {
  if (!customId.startsWith(CONTROL_PREFIX)) return undefined;
  const control = customId.slice(CONTROL_PREFIX.length);
  return control === 'next' || control === 'end' ? control : undefined;
}
