import { describe, expect, it } from 'vitest';
import { cardText } from '../../src/presentation/card.js';
import { duration } from '../../src/presentation/format.js';
import { HYPOTHESIS, harness } from './harness.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** The plain text of the round's prompt card, the thread's first post. */
function promptCard(h: Awaited<ReturnType<typeof harness>>): string {
  const post = h.platform.posts.find((p) => p.subject === 'prompt');
  if (!post) throw new Error('no prompt card');
  return cardText(post.card);
}

describe('a duration as an async round reads it', () => {
  it.each([
    [0, '0 min'],
    [29, '0 min'],
    [45 * 60, '45 min'],
    [3600, '1 h'],
    [19 * 3600 + 12 * 60, '19 h 12 min'],
    [23 * 3600 + 59 * 60 + 40, '1 d'],
    [24 * 3600, '1 d'],
    [32 * 3600, '1 d 8 h'],
    [52.8 * 3600, '2 d 5 h'],
    [70 * 3600, '2 d 22 h'],
    [72 * 3600, '3 d'],
  ])('reads %i seconds as %s', (seconds, text) => {
    expect(duration(seconds)).toBe(text);
  });
});

describe("an async round's times", () => {
  it('gives each phase of the plan its length and the date it ends, not a clock', async () => {
    const h = await harness();
    await h.start({ mode: 'async', minutes: 72 * 60 });
    const card = promptCard(h);
    // The fake clock starts at 2026-11-30 09:00 UTC; plain text gives dates in UTC.
    expect(card).toMatch(/^Phase plan — Async round, 3 days$/m);
    expect(card).toMatch(/^Until 2026-12-01 09:00 UTC · Framing \(1 d\) — State/m);
    expect(card).toMatch(/^Until 2026-12-02 17:00 UTC · Solution sketch \(1 d 8 h\) — /m);
    expect(card).toMatch(/^Until 2026-12-03 09:00 UTC · Research-impact deep dive \(16 h\) — /m);
    expect(card).not.toMatch(/\d+:\d\d:\d\d/);
  });

  it("shows the time in and left on the interviewer's lines as durations, and says them so", async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(20 * HOUR);
    // The cut-in comes at 12/45 of the round: 19 h 12 min in.
    const cutIn = h.platform.said(thread, 'hypothesis_cut_in');
    expect(cutIn).toMatch(/^Interviewer · Framing · 19 h 12 min in · 2 d 5 h left$/m);
    expect(cutIn).toMatch(/We're 19 h 12 min in and I haven't heard a hypothesis yet/);
    // A nudge of the quiet thread came before it, at 10.8 h.
    expect(h.platform.said(thread, 'nudge-0')).toMatch(
      /^Interviewer · Framing · 10 h 48 min in · 2 d 13 h left$/m,
    );
    await h.clock.advance(45 * HOUR);
    // The five-minute warning of a 45-minute plan: 8 h before the end.
    expect(h.platform.said(thread, 'five_minute_warning')).toMatch(
      /^Interviewer · Research-impact deep dive · 2 d 16 h in · 8 h left$/m,
    );
    expect(h.platform.said(thread, 'five_minute_warning')).toMatch(/^8 h left — tell me/m);
    for (const post of h.platform.posts) {
      expect(cardText(post.card)).not.toMatch(/\d+:\d\d:\d\d/);
    }
  });

  it('gives status as durations, with the date its phase ends by the plan', async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(2 * HOUR);
    await h.reply(thread, HYPOTHESIS);
    const status = (await h.reply(thread, 'status')).text;
    expect(status).toBe(
      [
        'Phase 1 of 3: Framing (22 h left in it by the plan, until 2026-12-01 09:00 UTC).',
        '2 h elapsed, 2 d 22 h left; hypothesis stated after 2 h; 1 reply.',
      ].join('\n'),
    );
  });

  it("gives the scorecard's phase times and the early end as durations", async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(5 * HOUR);
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(21 * HOUR);
    await h.reply(thread, 'next');
    await h.clock.advance(3 * HOUR + 15 * MINUTE);
    await h.reply(thread, 'end');
    await h.clock.advance(MINUTE);
    expect(h.platform.said(thread, 'end')).toMatch(/Ending here, 1 d 5 h in — thanks/);
    const scorecard = h.platform.posts.find((p) => p.card.kind === 'scorecard')?.card;
    if (!scorecard) throw new Error('no scorecard');
    const text = cardText(scorecard);
    expect(text).toMatch(/^Hypothesis first stated: after 5 h \(in framing\)$/m);
    expect(text).toMatch(/^Round ended after 1 d 5 h of the planned 3 d$/m);
    expect(text).toMatch(/^• Framing: 1 d · \d+ words$/m);
    expect(text).toMatch(/^• Solution sketch: 2 h · 0 words$/m);
    expect(text).toMatch(/^• Research-impact deep dive: 3 h 15 min · 0 words$/m);
  });
});

describe("a live round's times", () => {
  it('read on the round clock as before', async () => {
    const h = await harness();
    const thread = await h.start();
    expect(promptCard(h)).toMatch(/^00:00–15:00 Framing — State/m);
    await h.clock.advance(13 * MINUTE);
    expect(h.platform.said(thread, 'hypothesis_cut_in')).toMatch(
      /^Interviewer · Framing · 12:00 in · 33:00 left$/m,
    );
    expect(h.platform.said(thread, 'hypothesis_cut_in')).toMatch(/We're 12 minutes in/);
    await h.reply(thread, HYPOTHESIS);
    expect((await h.reply(thread, 'status')).text).toBe(
      [
        'Phase 1 of 3: Framing (02:00 left in it by the plan).',
        '13:00 elapsed, 32:00 left; hypothesis stated at 13:00; 1 reply.',
      ].join('\n'),
    );
    await h.clock.advance(7 * MINUTE);
    await h.reply(thread, 'end');
    await h.clock.advance(MINUTE);
    const scorecard = h.platform.posts.find((p) => p.card.kind === 'scorecard')?.card;
    if (!scorecard) throw new Error('no scorecard');
    const text = cardText(scorecard);
    expect(text).toMatch(/^Hypothesis first stated: at 13:00 \(in framing\)$/m);
    expect(text).toMatch(/^Round ended at 20:00 of the planned 45:00$/m);
    expect(text).toMatch(/^• Framing: 15:00 · \d+ words$/m);
  });

  it('of four hours read on the round clock with hours', async () => {
    const h = await harness();
    await h.start({ minutes: 240 });
    expect(promptCard(h)).toMatch(/^1:20:00–3:06:40 Solution sketch — /m);
  });
});
