import { checkTimeZone, FRIENDLY_WORDS, parseRule } from '../challenges/schedule-rule.js';
import { UserError } from '../errors.js';
import {
  commandUsage,
  optionUsage,
  remindUsage,
  type Surface,
  scheduleRuleHelp,
  scheduleUsage,
  usageLine,
} from '../presentation/help-card.js';
import { DRILLS, isDrill } from '../round/drills.js';
import {
  COMMANDS,
  DEFAULT_ASYNC_HOURS,
  DEFAULT_CHALLENGE_HOURS,
  MAX_ASYNC_HOURS,
  MAX_MINUTES,
  MIN_MINUTES,
} from './catalogue.js';
import type { Command, Origin, SimpleCommand } from './command.js';

export { DEFAULT_ASYNC_HOURS, MAX_ASYNC_HOURS, MAX_MINUTES, MIN_MINUTES } from './catalogue.js';

/** The usage lines of every command, for an error that lists them. */
export const USAGE = COMMANDS.map((c) => `${c.usage} — ${c.summary}`).join('\n');

const START_USAGE = usageLine('chat', 'start');

/** The usage line of a command given as text (a line that could only be text). */
const usageOf = (name: string) => usageLine('chat', name);

/** Verbs that take no arguments. */
const SIMPLE = new Set<string>(['next', 'end', 'status', 'history', 'help', 'prompts', 'export']);

/**
 * How the person wrote their options, so an error names them that way: as text after the command
 * (`--hours 48`), or as a platform's typed options (Discord: `hours:48`).
 */
export type OptionForm = 'text' | 'typed';

/** Where answers to options written in `form` are read: a text chat, or slash commands. */
function surfaceOf(form: OptionForm): Surface {
  return form === 'typed' ? 'slash' : 'chat';
}

/** Option `name` (with `value`) as the person writes it. */
function option(form: OptionForm, name: string, value?: string): string {
  return optionUsage(surfaceOf(form), name, value);
}

/**
 * A `start` as a person gave it, before it is checked: from the words of a text command, or from
 * a platform's typed options. Numbers may still be text.
 */
export interface StartRequest {
  readonly prompt?: string | null;
  readonly minutes?: number | string | null;
  readonly hours?: number | string | null;
  readonly mode?: string | null;
  /** An async round's IANA time zone (`--tz`, Discord's `tz:`): no nudge comes in its night. */
  readonly tz?: string | null;
}

/**
 * The one validator of start options, whatever platform they came from: a prompt id, a live
 * round's minutes, or an async round's hours and time zone. A bad value is a `UserError` naming
 * the option and how to write it.
 */
export function startCommand(
  request: StartRequest,
  origin: Origin,
  form: OptionForm = 'text',
): Command {
  const mode = (request.mode ?? 'live').toLowerCase();
  if (mode !== 'live' && mode !== 'async') {
    throw new UserError(`The mode is \`live\` or \`async\`, not "${mode}".`);
  }
  const given = (v: number | string | null | undefined) => v !== undefined && v !== null;
  const prompt = request.prompt?.trim().toLowerCase() || undefined;
  if (mode === 'async') {
    if (given(request.minutes)) {
      throw new UserError(
        form === 'typed'
          ? 'An async round is measured in hours: give `hours:` instead of `minutes:`.'
          : 'An async round is measured in hours: use `async --hours N` instead of `--minutes`.',
      );
    }
    const hours = given(request.hours) ? wholeHours(request.hours, form) : DEFAULT_ASYNC_HOURS;
    // An empty `--tz` is refused (an unknown zone), not taken as none.
    const tz = given(request.tz) ? checkTimeZone(String(request.tz), surfaceOf(form)) : undefined;
    return {
      kind: 'start',
      origin,
      promptId: prompt,
      minutes: hours * 60,
      mode,
      ...(tz ? { timeZone: tz } : {}),
    };
  }
  if (given(request.hours)) {
    throw new UserError(
      form === 'typed'
        ? '`hours:` is for async rounds: add `mode:async`, or give `minutes:` for a live round.'
        : '`--hours` is for async rounds: write `start async --hours N`, or `--minutes N` for a live round.',
    );
  }
  if (given(request.tz)) {
    // A live round lasts under four hours and is watched as it runs: it has no nudges to hold.
    throw new UserError(
      `${option(form, 'tz')} is for async rounds, to keep their nudges out of your night: ${
        form === 'typed' ? 'add `mode:async`.' : 'write `start async --tz Area/City`.'
      }`,
    );
  }
  const minutes = given(request.minutes) ? parseMinutes(String(request.minutes), form) : undefined;
  return { kind: 'start', origin, promptId: prompt, minutes, mode };
}

