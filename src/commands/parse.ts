import { UserError } from '../errors.js';
import {
  COMMANDS,
  DEFAULT_ASYNC_HOURS,
  MAX_ASYNC_HOURS,
  MAX_MINUTES,
  MIN_MINUTES,
} from './catalogue.js';
import type { Command, Origin, SimpleCommand } from './command.js';

export { DEFAULT_ASYNC_HOURS, MAX_ASYNC_HOURS, MAX_MINUTES, MIN_MINUTES } from './catalogue.js';

/** The usage lines of every command, for an error that lists them. */
export const USAGE = COMMANDS.map((c) => `${c.usage} — ${c.summary}`).join('\n');

const START_USAGE = `Usage: ${COMMANDS[0]?.usage}`;

/** Verbs that take no arguments. */
const SIMPLE = new Set<string>(['next', 'end', 'status', 'history', 'help', 'prompts']);

/**
 * A `start` as a person gave it, before it is checked: from the words of a text command, or from
 * a platform's typed options. Numbers may still be text.
 */
export interface StartRequest {
  readonly prompt?: string | null;
  readonly minutes?: number | string | null;
  readonly hours?: number | string | null;
  readonly mode?: string | null;
}

/**
 * The one validator of start options, whatever platform they came from: a prompt id, a live
 * round's minutes or an async round's hours. A bad value is a `UserError` naming the option and
 * how to write it.
 */
export function startCommand(request: StartRequest, origin: Origin): Command {
  const mode = (request.mode ?? 'live').toLowerCase();
  if (mode !== 'live' && mode !== 'async') {
    throw new UserError(`The mode is \`live\` or \`async\`, not "${mode}".`);
  }
  const given = (v: number | string | null | undefined) => v !== undefined && v !== null;
  const prompt = request.prompt?.trim().toLowerCase() || undefined;
  if (mode === 'async') {
    if (given(request.minutes)) {
      throw new UserError(
        'An async round is measured in hours: use `async --hours N` instead of `--minutes`.',
      );
    }
    const hours = given(request.hours) ? wholeHours(request.hours) : DEFAULT_ASYNC_HOURS;
    return { kind: 'start', origin, promptId: prompt, minutes: hours * 60, mode };
  }
  if (given(request.hours)) {
    throw new UserError(
      '`--hours` is for async rounds: write `start async --hours N`, or `--minutes N` for a live round.',
    );
  }
  const minutes = given(request.minutes) ? parseMinutes(String(request.minutes)) : undefined;
  return { kind: 'start', origin, promptId: prompt, minutes, mode };
}

/**
 * Parses the text of a `/mockdesign ...` command or a terminal command line.
 * An empty text starts a round with a random prompt.
 */
export function parseCommandText(text: string, origin: Origin): Command {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [given = 'start', ...args] = words;
  const verb = given.toLowerCase();
  if (verb === 'start') return startCommand(startRequest(args), origin);
  if (verb === 'forget') {
    const [word, ...more] = args;
    if (more.length > 0 || (word !== undefined && word.toLowerCase() !== 'confirm')) {
      throw new UserError(
        'Write `forget` to see what it deletes, then `forget confirm` to delete it.',
      );
    }
    return { kind: 'forget', origin, confirmed: word !== undefined };
  }
  if (SIMPLE.has(verb)) {
    if (args.length > 0) {
      throw new UserError(
        `\`${verb}\` takes no arguments, but got "${args.join(' ')}". Write just \`${verb}\`.`,
      );
    }
    return { kind: verb as SimpleCommand['kind'], origin };
  }
  throw new UserError(`Unknown command "${given}". Commands:\n${USAGE}`);
}

/**
 * The command a message typed inside a round stands for, when the whole message is one: a bare
 * verb such as `end` or `status`, or `forget confirm`. Anything else is an answer.
 */
export function commandInRound(text: string, origin: Origin): Command | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  if (verb === undefined || words.length > 2) return undefined;
  if (args.length === 0 && (SIMPLE.has(verb) || verb === 'start' || verb === 'forget')) {
    return parseCommandText(verb, origin);
  }
  if (verb === 'forget' && args[0] === 'confirm') return parseCommandText(text, origin);
  return undefined;
}

function startRequest(args: string[]): StartRequest {
  let prompt: string | undefined;
  let minutes: string | undefined;
  let hours: string | undefined;
  let mode: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = arg.split('=', 2) as [string, string | undefined];
    if (flag === '--minutes' || flag === '-m') {
      minutes = inline ?? args[++i] ?? '';
    } else if (flag === '--hours') {
      hours = inline ?? args[++i] ?? '';
    } else if (arg.startsWith('-')) {
      throw new UserError(`Unknown option "${arg}". ${START_USAGE}`);
    } else if (arg.toLowerCase() === 'async' || arg.toLowerCase() === 'live') {
      mode = arg.toLowerCase();
    } else if (prompt === undefined) {
      prompt = arg;
    } else {
      throw new UserError(
        `\`start\` takes one prompt id, but got "${prompt}" and "${arg}". ${START_USAGE}`,
      );
    }
  }
  return { prompt, minutes, hours, mode };
}

function wholeHours(value: number | string | null | undefined): number {
  const text = String(value ?? '').trim();
  const n = Number(text);
  if (text === '' || !Number.isInteger(n) || n < 1 || n > MAX_ASYNC_HOURS) {
    throw new UserError(
      `\`--hours\` needs a whole number of hours from 1 to ${MAX_ASYNC_HOURS}, e.g. \`--hours 48\`${text === '' ? '' : ` (got "${text}")`}.`,
    );
  }
  return n;
}

/** Validates a round length typed by a person. */
export function parseMinutes(value: string | undefined): number {
  const text = (value ?? '').trim();
  const n = Number(text);
  if (text === '' || !Number.isInteger(n)) {
    throw new UserError(
      `\`--minutes\` needs a whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}, e.g. \`--minutes 30\`${text === '' ? '' : ` (got "${text}")`}.`,
    );
  }
  if (n < MIN_MINUTES || n > MAX_MINUTES) {
    throw new UserError(
      `A round lasts from ${MIN_MINUTES} to ${MAX_MINUTES} minutes; ${n} is out of range. Try \`--minutes 45\`.`,
    );
  }
  return n;
}
