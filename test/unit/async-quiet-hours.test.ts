import { describe, expect, it } from 'vitest';
import { cardText } from '../../src/presentation/card.js';
import { present } from '../../src/presentation/present.js';
import { afterQuietHours } from '../../src/round/quiet-hours.js';
import { HYPOTHESIS, harness, shippedLibrary } from './harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const NIGHT = { from: '22:00', until: '08:00' };

type Harness = Awaited<ReturnType<typeof harness>>;

/** The nudges and the end posted in `thread`, with the round minute each came at. */
function nudgesAndEnd(h: Harness, thread: string) {
  return h.platform.events(thread).filter((e) => e.event.startsWith('nudge') || e.event === 'end');
}

/** When the line of `event` was posted, as an ISO time. */
function postedAt(h: Harness, event: string): string | undefined {
  const post = h.platform.posts.find((p) => p.subject === event);
  return post && new Date(post.at).toISOString();
}

describe('when a nudge may reach someone in their time zone', () => {
  it.each([
    ['Europe/Berlin', '2026-11-30T20:59:00Z', '2026-11-30T20:59:00Z'], // 21:59: still evening
    ['Europe/Berlin', '2026-11-30T21:00:00Z', '2026-12-01T07:00:00Z'], // 22:00: night begins
    ['Europe/Berlin', '2026-12-01T02:00:00Z', '2026-12-01T07:00:00Z'], // 03:00
    ['Europe/Berlin', '2026-12-01T06:59:00Z', '2026-12-01T07:00:00Z'], // 07:59
    ['Europe/Berlin', '2026-12-01T07:00:00Z', '2026-12-01T07:00:00Z'], // 08:00: morning
    ['Europe/Berlin', '2026-11-30T12:00:00Z', '2026-11-30T12:00:00Z'], // 13:00
    // The night the clocks go forward: 03:30 summer time waits for 08:00 summer time.
    ['Europe/Berlin', '2026-03-29T01:30:00Z', '2026-03-29T06:00:00Z'],
    ['America/New_York', '2026-12-01T08:00:00Z', '2026-12-01T13:00:00Z'], // 03:00 EST
    ['Asia/Kolkata', '2026-11-30T21:30:00Z', '2026-12-01T02:30:00Z'], // 03:00 IST
  ])('in %s, a nudge due at %s goes out at %s', (zone, due, expected) => {
    const at = afterQuietHours(Date.parse(due), zone, NIGHT);
    expect(new Date(at).toISOString()).toBe(new Date(expected).toISOString());
  });

  it('reads quiet hours that do not cross midnight the same way', () => {
    const early = { from: '01:00', until: '06:30' };
    const at = (due: string) =>
      new Date(afterQuietHours(Date.parse(due), 'UTC', early)).toISOString();
    expect(at('2026-11-30T00:59:00Z')).toBe('2026-11-30T00:59:00.000Z');
    expect(at('2026-11-30T03:00:00Z')).toBe('2026-11-30T06:30:00.000Z');
    expect(at('2026-11-30T23:00:00Z')).toBe('2026-11-30T23:00:00.000Z');
  });

  it('leaves no night when the quiet hours start and end at the same time', () => {
    const none = { from: '08:00', until: '08:00' };
    for (const due of ['2026-11-30T03:00:00Z', '2026-11-30T08:00:00Z', '2026-11-30T23:00:00Z']) {
      expect(afterQuietHours(Date.parse(due), 'UTC', none)).toBe(Date.parse(due));
    }
  });
});

