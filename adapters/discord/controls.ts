import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { Control } from '../../src/messages.js';

/** Prefix of the `custom_id` of every mockdesign button: `mockdesign:next`, `mockdesign:end`. */
export const CONTROL_PREFIX = 'mockdesign:';

const BUTTONS: Record<
  Control,
  { readonly label: string; readonly style: ButtonStyle.Primary | ButtonStyle.Danger }
> = {
  next: { label: 'Next phase', style: ButtonStyle.Primary },
  end: { label: 'End round', style: ButtonStyle.Danger },
};

/** The buttons for the controls the core offers, Next phase before End round; none for none. */
export function controlRow(
  controls: readonly Control[],
): APIActionRowComponent<APIButtonComponentWithCustomId> | undefined {
  const shown = (['next', 'end'] as const).filter((c) => controls.includes(c));
  if (shown.length === 0) return undefined;
  return {
    type: ComponentType.ActionRow,
    components: shown.map((control) => ({
      type: ComponentType.Button,
      custom_id: `${CONTROL_PREFIX}${control}`,
      label: BUTTONS[control].label,
      style: BUTTONS[control].style,
    })),
  };
}

/** The control a button's `custom_id` stands for, or undefined for anyone else's button. */
export function controlOf(customId: string): Control | undefined {
  if (!customId.startsWith(CONTROL_PREFIX)) return undefined;
  const control = customId.slice(CONTROL_PREFIX.length);
  return control === 'next' || control === 'end' ? control : undefined;
}
