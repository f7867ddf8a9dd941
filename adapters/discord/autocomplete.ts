import type { APIApplicationCommandOptionChoice } from 'discord.js';
import type { Library } from '../../rubric/load.js';
import { truncate } from './embed-limits.js';

/** Discord shows at most 25 autocomplete choices. */
export const MAX_CHOICES = 25;

/** The core's words for a prompt it picks itself, offered before the library's prompts. */
const PICKED = ['random', 'adaptive'] as const;

/**
 * Prompt choices for what the user typed so far: `random` and `adaptive` first (the option's
 * description names both), then prompts whose id, title or tags contain every typed word. Names
 * show the title; values are prompt ids.
 */
export function promptChoices(
  library: Library,
  typed: string,
): APIApplicationCommandOptionChoice<string>[] {
  const words = typed.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = (text: string) => words.every((w) => text.includes(w));
  const choices: APIApplicationCommandOptionChoice<string>[] = [];
  // The core's own words, shown as they are: the adapter adds no label of its own.
  for (const word of PICKED) if (matches(word)) choices.push({ name: word, value: word });
  for (const prompt of library.prompts.values()) {
    const haystack = [prompt.id, prompt.title, ...prompt.tags].join(' ').toLowerCase();
    // Discord refuses a choice value over 100 characters; such an id can still be typed.
    if (!matches(haystack) || prompt.id.length > 100) continue;
    choices.push({ name: truncate(`${prompt.title} (${prompt.id})`, 100), value: prompt.id });
  }
  return choices.slice(0, MAX_CHOICES);
}
