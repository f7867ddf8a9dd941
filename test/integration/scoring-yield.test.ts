import { describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.js';
import { type Timer, timerFor } from '../../src/ports/scheduler.js';
import { lane, signal } from './scheduler-lane.js';

describe('the scoring lane', () => {
  /** What the running test does with each timer. */
  let handle: (timer: Timer) => Promise<void> = async () => {};
  // One interviewer slot in use reaches the threshold (a tenth of two, at least one): scoring
  // waits for it, at most 3 s.
  const scheduler = lane({ concurrency: 2, scoringYieldMs: 3000 }, (timer) => handle(timer));

  /** Runs a cue job held until `release`, and a score job while it runs. */
  async function scoreDuringCue(round: string) {
    const held = signal();
    const cueStarted = signal();
    const scored = signal();
    const ran: string[] = [];
    let scoredAt = 0;
    handle = async (timer) => {
      if (timer.event.kind === 'score') {
        scoredAt = Date.now();
        ran.push('score');
        scored.fire();
        return;
      }
      cueStarted.fire();
      await held.done;
      ran.push('cue');
    };
    await scheduler.schedule(timerFor(`${round}a`, { kind: 'cue', id: 'pivot' }, Date.now()));
    await cueStarted.done;
    const scheduledAt = Date.now();
    await scheduler.schedule(timerFor(`${round}b`, { kind: 'score' }, scheduledAt));
    return { ran, release: held.fire, scored: scored.done, waited: () => scoredAt - scheduledAt };
  }

  it('waits while the interviewer lane is busy, and scores once it eases', async () => {
    const run = await scoreDuringCue('r1');
    // The score job is picked up at once, and held while the cue runs.
    await new Promise((r) => setTimeout(r, 1500));
    expect(run.ran).toEqual([]);
    run.release();
    await run.scored;
    expect(run.ran).toEqual(['cue', 'score']);
  });

  it('scores after its longest wait when the interviewer lane stays busy', async () => {
    const run = await scoreDuringCue('r2');
    await run.scored;
    // Held for its longest wait (3 s), then scored with the cue still running.
    expect(run.ran).toEqual(['score']);
    expect(run.waited()).toBeGreaterThanOrEqual(2500);
    run.release();
  });
});

describe('the scoring lane in a burst of interviewer events', () => {
  const ran: string[] = [];
  // Twenty slots, and events that finish at once: few slots are ever in use, but more than
  // twenty start within a quarter of a second.
  const scheduler = lane({ concurrency: 20, scoringYieldMs: 5000 }, async (timer) => {
    ran.push(timer.event.kind);
    // A round ends amid the burst: its scoring is due at once.
    if (ran.length === 10) await scheduler.schedule(timerFor('b-score', { kind: 'score' }, 0));
  });

  it('scores once the burst is over', async () => {
    const at = Date.now() + 300;
    const cues = Array.from({ length: 400 }, (_, i) =>
      timerFor(`b${i}`, { kind: 'cue', id: 'pivot' }, at),
    );
    await Promise.all(cues.map((t) => scheduler.schedule(t)));
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(401);
    expect(ran.indexOf('score')).toBe(400);
  });
});

describe('the scoring lane with a burst falling due', () => {
  const ran: string[] = [];
  // A hundred slots, all free: this process sees no burst yet, but sixty interviewer jobs fall due
  // within the next second, more than half a lane's worth.
  const scheduler = lane({ concurrency: 100, scoringYieldMs: 5000 }, async (timer) => {
    ran.push(timer.event.kind);
  });

  it('waits for the jobs about to fall due, then scores', async () => {
    const at = Date.now() + 800;
    const cues = Array.from({ length: 60 }, (_, i) =>
      timerFor(`d${i}`, { kind: 'cue', id: 'pivot' }, at),
    );
    await Promise.all(cues.map((t) => scheduler.schedule(t)));
    await scheduler.schedule(timerFor('d-score', { kind: 'score' }, 0));
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(61);
    expect(ran.indexOf('score')).toBe(60);
  });
});

describe('the interviewer lane', () => {
  let running = 0;
  let most = 0;
  // Five slots, split among several BullMQ workers: never more than five jobs at once.
  const scheduler = lane({ concurrency: 5, scoringYieldMs: 1000 }, async () => {
    running++;
    most = Math.max(most, running);
    await new Promise((go) => setTimeout(go, 300));
    running--;
  });

  it('runs as many interviewer jobs at once as it has slots, however its workers split them', async () => {
    const now = systemClock.now();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        scheduler.schedule(timerFor(`lane${i}`, { kind: 'cue', id: 'pivot' }, now)),
      ),
    );
    const until = Date.now() + 5000;
    while (Date.now() < until && most < 5) await new Promise((go) => setTimeout(go, 20));
    await new Promise((go) => setTimeout(go, 700));
    expect(most).toBe(5);
  });
});

describe('a timer that has run', () => {
  const ran: string[] = [];
  const scheduler = lane({ concurrency: 2, scoringYieldMs: 1000 }, async (timer) => {
    ran.push(timer.id);
  });

  it('runs again when scheduled again (a probe foreseen for a reply that was not stored)', async () => {
    const probe = timerFor('again', { kind: 'probe', n: 1 }, systemClock.now());
    await scheduler.schedule(probe);
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(1);
    // The reply is sent again and stored: its probe, the same timer, is due once more.
    await scheduler.schedule({ ...probe, dueAt: systemClock.now() });
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(2);
  });
});
