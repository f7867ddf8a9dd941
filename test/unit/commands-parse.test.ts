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
  ];
  for (const [text, message] of bad) {
    it(`explains what is wrong with "${text}"`, () =>
      expect(() => parseCommandText(text, origin)).toThrow(message));
  }
});