/**
 * Parses the text of a `/mockdesign ...` command or a terminal command line.
 * An empty text starts a round with a random prompt.
 */
export function parseCommandText(text: string, origin: Origin): Command {
  const tokens = tokenize(text);
  const words = tokens.map((t) => t.text);
  const [given = 'start', ...args] = words;
  const verb = given.toLowerCase();
  if (verb === 'start') return startCommand(startRequest(tokens.slice(1)), origin);
  if (verb === 'challenge') return challengeCommand(challengeRequest(args), origin);
  if (verb === 'schedule') return scheduleCommand(scheduleRequest(tokens.slice(1)), origin);
  if (verb === 'remind')
    return remindCommand(
      tokens.slice(1).map((t) => t.text),
      origin,
    );
  if (verb === 'drill') {
    if (args.length !== 1) throw new UserError(drillUsage(args.join(' ')));
    return drillCommand(args[0], origin);
  }
  if (verb === 'leaderboard') {
    if (args.length !== 1) {
      throw new UserError(
        'Write `leaderboard off` to stay off leaderboards, `leaderboard on` to be ranked again.',
      );
    }
    return leaderboardCommand(args[0], origin);
  }
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
    return { kind: verb as SimpleCommand['kind'] | 'next' | 'end', origin };
  }
  throw new UserError(`Unknown command "${given}". Commands:\n${USAGE}`);
}

/**
 * A word of a `start` line rather than of an answer: `random`, `adaptive`, a mode, an option, a
 * number, a prompt id (hyphenated, `rag-hallucination-measurement`) or a time zone
 * (`europe/berlin`, `utc`).
 */
const START_WORD =
  /^(?:random|adaptive|live|async|utc|--\w+|\d+|[a-z0-9]+(?:-[a-z0-9]+)+|[a-z]+(?:\/[a-z0-9_+-]+)+)$/;

/** The most words after `start` in a `start` line: a prompt, a mode, `--hours N`, `--tz Z`. */
const START_WORDS = 6;

/**
 * The command a message typed inside a round stands for, when the whole message is one: a bare
 * verb such as `end` or `status`, `forget confirm`, or a `start` line (`start random`, `start
 * async --hours 24`: while the round runs, the answer is that it runs). Anything else is an answer.
 */
export function commandInRound(text: string, origin: Origin): Command | undefined {
  const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  if (verb === undefined) return undefined;
  if (verb === 'start' && args.length <= START_WORDS && args.every((w) => START_WORD.test(w))) {
    return parseCommandText(words.join(' '), origin);
  }
  if (words.length > 2) return undefined;
  if (args.length === 0 && (SIMPLE.has(verb) || verb === 'forget')) {
    return parseCommandText(verb, origin);
  }
  if (verb === 'forget' && args[0] === 'confirm') return parseCommandText(text, origin);
  return undefined;
}

/** A word of a command line; a `quoted` one was written in straight or curly double quotes. */
interface Token {
  readonly text: string;
  readonly quoted: boolean;
}

/** The words of a command line, keeping "quoted words" together (a cron rule). */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const m of text.matchAll(/"([^"]*)"|“([^”]*)”|(\S+)/g)) {
    const quoted = m[3] === undefined;
    tokens.push({ text: (m[1] ?? m[2] ?? m[3] ?? '').trim(), quoted });
  }
  return tokens;
}

