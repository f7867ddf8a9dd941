/**
 * Which nudge timer an async round answers: the one of the candidate's last move, not one left
 * by a reply that failed to store, and still one scheduled before nudge timers named their move.
 */
import { describe, expect, it } from 'vitest';
import type { Timer } from '../../src/ports/scheduler.js';
import type { RoundEvent } from '../../src/round/events.js';
import {
  advance,
  fire,
  initialTimers,
  type Outcome,
  pendingTimers,
  type RoundContext,
  receive,
} from '../../src/round/transitions.js';
import { newSession, type Session } from '../../src/session.js';
import { HYPOTHESIS, shippedLibrary } from './harness.js';

const HOUR = 3_600_000;
const START = Date.UTC(2026, 10, 30, 9, 0, 0);

async function context(): Promise<RoundContext> {
  const { rubric, prompts } = await shippedLibrary();
  const prompt = [...prompts.values()][0];
  if (!prompt) throw new Error('no prompt');
  return { rubric, prompt };
}

/** A three-day async round started at START, with no time zone (nudges at any hour). */
function asyncRound(ctx: RoundContext): Session {
  return newSession({
    id: 'r0000000000000000',
    platform: 'test',
    channel: 'test:C',
    thread: 'test:C:T',
    mode: 'async',
    promptId: ctx.prompt.id,
    minutes: 72 * 60,
    timeScale: 1,
    candidates: ['U1'],
    startedAt: START,
    firstPhase: ctx.rubric.phases[0]?.id ?? '',
  });
}

/** The nudge timer among `timers`, with its event typed as a round's. */
function nudgeOf(timers: readonly Timer[]): Timer & { event: RoundEvent } {
  const timer = timers.find((t) => t.event.kind === 'nudge');
  if (timer?.event.kind !== 'nudge') throw new Error('no nudge timer');
  return { ...timer, event: timer.event };
}

/** The interviewer events a fired timer posts (none when it finds nothing to do). */
function posted(outcome: Outcome | undefined): string[] {
  return outcome?.posts.flatMap((p) => (p.kind === 'interviewer' ? [p.event] : [])) ?? [];
}

describe('the nudge after a reply that failed to store and was sent again', () => {
  it('waits from the reply that was stored: the failed try’s timer nudges nothing', async () => {
    const ctx = await context();
    const round = asyncRound(ctx);
    // The first try, at 1 h: its timers are scheduled, then the store refuses the reply, so the
    // round stays as it was. The candidate sends it again at 4 h, and that one is stored.
    const failed = nudgeOf(receive(ctx, round, HYPOTHESIS, START + 1 * HOUR, 'M1').timers);
    const stored = receive(ctx, round, HYPOTHESIS, START + 4 * HOUR, 'M1');
    const own = nudgeOf(stored.timers);
    expect(fire(ctx, stored.session, failed.event, failed.dueAt)).toBeUndefined();
    expect(posted(fire(ctx, stored.session, own.event, own.dueAt))).toEqual(['nudge-1']);
    // Two timers, not one the scheduler would drop as already scheduled.
    expect(own.id).not.toBe(failed.id);
    expect(own.dueAt - START).toBeCloseTo((4 + 0.15 * 72) * HOUR);
  });

  it('waits from a `next` the same way', async () => {
    const ctx = await context();
    const replied = receive(ctx, asyncRound(ctx), HYPOTHESIS, START + 1 * HOUR, 'M1');
    const moved = advance(ctx, replied.session, START + 3 * HOUR);
    if (!moved) throw new Error('`next` did not move the round on');
    const own = nudgeOf(moved.timers);
    const before = nudgeOf(replied.timers);
    expect(fire(ctx, moved.session, before.event, before.dueAt)).toBeUndefined();
    expect(posted(fire(ctx, moved.session, own.event, own.dueAt))).toEqual(['nudge-2']);
  });

  it('lists the start’s nudge and the last move’s among the timers a round ending early cancels', async () => {
    const ctx = await context();
    const round = asyncRound(ctx);
    const first = nudgeOf(initialTimers(ctx, round));
    expect(pendingTimers(ctx.rubric, round).map((t) => t.id)).toContain(first.id);
    const stored = receive(ctx, round, HYPOTHESIS, START + 4 * HOUR, 'M1');
    const own = nudgeOf(stored.timers);
    expect(pendingTimers(ctx.rubric, stored.session).map((t) => t.id)).toEqual(
      expect.arrayContaining([first.id, own.id]),
    );
  });
});

describe('a move of the candidate', () => {
  it('supersedes the nudge the move before it scheduled, by that timer’s id', async () => {
    const ctx = await context();
    const round = asyncRound(ctx);
    const start = nudgeOf(initialTimers(ctx, round));
    const replied = receive(ctx, round, HYPOTHESIS, START + 1 * HOUR, 'M1');
    expect(replied.superseded?.map((t) => t.id)).toEqual([start.id]);
    const moved = advance(ctx, replied.session, START + 3 * HOUR);
    expect(moved?.superseded?.map((t) => t.id)).toEqual([nudgeOf(replied.timers).id]);
    const again = receive(ctx, moved?.session ?? round, 'Second answer.', START + 5 * HOUR, 'M2');
    expect(again.superseded?.map((t) => t.id)).toEqual([nudgeOf(moved?.timers ?? []).id]);
  });

  it('supersedes nothing in a live round', async () => {
    const ctx = await context();
    const live = { ...asyncRound(ctx), mode: 'live' as const, minutes: 45 };
    expect(receive(ctx, live, HYPOTHESIS, START + 60_000, 'M1').superseded).toBeUndefined();
  });
});

describe('a nudge timer scheduled before nudge timers named the move they wait from', () => {
  it('nudges when no move came since, whether or not the round records when moves came', async () => {
    const ctx = await context();
    const stored = receive(ctx, asyncRound(ctx), HYPOTHESIS, START + 4 * HOUR, 'M1');
    const due = START + 15 * HOUR;
    const older: RoundEvent = { kind: 'nudge', n: 1 };
    expect(posted(fire(ctx, stored.session, older, due))).toEqual(['nudge-1']);
    // A round stored before rounds recorded when the candidate last moved.
    const { lastMoveAt: _unrecorded, ...before } = stored.session;
    expect(posted(fire(ctx, before, older, due))).toEqual(['nudge-1']);
    expect(posted(fire(ctx, before, nudgeOf(stored.timers).event, due))).toEqual(['nudge-1']);
  });

  it('still nudges nothing once the candidate has moved since', async () => {
    const ctx = await context();
    const stored = receive(ctx, asyncRound(ctx), HYPOTHESIS, START + 4 * HOUR, 'M1');
    expect(fire(ctx, stored.session, { kind: 'nudge', n: 0 }, START + 11 * HOUR)).toBeUndefined();
  });
});
