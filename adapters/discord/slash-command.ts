import type { Command, Origin } from '../../src/commands/command.js';
import {
  DEFAULT_ASYNC_HOURS,
  MAX_ASYNC_HOURS,
  MAX_MINUTES,
  MIN_MINUTES,
} from '../../src/commands/parse.js';
import { UserError } from '../../src/errors.js';
import { SUBCOMMANDS, type Subcommand } from './commands.js';

/** The part of discord.js's option resolver a `/mockdesign` interaction is read through. */
export interface SlashOptions {
  getSubcommand(): string;
  getString(name: string): string | null;
  getInteger(name: string): number | null;
  getBoolean(name: string): boolean | null;
}

/**
 * The core command for a `/mockdesign <subcommand>` interaction. Discord checks option types and
 * ranges in its client, but not every client does: values are checked again here, and a bad one
 * is a `UserError` naming the option and what to write instead.
 */
export function commandFromSlash(options: SlashOptions, origin: Origin): Command {
  const subcommand = options.getSubcommand() as Subcommand;
  if (!SUBCOMMANDS.includes(subcommand)) {
    throw new UserError(`Unknown subcommand "${subcommand}". Try \`/mockdesign help\`.`);
  }
  switch (subcommand) {
    case 'start':
      return startCommand(options, origin);
    case 'forget':
      return { kind: 'forget', origin, confirmed: options.getBoolean('confirm') === true };
    default:
      return { kind: subcommand, origin };
  }
}

function startCommand(options: SlashOptions, origin: Origin): Command {
  const prompt = options.getString('prompt')?.trim().toLowerCase();
  const mode = options.getString('mode') ?? 'live';
  if (mode !== 'live' && mode !== 'async') {
    throw new UserError(`\`mode\` is \`live\` or \`async\`, not "${mode}".`);
  }
  const minutes = options.getInteger('minutes');
  const hours = options.getInteger('hours');
  if (mode === 'async') {
    if (minutes !== null) {
      throw new UserError(
        'An async round is measured in hours: use the `hours` option instead of `minutes`.',
      );
    }
    if (hours !== null && !inRange(hours, 1, MAX_ASYNC_HOURS)) {
      throw new UserError(
        `\`hours\` is a whole number from 1 to ${MAX_ASYNC_HOURS}; ${hours} is out of range. Try \`hours: 48\`.`,
      );
    }
    return {
      kind: 'start',
      origin,
      promptId: prompt || undefined,
      minutes: (hours ?? DEFAULT_ASYNC_HOURS) * 60,
      mode,
    };
  }
  if (hours !== null) {
    throw new UserError(
      '`hours` is for async rounds: add `mode: async`, or use `minutes` for a live round.',
    );
  }
  if (minutes !== null && !inRange(minutes, MIN_MINUTES, MAX_MINUTES)) {
    throw new UserError(
      `A round lasts from ${MIN_MINUTES} to ${MAX_MINUTES} minutes; ${minutes} is out of range. Try \`minutes: 45\`.`,
    );
  }
  return {
    kind: 'start',
    origin,
    promptId: prompt || undefined,
    minutes: minutes ?? undefined,
    mode,
  };
}

function inRange(n: number, min: number, max: number): boolean {
  return Number.isInteger(n) && n >= min && n <= max;
}