/** A `challenge` as a person gave it, before it is checked. */
export interface ChallengeRequest {
  readonly prompt?: string | null;
  readonly hours?: number | string | null;
}

/** The one validator of `challenge` options, whatever platform they came from. */
export function challengeCommand(
  request: ChallengeRequest,
  origin: Origin,
  form: OptionForm = 'text',
): Command {
  const given = request.hours !== undefined && request.hours !== null;
  return {
    kind: 'challenge',
    origin,
    promptId: request.prompt?.trim().toLowerCase() || undefined,
    hours: given ? wholeHours(request.hours, form) : DEFAULT_CHALLENGE_HOURS,
  };
}

/** A `schedule` as a person gave it, before it is checked. */
export interface ScheduleRequest {
  /** `add` (the default when a rule is given), `list`, `cancel`, `pause` or `resume`. */
  readonly action?: string | null;
  readonly rule?: string | null;
  readonly tz?: string | null;
  readonly hours?: number | string | null;
  readonly prompt?: string | null;
  /** The schedule id, for `cancel`, `pause` and `resume`. */
  readonly id?: string | null;
}

const SCHEDULE_ACTIONS = new Set(['add', 'list', 'cancel', 'pause', 'resume']);

/** The one validator of `schedule` options, whatever platform they came from. */
export function scheduleCommand(
  request: ScheduleRequest,
  origin: Origin,
  form: OptionForm = 'text',
): Command {
  const surface = surfaceOf(form);
  const action = (request.action ?? 'add').trim().toLowerCase();
  if (!SCHEDULE_ACTIONS.has(action)) {
    throw new UserError(
      `Unknown schedule action "${action}": use add, list, cancel, pause or resume. ${usageLine(surface, 'schedule')}`,
    );
  }
  if (action === 'list') return { kind: 'schedules', origin, action };
  if (action !== 'add') {
    const id = request.id?.trim();
    if (!id) {
      throw new UserError(
        `${scheduleUsage(surface, action)} needs the schedule's id, e.g. ${scheduleUsage(surface, action, 's1a2b3c')} (see ${scheduleUsage(surface, 'list')}).`,
      );
    }
    return { kind: 'schedules', origin, action: action as 'cancel', scheduleId: id };
  }
  if (!request.rule?.trim()) {
    throw new UserError(
      `${commandUsage(surface, 'schedule')} needs a rule. ${usageLine(surface, 'schedule')}`,
    );
  }
  const rule = parseRule(request.rule, scheduleRuleHelp(surface));
  const tz = request.tz?.trim();
  const hours = request.hours;
  return {
    kind: 'schedule',
    origin,
    rule,
    // An empty `--tz` is refused (an unknown zone), not taken as none.
    ...(tz !== undefined ? { timeZone: checkTimeZone(tz, surface) } : {}),
    hours:
      hours !== undefined && hours !== null ? wholeHours(hours, form) : DEFAULT_CHALLENGE_HOURS,
    ...(request.prompt?.trim() ? { promptId: request.prompt.trim().toLowerCase() } : {}),
  };
}

/**
 * `remind RULE [--tz Z]`, `remind snooze 1w|Nd|Nw`, `remind off`: from the words after the verb
 * (a platform with typed options passes its `when:` option split the same way, and its `tz:` as
 * `--tz Z`, with `form` typed so that a refusal names the options as typed there).
 */
