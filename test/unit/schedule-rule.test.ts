import { describe, expect, it } from 'vitest';
import { localTime, nextOccurrences, parseRule } from '../../src/challenges/schedule-rule.js';

const iso = (ms: number) => new Date(ms).toISOString();

describe('challenge schedule rules', () => {
  it('opens a weekly 10:00 Europe/Berlin challenge at 10:00 local time on both sides of the spring change', () => {
    // Summer time starts in Berlin on Sunday 28 March 2027: 10:00 is 09:00 UTC before, 08:00 after.
    const { pattern } = parseRule('weekly mon 10:00');
    const next = nextOccurrences(pattern, 'Europe/Berlin', Date.parse('2027-03-20T00:00:00Z'), 3);
    expect(next.map(iso)).toEqual([
      '2027-03-22T09:00:00.000Z',
      '2027-03-29T08:00:00.000Z',
      '2027-04-05T08:00:00.000Z',
    ]);
    expect(next.map((ms) => localTime(ms, 'Europe/Berlin'))).toEqual([
      'Mon, 22 Mar 2027, 10:00 (Europe/Berlin)',
      'Mon, 29 Mar 2027, 10:00 (Europe/Berlin)',
      'Mon, 5 Apr 2027, 10:00 (Europe/Berlin)',
    ]);
  });

  it('keeps 10:00 local across the autumn change too', () => {
    // Winter time starts on Sunday 31 October 2027: 08:00 UTC before, 09:00 after.
    const next = nextOccurrences(
      '0 10 * * MON',
      'Europe/Berlin',
      Date.parse('2027-10-20T00:00:00Z'),
      2,
    );
    expect(next.map(iso)).toEqual(['2027-10-25T08:00:00.000Z', '2027-11-01T09:00:00.000Z']);
  });

  it('reads weekdays and daily forms as cron rules in the given zone', () => {
    const next = nextOccurrences(
      parseRule('weekdays 09:00').pattern,
      'America/New_York',
      Date.parse('2026-12-04T15:00:00Z'), // Friday 10:00 in New York
      2,
    );
    expect(next.map(iso)).toEqual(['2026-12-07T14:00:00.000Z', '2026-12-08T14:00:00.000Z']);
    expect(parseRule('daily 7:05').pattern).toBe('5 7 * * *');
  });
});
