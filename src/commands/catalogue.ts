/**
 * Every command a person can give, once: its usage line, what it does, its options and where it
 * works. The help card, the text parser's usage and Discord's slash-command registration all come
 * from this list, so they cannot drift apart.
 */

/** Shortest and longest live round, in minutes. */
export const MIN_MINUTES = 5;
export const MAX_MINUTES = 240;
/** Longest async round, in hours. */
export const MAX_ASYNC_HOURS = 24 * 14;
/** Default length of an async round, in hours. */
export const DEFAULT_ASYNC_HOURS = 72;

/** Default and longest time a team challenge stays open, in hours. */
export const DEFAULT_CHALLENGE_HOURS = 48;
export const MAX_CHALLENGE_HOURS = 24 * 14;

/** An option of a command, as a platform with typed options (Discord) registers it. */
export interface OptionSpec {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'boolean';
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly { readonly name: string; readonly value: string }[];
  /** Values are suggested as the person types (the prompt library). */
  readonly autocomplete?: boolean;
}

/** Choices whose names are their values. */
function choicesOf(...values: readonly string[]): OptionSpec['choices'] {
  return values.map((value) => ({ name: value, value }));
}

/** The prompt of a round or challenge, suggested from the library as the person types. */
const PROMPT_OPTION: OptionSpec = {
  name: 'prompt',
  type: 'string',
  description: 'Prompt from the library, random, or adaptive (your weakest criterion)',
  autocomplete: true,
};