export function remindCommand(
  words: readonly string[],
  origin: Origin,
  form: OptionForm = 'text',
): Command {
  const surface = surfaceOf(form);
  const usage = remindUsage(surface);
  const [first = '', ...rest] = words;
  const word = first.toLowerCase();
  if (word === 'off' && rest.length === 0)
    return { kind: 'remind', origin, action: { kind: 'off' } };
  if (word === 'snooze') {
    const match = rest.length === 1 ? /^(\d{1,2})([dw])$/i.exec(rest[0] as string) : null;
    const days = match
      ? Number(match[1]) * ((match[2] as string).toLowerCase() === 'w' ? 7 : 1)
      : 0;
    if (!match || days < 1 || days > 56) {
      throw new UserError(
        `Snooze for some days or weeks, up to 8 weeks: ${commandUsage(surface, 'remind', 'snooze 3d')} or ${commandUsage(surface, 'remind', 'snooze 1w')}${rest.length ? ` (got "${rest.join(' ')}")` : ''}.`,
      );
    }
    return { kind: 'remind', origin, action: { kind: 'snooze', days } };
  }
  if (!FRIENDLY_WORDS.has(word)) throw new UserError(usage);
  const tokens = words.map((text) => ({ text, quoted: false }));
  const { values, rest: ruleWords } = takeOptions(tokens, ['--tz'], usage);
  const rule = parseRule(ruleWords.map((t) => t.text).join(' '), usage);
  const tz = values['--tz'];
  return {
    kind: 'remind',
    origin,
    action: {
      kind: 'set',
      rule,
      ...(tz === undefined ? {} : { timeZone: checkTimeZone(tz, surface) }),
    },
  };
}

/**
 * Splits the options `names` (`--tz Europe/Berlin` or `--tz=Europe/Berlin`) from the other
 * words; any other unquoted `--option` is refused, with `usage`.
 */
function takeOptions(
  tokens: readonly Token[],
  names: readonly string[],
  usage: string,
): { values: Record<string, string>; rest: Token[] } {
  const values: Record<string, string> = {};
  const rest: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const [flag, inline] = splitOption(token.text);
    if (!token.quoted && names.includes(flag)) values[flag] = inline ?? tokens[++i]?.text ?? '';
    else if (!token.quoted && token.text.startsWith('--')) {
      throw new UserError(`Unknown option "${token.text}". ${usage}`);
    } else rest.push(token);
  }
  return { values, rest };
}

function drillUsage(given: string): string {
  const kinds = Object.values(DRILLS)
    .map((d) => `\`drill ${d.kind}\` (${d.minutes} minutes)`)
    .join(', ');
  return `Name a drill: ${kinds}${given ? `; "${given}" is not one` : ''}.`;
}

/** `drill hypothesis|tradeoffs|risks`. */
export function drillCommand(kind: string | null | undefined, origin: Origin): Command {
  const drill = (kind ?? '').trim().toLowerCase();
  if (!isDrill(drill)) throw new UserError(drillUsage(drill));
  return { kind: 'drill', origin, drill };
}

/** `leaderboard on|off`. */
export function leaderboardCommand(setting: string | null | undefined, origin: Origin): Command {
  const value = (setting ?? '').trim().toLowerCase();
  if (value !== 'on' && value !== 'off') {
    throw new UserError(
      `Write \`leaderboard off\` to stay off leaderboards, \`leaderboard on\` to be ranked again${value ? ` (got "${value}")` : ''}.`,
    );
  }
  return { kind: 'leaderboard', origin, ranked: value === 'on' };
}

function challengeRequest(args: string[]): ChallengeRequest {
  let prompt: string | undefined;
  let hours: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const [flag, inline] = splitOption(arg);
    if (flag === '--hours') {
      hours = inline ?? args[++i] ?? '';
    } else if (arg.startsWith('-')) {
      throw new UserError(`Unknown option "${arg}". ${usageOf('challenge')}`);
    } else if (prompt === undefined) {
      prompt = arg;
    } else {
      throw new UserError(
        `\`challenge\` takes one prompt id, but got "${prompt}" and "${arg}". ${usageOf('challenge')}`,
      );
    }
  }
  return { prompt, hours };
}

/**
 * `schedule list`, `schedule cancel|pause|resume ID`, or `schedule RULE [--tz Z] [--hours N]
 * [prompt-id]`, where RULE is a quoted cron rule, five unquoted cron fields, or a friendly form.
 */
