import { describe, expect, it } from 'vitest';
import { parseCommandText } from '../../src/commands/parse.js';

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
    ['start a b', /takes one prompt id/],
    ['start --fast', /Unknown option "--fast"/],
    ['start async --minutes 30', /async round is measured in hours/],
    ['start --hours 3', /`--hours` is for async rounds/],
    ['start async --hours 999', /from 1 to 336/],
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
    ['drill', /Name a drill: `drill hypothesis` \(2 minutes\)/],
    ['drill design', /"design" is not one/],
    ['leaderboard maybe', /`leaderboard off`.*`leaderboard on`/],
  ];
  for (const [text, message] of bad) {
    it(`explains what is wrong with "${text}"`, () =>
      expect(() => parseCommandText(text, origin)).toThrow(message));
  }
});
