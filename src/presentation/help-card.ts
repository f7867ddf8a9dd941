import { COMMANDS, type CommandSpec, SUBCOMMANDS } from '../commands/catalogue.js';
import type { Card, Line } from './card.js';

/**
 * Where a card is read, so that it names the commands as they are given there: a chat whose
 * commands are text after `/mockdesign` (Slack), one whose commands are slash commands with typed
 * options (`slash`: Discord), or the terminal.
 */
export type Surface = 'chat' | 'slash' | 'terminal';

/** `/mockdesign start prompt: minutes: mode: hours:`: a command as a slash command is typed. */
export function slashUsage(command: CommandSpec): string {
  return `\`${['/mockdesign', command.name, ...command.options.map((o) => `${o.name}:`)].join(' ')}\``;
}

/** How to start a round where the card is read, with `prompt` given as it is typed there. */
export function startUsage(surface: Surface, prompt?: string): string {
  if (surface === 'terminal') {
    return `\`mockdesign practice${prompt ? ` --prompt ${prompt}` : ''}\``;
  }
  return commandUsage(surface, 'start', prompt);
}

/**
 * A command with its words as typed where the card is read: `drill risks`, or on a slash surface
 * `/mockdesign drill kind:risks` (the words go to the subcommand's first option).
 */
export function commandText(surface: Surface, verb: string, words?: string): string {
  if (surface !== 'slash') return `${verb}${words ? ` ${words}` : ''}`;
  const option = SUBCOMMANDS.find((c) => c.name === verb)?.options[0]?.name;
  return `/mockdesign ${verb}${words && option ? ` ${option}:${words}` : ''}`;
}

/** {@link commandText} marked as code in product text. */
export function commandUsage(surface: Surface, verb: string, words?: string): string {
  return `\`${commandText(surface, verb, words)}\``;
}

/** How to ask for the help card where the card is read. */
export function helpUsage(surface: Surface): string {
  if (surface === 'slash') return '`/mockdesign help`';
  return surface === 'terminal' ? '`mockdesign help`' : '`help`';
}

/** What mockdesign does and the commands that work where the person asked. */
export function helpCard(surface: Surface): Card {
  const items: Line[] =
    surface === 'slash'
      ? SUBCOMMANDS.map((c) => [slashUsage(c), ` — ${c.summary}`])
      : COMMANDS.filter((c) => surface === 'chat' || c.terminal).map((c) => [
          surface === 'chat' ? c.usage : c.usage.replaceAll(/ \[.*?\]/g, ''),
          ` — ${c.summary}`,
        ]);
  const how =
    surface === 'terminal'
      ? 'Type your answers line by line and press Enter; a line that is just a command word runs it. Ctrl-D or Ctrl-C ends the round and scores it; Ctrl-C twice quits at once.'
      : surface === 'slash'
        ? "Every option is optional. `mode:async` runs a round over days (say `next` when a phase is done). Answer in the round's thread; say `next`, `end` or `status` there too. Only the candidate controls a round."
        : "Answer in the round's thread; say `next`, `end` or `status` there too. Only the candidate controls a round.";
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
