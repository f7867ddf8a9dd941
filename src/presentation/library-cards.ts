import type { Prompt } from '../../rubric/schema.js';
import type { Card, Line } from './card.js';
import { count } from './format.js';

/** The prompt library: id and title of each prompt. */
export function promptsCard(prompts: readonly Prompt[]): Card {
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
      { type: 'note', lines: [['Start one with `start <prompt-id>`, or `start random`.']] },
    ],
    controls: [],
  };
}
