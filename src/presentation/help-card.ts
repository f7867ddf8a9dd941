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

/**
 * Option `name` (with `value`) as typed where the card is read: `--hours 48`, or on a slash
 * surface `hours:48`.
 */
export function optionUsage(surface: Surface, name: string, value?: string): string {
  if (surface === 'slash') return `\`${name}:${value ?? ''}\``;
  return `\`--${name}${value === undefined ? '' : ` ${value}`}\``;
}

/**
 * `Usage: ` and the command `verb` as written where the card is read: its text form (`schedule
 * "<cron>"|weekly mon 10:00 ...`), or on a slash surface the slash command with its options.
 */
export function usageLine(surface: Surface, verb: string): string {
  const command = COMMANDS.find((c) => c.name === verb);
  if (!command) return helpUsage(surface);
  return `Usage: ${surface === 'slash' ? slashUsage(command) : command.usage}`;
}

/**
 * `schedule pause s1a2b3c` as typed where the card is read: on a slash surface
 * `/mockdesign schedule action:pause id:s1a2b3c`.
 */
export function scheduleUsage(surface: Surface, action: string, id?: string): string {
  if (surface === 'slash') {
    return `\`/mockdesign schedule action:${action}${id ? ` id:${id}` : ''}\``;
  }
  return `\`schedule ${action}${id ? ` ${id}` : ''}\``;
}

/** How to write a schedule's rule, as typed where the card is read (no quotes in an option). */
export function scheduleRuleHelp(surface: Surface): string {
  if (surface === 'slash') {
    return 'Write a cron rule, e.g. `/mockdesign schedule rule:0 10 * * MON` (minute hour day month weekday), or `rule:weekly mon 10:00`, `rule:daily 09:30`, `rule:weekdays 09:00`.';
  }
  return 'Write a cron rule in quotes, e.g. `schedule "0 10 * * MON"` (minute hour day month weekday), or `weekly mon 10:00`, `daily 09:30`, `weekdays 09:00`.';
}

/** How to set, snooze and stop a practice reminder, as typed where the card is read. */
export function remindUsage(surface: Surface): string {
  const remind = (words: string) => commandUsage(surface, 'remind', words);
  return `Write ${remind('weekly mon 09:00')} (or \`daily 08:30\`, \`weekdays 09:00\`, with ${optionUsage(surface, 'tz', 'Area/City')} if you like), ${remind('snooze 1w')} (or \`3d\`), or ${remind('off')}.`;
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