function scheduleRequest(tokens: readonly Token[]): ScheduleRequest {
  const first = tokens[0];
  const action = first && !first.quoted ? first.text.toLowerCase() : undefined;
  if (action && SCHEDULE_ACTIONS.has(action) && action !== 'add') {
    if (tokens.length > 2) {
      throw new UserError(`\`schedule ${action}\` takes one schedule id. ${usageOf('schedule')}`);
    }
    return { action, id: tokens[1]?.text };
  }
  // `schedule add RULE` (the action Discord offers, and the refusals name) is `schedule RULE`.
  const words = action === 'add' ? tokens.slice(1) : tokens;
  const { values, rest } = takeOptions(words, ['--tz', '--hours'], usageOf('schedule'));
  const tz = values['--tz'];
  const hours = values['--hours'];
  if (rest.length === 0) return { tz, hours };
  const head = rest[0] as Token;
  // How many words the rule takes: one quoted, a friendly form's, or five cron fields.
  const size = head.quoted
    ? 1
    : FRIENDLY_WORDS.has(head.text.toLowerCase())
      ? head.text.toLowerCase() === 'weekly'
        ? 3
        : 2
      : 5;
  const rule = rest
    .slice(0, size)
    .map((t) => t.text)
    .join(' ');
  const more = rest.slice(size).map((t) => t.text);
  if (more.length > 1) {
    throw new UserError(
      `\`schedule\` takes one prompt id after the rule, but got "${more.join(' ')}". Put a cron rule in quotes: ${usageOf('schedule')}`,
    );
  }
  return { rule, tz, hours, prompt: more[0] };
}

/** `start [prompt-id] [live|async] [--minutes N] [--hours N] [--tz Z]`, the words after the verb. */
function startRequest(tokens: readonly Token[]): StartRequest {
  const { values, rest } = takeOptions(tokens, ['--minutes', '-m', '--hours', '--tz'], START_USAGE);
  let prompt: string | undefined;
  let mode: string | undefined;
  for (const { text: arg } of rest) {
    if (arg.startsWith('-')) {
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
  const minutes = values['--minutes'] ?? values['-m'];
  return { prompt, minutes, hours: values['--hours'], mode, tz: values['--tz'] };
}

/**
 * A whole number as people write one: digits, perhaps signed. `Number` alone would also take
 * `1e2`, `0x10` or `30.0`, and start a round of a length nobody typed.
 */
const WHOLE = /^[+-]?\d+$/;

function wholeHours(value: number | string | null | undefined, form: OptionForm): number {
  const text = String(value ?? '').trim();
  const n = Number(text);
  if (!WHOLE.test(text) || n < 1 || n > MAX_ASYNC_HOURS) {
    throw new UserError(
      `${option(form, 'hours')} needs a whole number of hours from 1 to ${MAX_ASYNC_HOURS}, e.g. ${option(form, 'hours', '48')}${text === '' ? '' : ` (got "${text}")`}.`,
    );
  }
  return n;
}

/** Validates a round length typed by a person. */
export function parseMinutes(value: string | undefined, form: OptionForm = 'text'): number {
  const text = (value ?? '').trim();
  const n = Number(text);
  if (!WHOLE.test(text)) {
    throw new UserError(
      `${option(form, 'minutes')} needs a whole number of minutes from ${MIN_MINUTES} to ${MAX_MINUTES}, e.g. ${option(form, 'minutes', '30')}${text === '' ? '' : ` (got "${text}")`}.`,
    );
  }
  if (n < MIN_MINUTES || n > MAX_MINUTES) {
    throw new UserError(
      `A round lasts from ${MIN_MINUTES} to ${MAX_MINUTES} minutes; ${n} is out of range. Try ${option(form, 'minutes', '45')}.`,
    );
  }
  return n;
}

/**
 * `--flag=value` as the flag and everything after its first `=` (so `--minutes=30=9` keeps
 * `30=9`, which the value's own check refuses); `--flag` alone has no inline value.
 */
function splitOption(text: string): [string, string | undefined] {
  const at = text.indexOf('=');
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}
