import { COMMANDS } from '../commands/catalogue.js';
import type { Card, Line } from './card.js';

/** Where a card is read, a chat (Slack, Discord) or the terminal: it names the commands there. */
export type Surface = 'chat' | 'terminal';

/** The surface of a platform: the terminal, or any chat. */
export function surfaceOf(platform: string): Surface {
  return platform === 'terminal' ? 'terminal' : 'chat';
}

/** What mockdesign does and the commands that work where the person asked. */
export function helpCard(surface: Surface): Card {
  const commands = COMMANDS.filter((c) => surface === 'chat' || c.terminal);
  const items: Line[] = commands.map((c) => [
    surface === 'chat' ? c.usage : c.usage.replaceAll(/ \[.*?\]/g, ''),
    ` — ${c.summary}`,
  ]);
  const how =
    surface === 'chat'
      ? "Answer in the round's thread; say `next`, `end` or `status` there too. Only the candidate controls a round."
      : 'Type your answers line by line and press Enter; a line that is just a command word runs it. Ctrl-D or Ctrl-C ends the round and scores it; Ctrl-C twice quits at once.';
  return {
    kind: 'help',
    tone: 'neutral',
    summary: 'mockdesign runs a timed mock research-design round and scores it.',
    title: 'mockdesign',
    blocks: [
      {
        type: 'text',
        lines: [['mockdesign runs a timed mock research-design round and scores it.']],
      },
      { type: 'list', ordered: false, items },
      { type: 'note', lines: [[how]] },
    ],
    controls: [],
  };
}
