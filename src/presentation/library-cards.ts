import type { Prompt } from '../../rubric/schema.js';
import type { Card, Line } from './card.js';
import { count } from './format.js';
import { type Surface, startUsage } from './help-card.js';

/** The prompt library: id and title of each prompt, and how to start one where it is asked for. */
export function promptsCard(prompts: readonly Prompt[], surface: Surface = 'chat'): Card {
  return {
    kind: 'prompts',
    tone: 'neutral',
    summary: `${count(prompts.length, 'prompt')} in the library`,
    title: 'Prompt library',
    blocks: [
      {
        type: 'list',
        ordered: false,
        items: prompts.map((p): Line => [{ code: p.id }, ` — ${p.title}`]),
      },
      {
        type: 'note',
        lines: [
          [
            `Start one with ${startUsage(surface, '<prompt-id>')}, or ${startUsage(surface, 'random')}.`,
          ],
        ],
      },
    ],
    controls: [],
  };
}
