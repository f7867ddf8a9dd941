import { describe, expect, it } from 'vitest';
import type { Origin } from '../../src/commands/command.js';
import {
  commandInRound,
  parseCommandText,
  remindCommand,
  scheduleCommand,
  startCommand,
} from '../../src/commands/parse.js';
import { UserError } from '../../src/errors.js';

const origin = { platform: 'slack', user: 'U1', channel: 'slack:T1:C1' };

describe('parseCommandText', () => {
  const good: [string, object][] = [
    ['', { kind: 'start', mode: 'live', promptId: undefined, minutes: undefined }],
    ['start', { kind: 'start', mode: 'live' }],
    [
      'start rag-hallucination-measurement --minutes 30',
      { promptId: 'rag-hallucination-measurement', minutes: 30 },
    ],
    ['start random --minutes=60', { promptId: 'random', minutes: 60 }],
    ['start async', { mode: 'async', minutes: 72 * 60 }],
    [
      'start red-teaming-at-scale async --hours 48',
      { mode: 'async', minutes: 48 * 60, promptId: 'red-teaming-at-scale' },
    ],
    [
      'start async --tz Europe/Berlin',
      { mode: 'async', minutes: 72 * 60, timeZone: 'Europe/Berlin' },
    ],
    [
      'start red-teaming-at-scale async --hours 48 --tz=America/New_York',
      { mode: 'async', minutes: 48 * 60, timeZone: 'America/New_York' },
    ],
    // A zone is taken in any case and stored as its canonical name.
    ['start async --tz asia/tokyo', { mode: 'async', timeZone: 'Asia/Tokyo' }],
    ['END', { kind: 'end' }],
    ['next', { kind: 'next' }],
    ['status', { kind: 'status' }],
    ['prompts', { kind: 'prompts' }],
    ['help', { kind: 'help' }],
    ['history', { kind: 'history' }],
    ['forget', { kind: 'forget', confirmed: false }],
    ['forget confirm', { kind: 'forget', confirmed: true }],
    ['challenge', { kind: 'challenge', hours: 48, promptId: undefined }],
    ['challenge red-teaming-at-scale --hours 2', { promptId: 'red-teaming-at-scale', hours: 2 }],
    [
      'schedule "0 10 * * MON" --tz Europe/Berlin --hours 48',
      {
        kind: 'schedule',
        rule: { pattern: '0 10 * * MON', text: '0 10 * * MON' },
        timeZone: 'Europe/Berlin',
        hours: 48,
      },
    ],
    [
      'schedule “30 9 * * 1-5” random',
      { kind: 'schedule', rule: { pattern: '30 9 * * 1-5' }, promptId: 'random' },
    ],
    [
      'schedule weekly mon 10:00 --tz=UTC labeller-quality',
      { rule: { pattern: '0 10 * * MON', text: 'weekly mon 10:00' }, promptId: 'labeller-quality' },
    ],
    ['schedule daily 09:30', { rule: { pattern: '30 9 * * *' }, hours: 48 }],
    ['schedule weekdays 9:05 --hours 24', { rule: { pattern: '5 9 * * MON-FRI' }, hours: 24 }],
    ['schedule 0 10 * * MON', { rule: { pattern: '0 10 * * MON' } }],
    [
      'schedule add weekly mon 10:00',
      { kind: 'schedule', rule: { pattern: '0 10 * * MON', text: 'weekly mon 10:00' } },
    ],
    ['schedule list', { kind: 'schedules', action: 'list' }],
    ['schedule cancel s1a2b3', { kind: 'schedules', action: 'cancel', scheduleId: 's1a2b3' }],
    ['schedule PAUSE s1', { kind: 'schedules', action: 'pause', scheduleId: 's1' }],
    ['schedule resume s1', { kind: 'schedules', action: 'resume', scheduleId: 's1' }],
    ['leaderboard off', { kind: 'leaderboard', ranked: false }],
    ['drill hypothesis', { kind: 'drill', drill: 'hypothesis' }],
    [
      'remind weekly mon 09:00 --tz Europe/Berlin',
      {
        kind: 'remind',
        action: { kind: 'set', rule: { pattern: '0 9 * * MON' }, timeZone: 'Europe/Berlin' },
      },
    ],
    [
      'remind daily 08:30',
      { kind: 'remind', action: { kind: 'set', rule: { pattern: '30 8 * * *' } } },
    ],
    ['remind snooze 1w', { kind: 'remind', action: { kind: 'snooze', days: 7 } }],
    ['remind snooze 3d', { kind: 'remind', action: { kind: 'snooze', days: 3 } }],
    ['remind off', { kind: 'remind', action: { kind: 'off' } }],
    ['drill Risks', { kind: 'drill', drill: 'risks' }],
    ['export', { kind: 'export' }],
    ['start adaptive', { kind: 'start', promptId: 'adaptive' }],
    ['leaderboard ON', { kind: 'leaderboard', ranked: true }],
  ];
  for (const [text, expected] of good) {
    it(`reads "${text}"`, () => expect(parseCommandText(text, origin)).toMatchObject(expected));
  }

  const bad: [string, RegExp][] = [
    ['begin', /Unknown command "begin"/],
    ['start --minutes', /needs a whole number of minutes from 5 to 240/],
    ['start --minutes 4', /from 5 to 240 minutes; 4 is out of range/],
    ['start --minutes 241', /241 is out of range/],
    ['start --minutes 2.5', /whole number of minutes/],
    ['start --minutes 1e2', /whole number of minutes.*\(got "1e2"\)/],
    ['start --minutes 0x10', /whole number of minutes.*\(got "0x10"\)/],
    ['start --minutes 30.0', /whole number of minutes.*\(got "30\.0"\)/],
    ['challenge --hours 1e1', /whole number of hours.*got "1e1"/],
    ['start a b', /takes one prompt id/],
    ['start --fast', /Unknown option "--fast"/],
    ['start async --minutes 30', /async round is measured in hours/],
    ['start --hours 3', /`--hours` is for async rounds/],
    ['start async --hours 999', /from 1 to 336/],
    [
      'start --tz Europe/Berlin',
      /^`--tz` is for async rounds, to keep their nudges out of your night: write `start async --tz Area\/City`\.$/,
    ],
    ['start async --tz Mars/Base', /Unknown time zone "Mars\/Base".*`--tz Europe\/Berlin`/],
    ['start async --tz', /Unknown time zone ""/],
    ['start async --zone UTC', /Unknown option "--zone"/],
    ['end now', /`end` takes no arguments/],
    ['forget everything', /then `forget confirm` to delete it/],
    ['challenge --hours 0', /whole number of hours from 1 to 336.*got "0"/],
    ['challenge --hours abc', /whole number of hours.*got "abc"/],
    ['challenge a b', /takes one prompt id/],
    ['schedule', /needs a rule/],
    ['schedule "0 10 * *"', /five fields, this has 4/],
    ['schedule "61 10 * * MON"', /not a cron rule.*e\.g\. `schedule "0 10 \* \* MON"`/],
    ['schedule weekly funday 10:00', /"funday" is not a day of the week/],
    ['schedule daily 25:00', /"25:00" is not a time of day/],
    ['schedule daily 09:30 --tz Mars/Base', /Unknown time zone "Mars\/Base".*Europe\/Berlin/],
    ['schedule daily 09:30 --tz', /Unknown time zone "".*Europe\/Berlin/],
    ['start --minutes=30=9', /`--minutes` needs a whole number .*\(got "30=9"\)/],
    ['schedule daily 09:30 --hours 0', /whole number of hours/],
    ['schedule cancel', /needs the schedule's id/],
    ['schedule daily 09:30 a b', /one prompt id after the rule/],
    ['schedule daily 09:30 --every', /Unknown option "--every"/],
    ['remind', /Write `remind weekly mon 09:00`/],
    ['remind hourly', /Write `remind weekly mon 09:00`/],
    ['remind snooze forever', /up to 8 weeks.*got "forever"/],
    ['remind snooze 9w', /up to 8 weeks/],
    ['remind daily 08:30 --tz Nowhere/City', /Unknown time zone "Nowhere\/City"/],
    ['remind weekly 09:00', /"weekly 09:00" is not a rule.*Write `remind weekly mon 09:00`/],
    ['drill', /Name a drill: `drill hypothesis` \(2 minutes\)/],
    ['drill design', /"design" is not one/],
    ['leaderboard maybe', /`leaderboard off`.*`leaderboard on`/],
  ];
  for (const [text, message] of bad) {
    it(`explains what is wrong with "${text}"`, () =>
      expect(() => parseCommandText(text, origin)).toThrow(message));
  }
});

/** The message of the `UserError` that `run` throws. */
function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error.message;
    throw error;
  }
  throw new Error('accepted');
}

