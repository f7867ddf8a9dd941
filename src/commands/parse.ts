import { UserError } from '../errors.js';
import type { Command, Origin, SimpleCommand } from './command.js';

/** Shortest and longest live round, in minutes. */
export const MIN_MINUTES = 5;
export const MAX_MINUTES = 240;
/** Longest async round, in hours. */
export const MAX_ASYNC_HOURS = 24 * 14;
/** Default length of an async round, in hours. */
export const DEFAULT_ASYNC_HOURS = 72;

export const USAGE = [
  '`start [prompt-id|random] [--minutes N]` — start a live round (N from 5 to 240, default 45)',
  '`start [prompt-id|random] async [--hours N]` — a round over days: say `next` when a phase is done (N up to 336, default 72)',
  '`next` — move to the next phase',
  '`end` — end your round now and get the scorecard',
  '`status` — phase and time left',
  '`prompts` — list the prompt library',
  '`history` — your recent rounds and scores',
  '`forget` — delete every round and scorecard of yours (asks to confirm)',
  '`help` — this list',
].join('\n');

/**
 * Parses the text of a `/mockdesign ...` command or a terminal command line.
 * An empty text starts a round with a random prompt.
 */
export function parseCommandText(text: string, origin: Origin): Command {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb = 'start', ...args] = words;
  switch (verb.toLowerCase()) {
    case 'start':
      return parseStart(args, origin);
    case 'forget': {
      const [word, ...more] = args;
      if (more.length > 0 || (word !== undefined && word.toLowerCase() !== 'confirm')) {
        throw new UserError(
          'Write `forget` to see what it deletes, then `forget confirm` to delete it.',
        );
      }
      return { kind: 'forget', origin, confirmed: word !== undefined };
    }
    case 'next':
    case 'end':
    case 'status':
    case 'history':
    case 'help':
    case 'prompts': {
      if (args.length > 0) {
        throw new UserError(
          `\`${verb}\` takes no arguments, but got "${args.join(' ')}". Write just \`${verb}\`.`,
        );
      }
      return { kind: verb.toLowerCase() as SimpleCommand['kind'], origin };
    }
    default:
      throw new UserError(`Unknown command "${verb}". Commands:\n${USAGE}`);
  }
}

function parseStart(args: string[], origin: Origin): Command {
  let promptId: string | undefined;
  let minutes: number | undefined;
  let hours: number | undefined;
  let mode: 'live' | 'async' = 'live';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--minutes' || flag === '-m') {
      const value = inline ?? args[++i];
      minutes = parseMinutes(value);
    } else if (flag === '--hours') {
      hours = parseHours(inline ?? args[++i]);
    } else if (arg.startsWith('-')) {
      throw new UserError(`Unknown option "${arg}". Usage: ${USAGE.split('\n')[0]}`);
    } else if (arg.toLowerCase() === 'async' || arg.toLowerCase() === 'live') {
      mode = arg.toLowerCase() as 'live' | 'async';
    } else if (promptId === undefined) {
      promptId = arg.toLowerCase();
    } else {
      throw new UserError(
        `\`start\` takes one prompt id, but got "${promptId}" and "${arg}". Usage: ${USAGE.split('\n')[0]}`,
      );
    }
  }
  if (mode === 'async' && minutes !== undefined) {
    throw new UserError(
      'An async round is measured in hours: use `async --hours N` instead of `--minutes`.',
    );
  }
  if (mode === 'live' && hours !== undefined) {
    throw new UserError(
      '`--hours` is for async rounds: write `start async --hours N`, or `--minutes N` for a live round.',
    );
  }
  if (mode === 'async') minutes = (hours ?? DEFAULT_ASYNC_HOURS) * 60;
  return { kind: 'start', origin, promptId, minutes, mode };
}

function parseHours(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 1 || n > MAX_ASYNC_HOURS) {
    throw new UserError(
      `\`--hours\` needs a whole number of hours from 1 to ${MAX_ASYNC_HOURS}, e.g. \`--hours 48\`${value === undefined ? '' : ` (got "${value}")`}.`,
    );
  }
  return n;
}

/** Validates a round length typed by a person. */
export function parseMinutes(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isInteger(n)) {
    throw new UserError(
      `\`--minutes\` needs a whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}, e.g. \`--minutes 30\`${value === undefined ? '' : ` (got "${value}")`}.`,
    );
  }
  if (n < MIN_MINUTES || n > MAX_MINUTES) {
    throw new UserError(
      `A round lasts from ${MIN_MINUTES} to ${MAX_MINUTES} minutes; ${n} is out of range. Try \`--minutes 45\`.`,
    );
  }
  return n;
}