export interface CommandSpec {
  /** The verb, e.g. `start`. */
  readonly name: string;
  /** How to write it, e.g. `start [prompt-id|random] [--minutes N]`. */
  readonly usage: string;
  /** What it does, in one line. */
  readonly summary: string;
  /** The typed options (Discord); the text form is in `usage`. */
  readonly options: readonly OptionSpec[];
  /** It works during a terminal round. */
  readonly terminal: boolean;
}

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'start',
    usage: '`start [prompt-id|random|adaptive] [--minutes N]`',
    summary: `start a live round (N from ${MIN_MINUTES} to ${MAX_MINUTES}, default 45)`,
    options: [
      PROMPT_OPTION,
      {
        name: 'minutes',
        type: 'integer',
        description: `Length of a live round, ${MIN_MINUTES} to ${MAX_MINUTES} (default 45)`,
        min: MIN_MINUTES,
        max: MAX_MINUTES,
      },
      {
        name: 'mode',
        type: 'string',
        description: 'live: timed, with cut-ins (default); async: over days, say next',
        choices: choicesOf('live', 'async'),
      },
      {
        name: 'hours',
        type: 'integer',
        description: `Length of an async round, 1 to ${MAX_ASYNC_HOURS} (default ${DEFAULT_ASYNC_HOURS})`,
        min: 1,
        max: MAX_ASYNC_HOURS,
      },
      {
        name: 'tz',
        type: 'string',
        description:
          'Your time zone, e.g. Europe/Berlin: an async round does not nudge you in your night',
      },
    ],
    terminal: false,
  },
  {
    name: 'async',
    usage: '`start [prompt-id|random] async [--hours N] [--tz Area/City]`',
    summary: `a round over days: say \`next\` when a phase is done (N up to ${MAX_ASYNC_HOURS}, default ${DEFAULT_ASYNC_HOURS})`,
    options: [],
    terminal: false,
  },
  {
    name: 'drill',
    usage: '`drill hypothesis|tradeoffs|risks`',
    summary:
      'a short timed drill on one criterion: a hypothesis (2 min), trade-offs or risks (5 min)',
    options: [
      {
        name: 'kind',
        type: 'string',
        description: 'hypothesis (2 min), tradeoffs or risks (5 min)',
        choices: choicesOf('hypothesis', 'tradeoffs', 'risks'),
      },
    ],
    terminal: false,
  },
  {
    name: 'remind',
    usage:
      '`remind weekly mon 09:00|daily 08:30 [--tz Area/City]`, `remind snooze 1w`, `remind off`',
    summary: 'a direct message at your local time with a drill on your weakest criterion',
    options: [
      {
        name: 'when',
        type: 'string',
        description: 'weekly mon 09:00, daily 08:30, weekdays 09:00, snooze 1w, or off',
      },
      {
        name: 'tz',
        type: 'string',
        description: 'Time zone, e.g. Europe/Berlin (default: yours where known, else UTC)',
      },
    ],
    terminal: false,
  },
  {
    name: 'challenge',
    usage: '`challenge [prompt-id|random|adaptive] [--hours N]`',
    summary: `a team challenge here: private attempts, a leaderboard after N hours (default ${DEFAULT_CHALLENGE_HOURS})`,
    options: [
      PROMPT_OPTION,
      {
        name: 'hours',
        type: 'integer',
        description: `Hours it stays open, 1 to ${MAX_CHALLENGE_HOURS} (default ${DEFAULT_CHALLENGE_HOURS})`,
        min: 1,
        max: MAX_CHALLENGE_HOURS,
      },
    ],
    terminal: false,
  },
  {
    name: 'schedule',
    usage:
      '`schedule "<cron>"|weekly mon 10:00|daily 09:30|weekdays 09:00 [--tz Area/City] [--hours N] [prompt-id]`, `schedule list`, `schedule cancel|pause|resume ID`',
    summary: 'repeat a team challenge in this channel on a schedule (admins and its creator)',
    options: [
      {
        name: 'action',
        type: 'string',
        description: 'add (default), list, cancel, pause or resume',
        choices: choicesOf('add', 'list', 'cancel', 'pause', 'resume'),
      },
      {
        name: 'rule',
        type: 'string',
        description:
          'Cron rule like 0 10 * * MON, or weekly mon 10:00, daily 09:30, weekdays 09:00',
      },
      {
        name: 'tz',
        type: 'string',
        description: 'Time zone, e.g. Europe/Berlin (default: yours where known, else UTC)',
      },
      {
        name: 'hours',
        type: 'integer',
        description: `Hours each challenge stays open, 1 to ${MAX_CHALLENGE_HOURS} (default ${DEFAULT_CHALLENGE_HOURS})`,
        min: 1,
        max: MAX_CHALLENGE_HOURS,
      },
      PROMPT_OPTION,
      { name: 'id', type: 'string', description: 'The schedule, for cancel, pause and resume' },
    ],
    terminal: false,
  },
  {
    name: 'leaderboard',
    usage: '`leaderboard off|on`',
    summary: 'stay off challenge leaderboards, or be ranked again',
    options: [
      {
        name: 'ranked',
        type: 'string',
        description: 'off: take part unranked; on: be ranked',
        choices: choicesOf('on', 'off'),
      },
    ],
    terminal: false,
  },
  {
    name: 'next',
    usage: '`next`',
    summary: 'move on to the next phase (from the last one: end)',
    options: [],
    terminal: true,
  },
  {
    name: 'end',
    usage: '`end`',
    summary: 'end your round now and get the scorecard',
    options: [],
    terminal: true,
  },
  {
    name: 'status',
    usage: '`status`',
    summary: 'phase, time left, and whether a hypothesis has been heard',
    options: [],
    terminal: true,
  },
  {
    name: 'prompts',
    usage: '`prompts`',
    summary: 'list the prompt library',
    options: [],
    terminal: true,
  },
  {
    name: 'history',
    usage: '`history`',
    summary: 'your recent rounds, each criterion’s trend, and a chart in your direct messages',
    options: [],
    terminal: false,
  },
  {
    name: 'export',
    usage: '`export`',
    summary: 'all your rounds as transcript JSON, sent to your direct messages',
    options: [],
    terminal: false,
  },
  {
    name: 'forget',
    usage: '`forget`',
    summary: 'delete every round and scorecard of yours (asks to confirm)',
    options: [
      {
        name: 'confirm',
        type: 'boolean',
        description: 'True to delete; without it, shows what it deletes',
      },
    ],
    terminal: false,
  },
  { name: 'help', usage: '`help`', summary: 'this list', options: [], terminal: true },
];

/** The commands registered as slash subcommands (the async form is an option of `start`). */
export const SUBCOMMANDS: readonly CommandSpec[] = COMMANDS.filter((c) => c.name !== 'async');

/** Discord's description of the whole `/mockdesign` command. */
export const PRODUCT_SUMMARY = 'Timed mock research-design interviews with a scorecard';