describe('refusals of schedule and remind rules, named as they are typed', () => {
  const discord: Origin = { platform: 'discord', user: 'U1', channel: 'discord:G1:C1' };
  const schedule = (request: Parameters<typeof scheduleCommand>[0]) =>
    refusal(() => scheduleCommand(request, discord, 'typed'));
  const remind = (...words: string[]) => refusal(() => remindCommand(words, discord, 'typed'));

  const typed: [string, string, string][] = [
    [
      'a schedule without a rule',
      schedule({}),
      '`/mockdesign schedule` needs a rule. Usage: `/mockdesign schedule action: rule: tz: hours: prompt: id:`',
    ],
    [
      'an unknown schedule action',
      schedule({ action: 'stop' }),
      'Usage: `/mockdesign schedule action: rule: tz: hours: prompt: id:`',
    ],
    [
      'a schedule action without its id',
      schedule({ action: 'pause' }),
      "`/mockdesign schedule action:pause` needs the schedule's id, e.g. `/mockdesign schedule action:pause id:s1a2b3c` (see `/mockdesign schedule action:list`).",
    ],
    [
      'a cron rule with four fields',
      schedule({ rule: '0 10 * *' }),
      'e.g. `/mockdesign schedule rule:0 10 * * MON` (minute hour day month weekday), or `rule:weekly mon 10:00`',
    ],
    [
      'a cron rule out of range',
      schedule({ rule: '61 10 * * MON' }),
      'e.g. `/mockdesign schedule rule:0 10 * * MON`',
    ],
    [
      'a friendly schedule rule without its time',
      schedule({ rule: 'weekly mon' }),
      'e.g. `/mockdesign schedule rule:0 10 * * MON`',
    ],
    [
      'a schedule in an unknown time zone',
      schedule({ rule: 'daily 09:30', tz: 'Mars/Base' }),
      'such as `tz:Europe/Berlin` or `tz:America/New_York`, or `tz:UTC`.',
    ],
    [
      'a remind rule that is none',
      remind('hourly'),
      'Write `/mockdesign remind when:weekly mon 09:00` (or `daily 08:30`, `weekdays 09:00`, with `tz:Area/City` if you like), `/mockdesign remind when:snooze 1w` (or `3d`), or `/mockdesign remind when:off`.',
    ],
    [
      'a weekly remind rule without its day',
      remind('weekly', '09:00'),
      '"weekly 09:00" is not a rule. Write `/mockdesign remind when:weekly mon 09:00`',
    ],
    [
      'an unknown option in a remind rule',
      remind('daily', '08:30', '--every'),
      'Unknown option "--every". Write `/mockdesign remind when:weekly mon 09:00`',
    ],
    [
      'a snooze that is too long',
      remind('snooze', '9w'),
      '`/mockdesign remind when:snooze 3d` or `/mockdesign remind when:snooze 1w`',
    ],
    [
      'a reminder in an unknown time zone',
      remind('daily', '08:30', '--tz', 'Nowhere/City'),
      'such as `tz:Europe/Berlin`',
    ],
  ];
  for (const [what, message, expected] of typed) {
    it(`names the slash command and its typed options for ${what} on Discord`, () => {
      expect(message).toContain(expected);
      // No text-form options or text commands (`schedule "0 10 * * MON"`, `remind off`).
      expect(message).not.toMatch(/--(?!every)|`schedule |`remind /);
    });
  }

  it('takes a rule typed in quotes, straight or curly, as the rule inside them', () => {
    for (const rule of ['"0 10 * * MON"', '“0 10 * * MON”', "'weekly mon 10:00'"]) {
      const command = scheduleCommand({ rule }, discord, 'typed');
      expect(command).toMatchObject({ kind: 'schedule', rule: { pattern: '0 10 * * MON' } });
    }
  });

  it('keeps the text form where commands are text (Slack)', () => {
    const slack = (text: string) => refusal(() => parseCommandText(text, origin));
    expect(slack('schedule')).toContain('Usage: `schedule "<cron>"|weekly mon 10:00');
    expect(slack('schedule pause')).toContain(
      'e.g. `schedule pause s1a2b3c` (see `schedule list`)',
    );
    expect(slack('schedule "0 10 * *"')).toContain(
      'Write a cron rule in quotes, e.g. `schedule "0 10 * * MON"` (minute hour day month weekday), or `weekly mon 10:00`',
    );
    expect(slack('schedule daily 09:30 --tz Mars/Base')).toContain('such as `--tz Europe/Berlin`');
    expect(slack('remind hourly')).toBe(
      'Write `remind weekly mon 09:00` (or `daily 08:30`, `weekdays 09:00`, with `--tz Area/City` if you like), `remind snooze 1w` (or `3d`), or `remind off`.',
    );
    expect(slack('remind weekly 09:00')).toContain('Write `remind weekly mon 09:00`');
    expect(slack('remind weekly 09:00')).not.toContain('schedule');
    expect(slack('remind snooze 9w')).toContain('`remind snooze 3d` or `remind snooze 1w`');
  });
});