describe("an async round's nudges and the candidate's night", () => {
  // The fake clock starts at 2026-11-30 09:00 UTC, 10:00 in Berlin.

  it('holds a nudge due at 03:00 the candidate’s time until 08:00 there', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'Europe/Berlin' });
    await h.clock.advance(6.2 * HOUR); // 16:12 in Berlin
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    // Quiet for 10.8 h, the thread's nudge falls due at 03:00 in Berlin.
    await h.clock.advance(16 * HOUR);
    expect(nudgesAndEnd(h, thread)).toEqual([{ event: 'nudge-0', minute: 15.8 * 60 }]);
    expect(postedAt(h, 'nudge-0')).toBe('2026-12-01T07:00:00.000Z'); // 08:00 in Berlin
    expect(h.platform.said(thread, 'nudge-0')).toMatch(/^Still with us\?/m);
    expect(h.errors).toEqual([]);
  });

  it('holds a nudge in the night of the zone the candidate gave with --tz, over their platform’s', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'America/New_York' });
    await h.clock.advance(6.2 * HOUR); // 16:12 in Berlin, 10:12 in New York
    const thread = await h.start({ mode: 'async', minutes: 72 * 60, timeZone: 'Europe/Berlin' });
    expect((await h.store.findByThread(thread))?.timeZone).toBe('Europe/Berlin');
    // Due at 03:00 in Berlin (21:00 in New York, when it would have come).
    await h.clock.advance(16 * HOUR);
    expect(postedAt(h, 'nudge-0')).toBe('2026-12-01T07:00:00.000Z');
    expect(h.errors).toEqual([]);
  });

  it('nudges at the time it falls due when the platform does not know the candidate’s time zone', async () => {
    const h = await harness();
    await h.clock.advance(6.2 * HOUR);
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(16 * HOUR);
    expect(nudgesAndEnd(h, thread)).toEqual([{ event: 'nudge-0', minute: 10.8 * 60 }]);
    expect(postedAt(h, 'nudge-0')).toBe('2026-12-01T02:00:00.000Z');
  });

  it('starts the round, nudging at any hour, when the platform cannot say who the candidate is', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'Europe/Berlin' });
    h.platform.personFailures = 1;
    await h.clock.advance(6.2 * HOUR);
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(16 * HOUR);
    expect(nudgesAndEnd(h, thread)).toEqual([{ event: 'nudge-0', minute: 10.8 * 60 }]);
  });

  it('leaves out a nudge whose morning comes after the round ends at 06:00 the candidate’s time', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'Europe/Berlin' });
    // 20 hours from 10:00 in Berlin: the round ends at 06:00 there.
    const thread = await h.start({ mode: 'async', minutes: 20 * 60 });
    await h.clock.advance(14 * HOUR); // midnight in Berlin
    await h.reply(thread, HYPOTHESIS);
    // Quiet for 3 h, its nudge would fall due at 03:00, and 08:00 is after the end.
    await h.clock.advance(7 * HOUR);
    expect(nudgesAndEnd(h, thread)).toEqual([
      { event: 'nudge-0', minute: 3 * 60 }, // 13:00 in Berlin: in the day, as due
      { event: 'end', minute: 20 * 60 },
    ]);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
    expect(h.errors).toEqual([]);
  });
});

describe('an async round’s card and the candidate’s night', () => {
  /** The lines of the round's opening card. */
  const cardLines = (h: Harness) => {
    const [opening] = h.platform.cards('prompt');
    return opening ? cardText(opening.card).split('\n') : [];
  };

  it('says in one line the hours no nudge comes in, in the zone the platform gives', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'Europe/Berlin' });
    await h.start({ mode: 'async', minutes: 72 * 60 });
    expect(cardLines(h)).toContain('No nudges between 22:00 and 08:00 Europe/Berlin.');
    expect(cardLines(h).filter((l) => /nudge/i.test(l))).toHaveLength(1);
  });

  it('names the zone given with --tz rather than the platform’s', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'Europe/Berlin' });
    await h.start({ mode: 'async', minutes: 72 * 60, timeZone: 'Asia/Kolkata' });
    expect(cardLines(h)).toContain('No nudges between 22:00 and 08:00 Asia/Kolkata.');
  });

  it('says nudges may come at any hour, and how to set a night, when no zone is known', async () => {
    const h = await harness();
    await h.start({ mode: 'async', minutes: 72 * 60 });
    expect(cardLines(h)).toContain(
      'Nudges may come at any hour: add `--tz Area/City` to set your night.',
    );
    expect(cardLines(h).filter((l) => /nudge/i.test(l))).toHaveLength(1);
  });

  it('names the option as typed where commands are slash commands (Discord)', async () => {
    const { prompts } = await shippedLibrary();
    const [prompt] = prompts.values();
    if (!prompt) throw new Error('no prompt');
    const card = (timeZone?: string) =>
      cardText(
        present({
          kind: 'prompt',
          prompt,
          mode: 'async',
          minutes: 72 * 60,
          candidates: ['U1'],
          phases: [],
          surface: 'chat',
          night: { ...NIGHT, commands: 'slash', ...(timeZone ? { timeZone } : {}) },
        }),
      ).split('\n');
    expect(card()).toContain('Nudges may come at any hour: add `tz:Area/City` to set your night.');
    expect(card().join('\n')).not.toContain('--tz');
    expect(card('Europe/Berlin')).toContain('No nudges between 22:00 and 08:00 Europe/Berlin.');
  });

  it('says nothing of nights on a live round’s card, which has no nudges', async () => {
    const h = await harness();
    h.platform.people.set('U1', { manager: false, timeZone: 'Europe/Berlin' });
    await h.start({ mode: 'live' });
    expect(cardLines(h).filter((l) => /nudge|night/i.test(l))).toEqual([]);
  });
});
