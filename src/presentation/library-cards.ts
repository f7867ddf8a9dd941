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

/** One round in a person's history. */
export interface HistoryRow {
  /** Epoch milliseconds of the start. */
  readonly startedAt: number;
  readonly title: string;
  readonly minutes: number;
  /** `72/100 · Hire`, or undefined while it runs or is being scored. */
  readonly result: string | undefined;
  readonly running: boolean;
}

/** A person's recent rounds, newest first. */
export function historyCard(rows: readonly HistoryRow[]): Card {
  if (rows.length === 0) {
    return {
      kind: 'history',
      tone: 'neutral',
      summary: 'No rounds yet.',
      blocks: [{ type: 'text', lines: [['No rounds yet. Start one with `start`.']] }],
      controls: [],
    };
  }
  const heading = rows.length === 1 ? 'Your last round' : `Your last ${rows.length} rounds`;
  return {
    kind: 'history',
    tone: 'neutral',
    summary: heading,
    title: heading,
    blocks: [
      {
        type: 'list',
        ordered: false,
        items: rows.map(
          (r): Line => [
            { date: r.startedAt },
            ' — ',
            { strong: r.title },
            ` (${count(r.minutes, 'minute')}): ${r.result ?? (r.running ? 'in progress' : 'scoring')}`,
          ],
        ),
      },
    ],
    controls: [],
  };
}