describe('the time zone of an async start', () => {
  const discord: Origin = { platform: 'discord', user: 'U1', channel: 'discord:G1:C1' };
  const typed = (request: Parameters<typeof startCommand>[0]) =>
    startCommand(request, discord, 'typed');

  it('takes Discord’s tz option for an async round, as its canonical name', () => {
    expect(typed({ mode: 'async', hours: 48, tz: 'europe/berlin' })).toMatchObject({
      kind: 'start',
      mode: 'async',
      minutes: 48 * 60,
      timeZone: 'Europe/Berlin',
    });
    // No option given: no zone, so the round uses the one the platform or a reminder knows.
    expect(typed({ mode: 'async', tz: null })).not.toHaveProperty('timeZone');
    expect(parseCommandText('start async', origin)).not.toHaveProperty('timeZone');
  });

  it('refuses tz on a live round and an unknown zone, naming the options as Discord takes them', () => {
    expect(refusal(() => typed({ tz: 'Europe/Berlin' }))).toBe(
      '`tz:` is for async rounds, to keep their nudges out of your night: add `mode:async`.',
    );
    expect(refusal(() => typed({ mode: 'live', minutes: 30, tz: 'UTC' }))).toMatch(
      /^`tz:` is for async rounds/,
    );
    const unknown = refusal(() => typed({ mode: 'async', tz: 'Mars/Base' }));
    expect(unknown).toBe(
      'Unknown time zone "Mars/Base". Write an Area/City name such as `tz:Europe/Berlin` or `tz:America/New_York`, or `tz:UTC`.',
    );
    expect(refusal(() => typed({ mode: 'async', tz: ' ' }))).toMatch(/^Unknown time zone ""/);
  });

  it('reads an async start with a zone typed in a round’s thread as a command, not an answer', () => {
    expect(commandInRound('start async --tz Europe/Berlin', origin)).toMatchObject({
      kind: 'start',
      timeZone: 'Europe/Berlin',
    });
    expect(
      commandInRound('start red-teaming-at-scale async --hours 48 --tz America/New_York', origin),
    ).toMatchObject({ kind: 'start', timeZone: 'America/New_York' });
    expect(commandInRound('start by framing it in Europe/Berlin', origin)).toBeUndefined();
  });
});
