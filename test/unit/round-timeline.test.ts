import { describe, expect, it } from 'vitest';
import { MockdesignError } from '../../src/errors.js';
import { MemorySessionStore } from '../../src/memory/memory-session-store.js';
import { SCORING_INTERRUPTED, type Scorer } from '../../src/ports/scorer.js';
import { cardText } from '../../src/presentation/card.js';
import { present } from '../../src/presentation/present.js';
import { plannedPhases } from '../../src/round/timeline.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import type { Session } from '../../src/session.js';
import { transcriptOf } from '../../src/transcript.js';
import { HYPOTHESIS, harness, shippedLibrary } from './harness.js';

type Harness = Awaited<ReturnType<typeof harness>>;

const MINUTE = 60_000;

describe('a live round', () => {
  it('fires every interviewer event once, in order, at its time, and cuts in at 12:00 without a hypothesis', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(46 * MINUTE);
    expect(h.platform.events(thread)).toEqual([
      { event: 'hypothesis_cut_in', minute: 12 },
      { event: 'phase-sketch', minute: 15 },
      { event: 'pivot', minute: 25 },
      { event: 'phase-deep_dive', minute: 35 },
      { event: 'five_minute_warning', minute: 40 },
      { event: 'end', minute: 45 },
    ]);
    const kinds = h.platform.posts.map((p) => p.card.kind);
    expect(kinds[0]).toBe('prompt');
    expect(kinds.filter((k) => k === 'scorecard')).toHaveLength(1);
    expect(h.errors).toEqual([]);
  });

  it('offers no Next phase button in the last phase, where it would end the round unasked', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(41 * MINUTE);
    const buttons = (subject: string) =>
      h.platform.posts
        .find((p) => p.address === thread && p.subject === subject)
        ?.card.controls.map((c) => c.id);
    expect(buttons('prompt')).toEqual(['next', 'end']);
    expect(buttons('phase-sketch')).toEqual(['next', 'end']);
    expect(buttons('pivot')).toEqual(['next', 'end']);
    expect(buttons('phase-deep_dive')).toEqual(['end']);
    expect(buttons('five_minute_warning')).toEqual(['end']);
    // End round still asks first.
    const end = h.platform.posts.find((p) => p.subject === 'five_minute_warning')?.card.controls[0];
    expect(end?.confirm?.title).toBe('End the round now?');
  });

  it('offers no Next phase button on the prompt card of a rubric of one phase, which is its last', async () => {
    const { rubric, prompts } = await shippedLibrary();
    const prompt = [...prompts.values()][0];
    if (!prompt) throw new Error('no prompt');
    const [only] = plannedPhases({ ...rubric, phases: rubric.phases.slice(0, 1) }, 30);
    if (!only) throw new Error('no phase');
    const card = present({
      kind: 'prompt',
      prompt,
      mode: 'live',
      minutes: 30,
      candidates: ['U1'],
      phases: [only],
      surface: 'chat',
    });
    expect(card.controls.map((c) => c.id)).toEqual(['end']);
  });

  it('moves nothing when a Next phase button from a phase the round has left is pressed, and says where it is', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(36 * MINUTE);
    // In the deep dive, the last phase: the prompt card's and the sketch's buttons are stale.
    const lastPhase =
      'The round is already in Research-impact deep dive, its last phase, so that Next phase button moved nothing. Press End round or say `end` when you are done.';
    expect((await pressNext(h, thread, 'prompt')).text).toBe(lastPhase);
    expect((await pressNext(h, thread, 'pivot')).text).toBe(lastPhase);
    expect(await h.store.findByThread(thread)).toMatchObject({
      status: 'active',
      phase: 'deep_dive',
    });
    // Only the candidate controls the round, stale button or not.
    const other = { ...h.origin, user: 'U2', thread };
    expect((await h.send({ kind: 'next', origin: other, button: { phase: 'framing' } })).text).toBe(
      'Only the candidate can move this round to the next phase.',
    );
    // The round runs on to its end as timed.
    await h.clock.advance(10 * MINUTE);
    expect(h.platform.events(thread).slice(-2)).toEqual([
      { event: 'five_minute_warning', minute: 40 },
      { event: 'end', minute: 45 },
    ]);
  });

  it('moves on from the phase a Next phase button was posted in, once however often it is pressed', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(2 * MINUTE);
    // Pressed twice at once (a double click): the second press finds the round moved on.
    const [first, second] = await Promise.all([
      pressNext(h, thread, 'prompt'),
      pressNext(h, thread, 'prompt'),
    ]);
    expect([first.text, second.text]).toEqual([
      'Moved on to Solution sketch.',
      'The round is already in Solution sketch, so that Next phase button moved nothing. To move on, say `next` or press Next phase on the interviewer’s latest line.',
    ]);
    expect((await pressNext(h, thread, 'phase-sketch')).text).toBe(
      'Moved on to Research-impact deep dive.',
    );
    expect((await h.store.findByThread(thread))?.status).toBe('active');
    // Typed, `next` needs no button's phase: from the last phase it ends the round.
    expect((await h.reply(thread, 'next')).text).toBe('Round ended — scoring it now.');
  });

  it('treats a Next phase button posted before buttons named their phase as pressed anywhere but the last phase', async () => {
    const h = await harness();
    const thread = await h.start();
    const origin = { ...h.origin, thread };
    expect((await h.send({ kind: 'next', origin, button: {} })).text).toBe(
      'Moved on to Solution sketch.',
    );
    expect((await h.send({ kind: 'next', origin, button: {} })).text).toBe(
      'Moved on to Research-impact deep dive.',
    );
    expect((await h.send({ kind: 'next', origin, button: {} })).text).toMatch(
      /^The round is already in Research-impact deep dive, its last phase/,
    );
    expect((await h.store.findByThread(thread))?.status).toBe('active');
  });

  it('does not cut in at 12:00 once a hypothesis has been stated', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(3 * MINUTE);
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(14 * MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
  });

  it('scales every event with the round length and MOCKDESIGN_TIME_SCALE', async () => {
    const h = await harness({ timeScale: 0.01 });
    const thread = await h.start({ minutes: 30 });
    const events: { event: string; wall: number }[] = [];
    const started = h.clock.now();
    for (let ms = 0; ms <= 30 * MINUTE * 0.01 + 1000; ms += 100) {
      await h.clock.advance(100);
      for (const e of h.platform.posts.filter((p) => p.card.kind === 'interviewer')) {
        const id = e.subject;
        if (!events.some((x) => x.event === id)) events.push({ event: id, wall: e.at - started });
      }
    }
    expect(events).toEqual([
      { event: 'hypothesis_cut_in', wall: 4_800 },
      { event: 'phase-sketch', wall: 6_000 },
      { event: 'pivot', wall: 10_000 },
      { event: 'phase-deep_dive', wall: 14_000 },
      { event: 'five_minute_warning', wall: 16_000 },
      { event: 'end', wall: 18_000 },
    ]);
    expect(
      h.platform.events(thread).find((e) => e.event === 'five_minute_warning')?.minute,
    ).toBeCloseTo(26.67, 1);
  });

  it('cancels everything pending when the candidate ends early, and scores once', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(5 * MINUTE);
    const result = await h.reply(thread, 'end');
    expect(result.text).toMatch(/Round ended/);
    expect(h.scheduler.list().map((t) => t.event)).toEqual([{ kind: 'score' }]);
    await h.clock.advance(60 * MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['end']);
    expect(h.platform.posts.filter((p) => p.card.kind === 'scorecard')).toHaveLength(1);
    expect(h.scheduler.list()).toEqual([]);
  });

  it('moves to the next phase on `next` and skips events of phases already past', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(2 * MINUTE);
    expect((await h.reply(thread, 'next')).text).toMatch(/Solution sketch/);
    await h.clock.advance(2 * MINUTE);
    expect((await h.reply(thread, 'next')).text).toMatch(/Research-impact deep dive/);
    await h.clock.advance(45 * MINUTE);
    expect(h.platform.events(thread)).toEqual([
      { event: 'phase-sketch', minute: 2 },
      { event: 'phase-deep_dive', minute: 4 },
      { event: 'five_minute_warning', minute: 40 },
      { event: 'end', minute: 45 },
    ]);
    const session = await h.store.findByThread(thread);
    expect(session?.phaseStarts.map((p) => p.phase)).toEqual(['framing', 'sketch', 'deep_dive']);
  });

  it('probes a technology named with no tie to the hypothesis, at most three times and spaced out', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    // The product as it stands is not put forward: nothing to probe.
    await h.reply(thread, "The index is Elasticsearch, I'm assuming, with a reranker on top.");
    await h.reply(thread, 'We will put the logs in Kafka.');
    await h.reply(thread, 'And Spark for the batch jobs.');
    await h.clock.advance(1 * MINUTE);
    const probes = () => h.platform.events(thread).filter((e) => e.event.startsWith('probe-'));
    expect(probes()).toEqual([{ event: 'probe-1', minute: 0.75 }]);
    expect(h.platform.said(thread, 'probe-1')).toMatch(/Kafka/);
    await h.reply(
      thread,
      'Kafka lets us replay traffic so we can measure the effect of each retriever with an A/B split.',
    );
    for (const tech of ['Redis', 'Ray', 'Flink', 'Airflow', 'Cassandra']) {
      await h.clock.advance(5 * MINUTE);
      await h.reply(thread, `We would also use ${tech}.`);
    }
    await h.clock.advance(5 * MINUTE);
    expect(probes().map((p) => p.event)).toEqual(['probe-1', 'probe-2', 'probe-3']);
  });

  it('asks no probe about a reply its author deleted, and may probe the technology when named again', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.reply(thread, 'We will put the logs in Kafka.', 'kafka-1');
    const withdraw = { kind: 'withdraw' as const, messageId: 'kafka-1' };
    await h.send({ ...withdraw, origin: { ...h.origin, thread } });
    await h.clock.advance(5 * MINUTE);
    const probes = () => h.platform.events(thread).filter((e) => e.event.startsWith('probe-'));
    expect(probes()).toEqual([]);
    // Named again in a later reply, untied: it is asked about then, at once (the withdrawn probe
    // holds back no other).
    await h.reply(thread, 'Logs go to Kafka, the way we always do it.', 'kafka-2');
    await h.clock.advance(1 * MINUTE);
    expect(probes().map((p) => p.event)).toEqual(['probe-2']);
    expect(h.platform.said(thread, 'probe-2')).toMatch(/Kafka/);
    expect(h.errors).toEqual([]);
  });

  it('counts in status only the replies that still stand, as the closing line does', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, 'We will put the logs in Kafka.', 'kept');
    await h.reply(thread, 'sorry, wrong window', 'oops');
    await h.send({ kind: 'withdraw', origin: { ...h.origin, thread }, messageId: 'oops' });
    expect((await h.reply(thread, 'status')).text).toMatch(/; 1 reply\.$/m);
    await h.send({ kind: 'withdraw', origin: { ...h.origin, thread }, messageId: 'kept' });
    expect((await h.reply(thread, 'status')).text).toMatch(/; 0 replies\.$/m);
    await h.reply(thread, 'end');
    expect(h.platform.said(thread, 'end')).toMatch(/no answers came in/);
  });
});

describe('delivery', () => {
  it('tries a failed post again until the platform takes it, without holding up later events', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(20 * MINUTE);
    h.platform.failures = 3; // the pivot at 25:00 fails three times
    await h.clock.advance(5 * MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
    const failed = await h.store.findByThread(thread);
    expect(failed?.outbox.map((e) => e.key)).toEqual(['event-pivot']);
    // Handed from the timer job to a post job, and to the sweeper should that give up too.
    expect(await h.store.due(h.clock.now(), 10)).toEqual([failed?.id]);
    await h.clock.advance(10_000); // retried after 1 s, 2 s and 4 s
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch', 'pivot']);
    await h.clock.advance(20 * MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).toEqual([
      'phase-sketch',
      'pivot',
      'phase-deep_dive',
      'five_minute_warning',
      'end',
    ]);
    expect((await h.store.findByThread(thread))?.outbox).toEqual([]);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
  });

  it('still scores and posts the scorecard once when the closing line and the scorecard fail to post', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(44 * MINUTE);
    h.platform.failures = 6; // an outage over the end of the round
    await h.clock.advance(MINUTE + 2_000);
    // Waiting to be posted, the scorecard is kept once, as the round's scorecard: its outbox entry
    // refers to it.
    const waiting = await h.store.findByThread(thread);
    expect(waiting?.outbox.find((e) => e.key === 'scorecard')?.message).toEqual({
      kind: 'scorecard',
    });
    const stored = waiting && (await h.store.getScorecard(waiting.id));
    await h.clock.advance(28_000);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
    expect(h.platform.cards('scorecard')[0]?.card.summary).toContain(`${stored?.overall}`);
    expect(h.platform.events(thread).filter((e) => e.event === 'end')).toHaveLength(1);
    const session = await h.store.findByThread(thread);
    expect(session?.status).toBe('done');
    expect(session?.outbox).toEqual([]);
  });

  it('ends a round whose thread refuses posts for good, and sends its scorecard to the candidate directly', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(20 * MINUTE);
    // The channel is archived (or the bot removed from it) before the pivot at 25:00.
    h.platform.refusingThreads.set(thread, 'channel_archived');
    await h.clock.advance(5 * MINUTE + 10_000);
    const session = await h.store.findByThread(thread);
    expect(session?.status).toBe('done');
    expect(session?.endedAt).toBe(25 * 60);
    expect(session?.outbox).toEqual([]);
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
    const directs = h.platform.directs.filter((d) => d.user === 'U1');
    expect(directs.map((d) => d.card.kind)).toEqual(['notice', 'scorecard']);
    expect(directs[0] && cardText(directs[0].card)).toMatch(
      /can no longer post in the thread of your round on ".+": its channel or thread was archived or locked\. So the round has ended; its scorecard comes here\./,
    );
    const stored = session && (await h.store.getScorecard(session.id));
    expect(directs[1]?.card.summary).toContain(`${stored?.overall}`);
    // Nothing is left to try again.
    await h.clock.advance(30 * MINUTE);
    await h.rounds.sweep();
    expect(h.platform.directs.filter((d) => d.user === 'U1')).toHaveLength(2);
  });

  it('tells the candidate once when the first direct message about a refusing thread fails', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(20 * MINUTE);
    h.platform.refusingThreads.set(thread, 'cannot_post_here');
    h.platform.failures = 1; // the direct message saying so fails once
    await h.clock.advance(5 * MINUTE + 30_000);
    const directs = h.platform.directs.filter((d) => d.user === 'U1');
    expect(directs.map((d) => d.card.kind)).toEqual(['notice', 'scorecard']);
    expect(directs[0] && cardText(directs[0].card)).toMatch(/So the round has ended/);
    expect((await h.store.findByThread(thread))?.status).toBe('done');
  });

  it('tells the candidate about a refusing thread when the process telling them died before it could', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(5 * MINUTE);
    h.platform.refusingThreads.set(thread, 'channel_archived');
    // `next` posts the sketch's opening line at once; it is refused, and the process dies while
    // sending the candidate the direct message that says so.
    h.platform.directHangs = 1;
    void h.send({ kind: 'next', origin: { ...h.origin, thread } });
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    expect(h.platform.directs).toEqual([]);
    // The round's next line (the pivot at 25:00) first posts the one left behind, refused again.
    await h.clock.advance(25 * MINUTE);
    const directs = h.platform.directs.filter((d) => d.user === 'U1');
    expect(directs.map((d) => d.card.kind)).toEqual(['notice', 'scorecard']);
    expect(directs[0] && cardText(directs[0].card)).toMatch(
      /its channel or thread was archived or locked/,
    );
    expect((await h.store.findByThread(thread))?.status).toBe('done');
  });

  it('gives up on a refusing thread’s round quietly when the candidate takes no direct messages either', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(20 * MINUTE);
    h.platform.refusingThreads.set(thread, 'cannot_post_here');
    h.platform.refusingDirects.add('U1');
    await h.clock.advance(5 * MINUTE + 10_000);
    const session = await h.store.findByThread(thread);
    expect(session?.status).toBe('done');
    expect(session?.outbox).toEqual([]);
    expect(h.platform.directs).toEqual([]);
    // Its scorecard is kept, for `history` and `export`.
    expect(session && (await h.store.getScorecard(session.id))).toBeDefined();
  });

  it('sends the scorecard directly when only the scorecard is refused, saying the round was over', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(45 * MINUTE - 1_000);
    // The bot is removed from the channel a second before the end: the closing line and the
    // scorecard are refused.
    h.platform.refusingThreads.set(thread, 'cannot_post_here');
    await h.clock.advance(10_000);
    const directs = h.platform.directs.filter((d) => d.user === 'U1');
    expect(directs.map((d) => d.card.kind)).toEqual(['notice', 'scorecard']);
    expect(directs[0] && cardText(directs[0].card)).toMatch(
      /: I may not post in its channel \(invite me to it, with my permissions\), or it was deleted\. Its scorecard comes here\./,
    );
    expect((await h.store.findByThread(thread))?.status).toBe('done');
  });

  it('posts the closing line before the scorecard when the line’s own retries fall behind', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(44 * MINUTE);
    // The closing line fails at 45:00 and on its tries 1, 3, 7 and 15 s later: its next try is
    // 16 s after that, while the scorecard, ready at once, tries again every few seconds.
    h.platform.failures = 5;
    await h.clock.advance(MINUTE + 20_000);
    const order = h.platform.posts
      .filter((p) => p.address === thread)
      .map((p) => (p.card.kind === 'scorecard' ? 'scorecard' : p.subject));
    expect(order.slice(-2)).toEqual(['end', 'scorecard']);
    expect(order.filter((e) => e === 'end')).toHaveLength(1);
    expect((await h.store.findByThread(thread))?.outbox).toEqual([]);
    // The scorecard waiting its turn is no failure: only the closing line's refused posts warn.
    const waits = h.logs.filter((l) => /waits for an earlier message/.test(l.message));
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((l) => l.level === 'info')).toBe(true);
    expect(JSON.stringify(h.logs.filter((l) => l.level === 'warn'))).not.toMatch(/NotYet/);
  });

  it('never has two jobs post one line at once: a retry waits while another job’s post of it is in flight', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(20 * MINUTE);
    h.platform.failures = 1; // the pivot at 25:00 waits in the outbox for its post job
    await h.clock.advance(5 * MINUTE);
    const waiting = await h.store.findByThread(thread);
    if (!waiting) throw new Error('no round');
    const [post] = h.scheduler.list().filter((t) => t.event.kind === 'post');
    if (!post) throw new Error('no post job');
    // The post job's try reaches the platform and hangs there (its answer never comes); the
    // sweeper's post of the same line runs meanwhile.
    h.platform.hangs = 1;
    void h.rounds.onTimer({ ...post, attempt: 1 });
    await Promise.resolve();
    await expect(h.rounds.onTimer({ ...post, id: `${post.id}-swept`, attempt: 0 })).rejects.toThrow(
      /another job is posting/,
    );
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
  });

  it('posts lines whose job was lost while holding them, once the hold is past trusting', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(44 * MINUTE);
    h.platform.failures = 6; // the closing line and the scorecard wait in the outbox
    await h.clock.advance(MINUTE + 2_000);
    const waiting = await h.store.findByThread(thread);
    expect(waiting?.outbox.map((e) => e.key)).toEqual(['event-end', 'scorecard']);
    // Held by a job whose process died twice: BullMQ fails such a job, and nothing runs it again.
    await h.scheduler.cancel(h.scheduler.list());
    await h.store.update(waiting?.id ?? '', (s) => ({
      ...s,
      outbox: s.outbox.map((e) => ({ ...e, job: 'timer-lost' })),
    }));
    h.platform.failures = 0;
    await h.clock.advance(MINUTE);
    await h.rounds.sweep();
    await h.clock.advance(MINUTE);
    expect(h.platform.cards('scorecard')).toHaveLength(0);
    await h.clock.advance(5 * MINUTE);
    await h.rounds.sweep();
    await h.clock.advance(MINUTE);
    expect(h.platform.events(thread).filter((e) => e.event === 'end')).toHaveLength(1);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
    expect((await h.store.findByThread(thread))?.outbox).toEqual([]);
  });

  it('posts a line whose job was lost mid-round at the round’s next event once the hold is past trusting, not at its end', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    h.platform.failures = 1; // the sketch phase's opening line waits in the outbox
    await h.clock.advance(15 * MINUTE);
    const waiting = await h.store.findByThread(thread);
    expect(waiting?.outbox.map((e) => e.key)).toEqual(['event-phase-sketch']);
    // Held by a job whose process died twice: BullMQ fails such a job, and nothing runs it again.
    await h.scheduler.cancel(h.scheduler.list().filter((t) => t.event.kind === 'post'));
    await h.store.update(waiting?.id ?? '', (s) => ({
      ...s,
      outbox: s.outbox.map((e) => ({ ...e, job: 'timer-lost' })),
    }));
    await h.clock.advance(5 * MINUTE);
    await h.rounds.sweep();
    expect(h.platform.events(thread).map((e) => e.event)).not.toContain('phase-sketch');
    // The round's next interviewer event finds the line past trusting and has it posted.
    await h.clock.advance(15 * MINUTE);
    const posted = h.platform.events(thread).map((e) => e.event);
    expect(posted.filter((e) => e === 'phase-sketch')).toHaveLength(1);
    expect(posted).not.toContain('end');
    expect((await h.store.findByThread(thread))?.outbox).toEqual([]);
  });

  it('tells the candidate a round cannot be scored when scoring fails on it every time, and scores one that fails once or is only interrupted', async () => {
    let failures = Number.POSITIVE_INFINITY;
    let interrupted = false;
    const scorer: Scorer = {
      name: 'heuristic',
      async score(transcript) {
        if (failures-- > 0) {
          if (interrupted) throw new MockdesignError(SCORING_INTERRUPTED, 'stopped before it');
          throw new Error('the engine failed on this transcript');
        }
        return scoreHeuristically((await shippedLibrary()).rubric, transcript);
      },
    };
    const h = await harness({ scorer });
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.send({ kind: 'end', origin: { ...h.origin, thread } });
    await h.clock.advance(MINUTE);
    expect(h.platform.cards('scorecard')).toHaveLength(0);
    expect(h.platform.said(thread, 'notice')).toMatch(
      /could not score this round: scoring failed on it 3 times/,
    );
    const session = await h.store.findByThread(thread);
    expect(session?.status).toBe('done');
    expect(session?.outbox).toEqual([]);
    expect((await h.send({ kind: 'status', origin: { ...h.origin, thread } })).text).toMatch(
      /could not be scored/,
    );

    // Failures that say nothing of the transcript (the scorer stopped before it got to it) are
    // not counted: five of them, and the round is still scored.
    failures = 5;
    interrupted = true;
    await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    const third = await h.store.findActive('test', 'U1');
    await h.reply(third?.thread ?? '', HYPOTHESIS);
    await h.send({ kind: 'end', origin: { ...h.origin, thread: third?.thread } });
    await h.clock.advance(2 * MINUTE);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
    interrupted = false;

    failures = 1;
    await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    const second = await h.store.findActive('test', 'U1');
    await h.reply(second?.thread ?? '', HYPOTHESIS);
    await h.send({ kind: 'end', origin: { ...h.origin, thread: second?.thread } });
    await h.clock.advance(MINUTE);
    expect(h.platform.cards('scorecard')).toHaveLength(2);
  });

  it('sweeps up a round whose timers were lost: ends it, scores it, posts what was left', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    const session = await h.store.findByThread(thread);
    // Every job of the round is lost (a Redis without persistence restarted, say).
    await h.scheduler.cancel(h.scheduler.list());
    await h.clock.advance(50 * MINUTE);
    expect(h.platform.cards('scorecard')).toHaveLength(0);
    await h.rounds.sweep();
    await h.clock.advance(MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['end']);
    expect(h.platform.cards('scorecard')).toHaveLength(1);
    expect((await h.store.get(session?.id ?? ''))?.status).toBe('done');
    expect(await h.store.due(h.clock.now(), 10)).toEqual([]);
  });
});

describe('the sweeper', () => {
  it('leaves a running round running when only a line its platform refuses is overdue', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(15 * MINUTE - 1_000);
    h.platform.failures = 1_000; // an outage over the end of the framing window
    await h.clock.advance(30_000);
    await h.rounds.sweep();
    expect((await h.store.findByThread(thread))?.status).toBe('active');
    h.platform.failures = 0;
    await h.clock.advance(31 * MINUTE);
    expect(h.platform.events(thread)).toEqual([
      { event: 'phase-sketch', minute: expect.closeTo(16, 0) },
      { event: 'pivot', minute: 25 },
      { event: 'phase-deep_dive', minute: 35 },
      { event: 'five_minute_warning', minute: 40 },
      { event: 'end', minute: 45 },
    ]);
  });

  it('sweeps the other rounds when one cannot be swept, and leaves that one a while', async () => {
    const h = await harness();
    const stuck = await h.start();
    await h.send({ kind: 'start', origin: { ...h.origin, user: 'U2' }, mode: 'live' });
    const other = await h.store.findActive('test', 'U2');
    const first = await h.store.findByThread(stuck);
    // Its prompt left the library; every job of both rounds is lost.
    await h.store.update(first?.id ?? '', (s) => ({ ...s, promptId: 'gone' }));
    await h.scheduler.cancel(h.scheduler.list());
    await h.clock.advance(50 * MINUTE);
    await h.rounds.sweep();
    await h.clock.advance(MINUTE);
    expect((await h.store.get(other?.id ?? ''))?.status).toBe('done');
    expect((await h.store.get(first?.id ?? ''))?.status).toBe('active');
    // Looked at again a minute later, not at every sweep before that.
    expect(await h.store.due(h.clock.now() - 2_000, 10)).toEqual([]);
    expect(await h.store.due(h.clock.now() + 1_000, 10)).toEqual([first?.id]);
  });
});

describe('commands and bad input', () => {
  it('applies a platform’s retry of a typed command whose first try failed', async () => {
    /** A store whose next `failures` commits fail, as an unreachable Redis would. */
    class FailingStore extends MemorySessionStore {
      failures = 0;
      override async commit(...args: Parameters<MemorySessionStore['commit']>) {
        if (this.failures > 0) {
          this.failures--;
          throw new Error('store unreachable');
        }
        return super.commit(...args);
      }
    }
    const store = new FailingStore();
    const h = await harness({ store });
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    store.failures = 1;
    expect((await h.reply(thread, 'end', 'typed-end')).failed).toBe(true);
    expect((await h.store.findByThread(thread))?.status).toBe('active');
    // The platform sends the same message again: this time it ends the round.
    await h.reply(thread, 'end', 'typed-end');
    expect((await h.store.findByThread(thread))?.status).not.toBe('active');
  });

  it('tells someone writing to the bot directly, with no round running there, where rounds run', async () => {
    const h = await harness();
    // A plain direct message: its thread is the conversation itself.
    const direct = { ...h.origin, channel: 'test:D1', thread: 'test:D1' };
    const hello = await h.send({ kind: 'reply', origin: direct, messageId: 'd1', text: 'hello?' });
    expect(hello.text).toMatch(/No round is running here\. Start one in a channel/);
    expect(h.platform.posts).toEqual([]);
  });

  it('tells someone who writes a command to the bot directly how to give it', async () => {
    const h = await harness();
    const direct = { ...h.origin, channel: 'test:D1', thread: 'test:D1' };
    const drill = await h.send({
      kind: 'reply',
      origin: direct,
      messageId: 'd1',
      text: 'drill risks',
    });
    expect(drill.text).toBe(
      'To give a command, type it after `/mockdesign`: `/mockdesign drill risks`.',
    );
    const end = await h.send({ kind: 'reply', origin: direct, messageId: 'd2', text: 'end' });
    expect(end.text).toMatch(/No round is running here/);
  });

  it('tells the candidate once, in a direct conversation whose round is over, that none runs', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.send({ kind: 'end', origin: { ...h.origin, thread } });
    await h.clock.advance(MINUTE);
    // Plain messages of the conversation the round ran in (a Slack attempt in direct messages).
    const here = { ...h.origin, channel: thread, thread };
    const say = (messageId: string, text: string) =>
      h.send({ kind: 'reply', origin: here, messageId, text });
    expect((await say('a1', 'Thanks, that was useful.')).text).toMatch(/No round is running here/);
    expect((await say('a2', 'One more thought.')).text).toBeUndefined();
  });

  it('tells the candidate once that a message came after the end, then lets the thread be', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    await h.send({ kind: 'end', origin: { ...h.origin, thread } });
    await h.clock.advance(MINUTE);
    expect((await h.reply(thread, 'Thanks, that was useful.')).text).toMatch(/This round is over/);
    expect((await h.reply(thread, 'The risk part was fair.')).text).toBeUndefined();
    expect((await h.reply(thread, 'end')).text).toMatch(/already over/);
  });

  it('refuses an unknown prompt and starts nothing', async () => {
    const h = await harness();
    const result = await h.send({
      kind: 'start',
      origin: h.origin,
      mode: 'live',
      promptId: 'nope',
    });
    expect(result.text).toMatch(/Unknown prompt "nope"/);
    expect(h.platform.posts).toEqual([]);
    expect(await h.store.findActive('test', 'U1')).toBeUndefined();
  });

  it('refuses a second round while one is running', async () => {
    const h = await harness();
    await h.start();
    const result = await h.send({ kind: 'start', origin: h.origin, mode: 'live' });
    expect(result.text).toMatch(/already have a round running/);
    expect(h.platform.posts.filter((p) => p.card.kind === 'prompt')).toHaveLength(1);
  });

  it('answers an empty or oversized reply with one clear message, once, and keeps the round going', async () => {
    const h = await harness();
    const thread = await h.start();
    expect((await h.reply(thread, '   ')).text).toMatch(/empty/);
    const long = 'x'.repeat(100 * 1024);
    expect((await h.reply(thread, long, 'LONG')).text).toMatch(
      /102,400 characters; the limit is 20,000/,
    );
    // The same message delivered again (a platform's retry, a catch-up reading it back).
    expect((await h.reply(thread, long, 'LONG')).text).toBeUndefined();
    await h.reply(thread, HYPOTHESIS);
    const session = await h.store.findByThread(thread);
    expect(session?.status).toBe('active');
    expect(session?.replies).toBe(1);
    const stored = await h.store.messages(session?.id ?? '');
    expect(stored.filter((m) => m.role === 'candidate').map((m) => m.text)).toEqual([HYPOTHESIS]);
    // What was refused is kept as the refusal alone, never its text, and not as an answer.
    expect(stored.filter((m) => m.role === 'refused').map((m) => m.text.length < 200)).toEqual([
      true,
      true,
    ]);
    const transcript = transcriptOf(session as Session, { prompt: 'prompt' }, stored);
    expect(transcript.messages.map((m) => m.text)).toEqual([HYPOTHESIS]);
  });

  it('stores a reply once per message id and ignores other people in a solo thread', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS, 'M1');
    await h.reply(thread, HYPOTHESIS, 'M1');
    await h.reply(thread, 'I would just use Kafka', 'M2', 'U2');
    const session = await h.store.findByThread(thread);
    expect(session?.replies).toBe(1);
    expect(await h.store.messages(session?.id ?? '')).toHaveLength(1);
  });

  it('applies a control word once when the platform retries its message', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, 'next', 'M9');
    await h.reply(thread, 'next', 'M9');
    await h.clock.advance(0);
    const session = await h.store.findByThread(thread);
    expect(session?.phase).toBe('sketch');
    expect(h.platform.events(thread).map((e) => e.event)).toEqual(['phase-sketch']);
  });

  it('refuses a round length outside the limits whatever the platform sent', async () => {
    const h = await harness();
    const live = await h.send({ kind: 'start', origin: h.origin, mode: 'live', minutes: 300 });
    expect(live.text).toMatch(/from 5 to 240 minutes; 300 is out of range/);
    const async = await h.send({ kind: 'start', origin: h.origin, mode: 'async', minutes: 30 });
    expect(async.text).toMatch(/from 1 to 336 hours/);
    expect(h.platform.posts).toEqual([]);
  });

  it('lets only the candidate end or advance the round', async () => {
    const h = await harness();
    const thread = await h.start();
    const other = { ...h.origin, user: 'U2', thread };
    expect((await h.send({ kind: 'end', origin: other })).text).toMatch(
      /Only the candidate can end this round/,
    );
    expect((await h.send({ kind: 'next', origin: other })).text).toMatch(
      /Only the candidate can move this round to the next phase/,
    );
    expect((await h.store.findByThread(thread))?.status).toBe('active');
  });

  it('reports status, prompts and help', async () => {
    const h = await harness();
    expect((await h.send({ kind: 'status', origin: h.origin })).text).toMatch(/no round running/);
    await h.start();
    await h.clock.advance(16 * MINUTE);
    expect((await h.send({ kind: 'status', origin: h.origin })).text).toMatch(
      /Phase 2 of 3: Solution sketch/,
    );
    expect((await h.send({ kind: 'prompts', origin: h.origin })).text).toMatch(
      /alignment-feedback-loops/,
    );
    expect((await h.send({ kind: 'help', origin: h.origin })).text).toMatch(
      /start \[prompt-id\|random\]/,
    );
  });
});

describe('an async round', () => {
  it('nudges when the thread goes quiet and not after fresh activity', async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    const HOUR = 60 * MINUTE;
    await h.clock.advance(5 * HOUR);
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(8 * HOUR); // the first nudge (due at 10.8 h) no longer applies
    expect(h.platform.events(thread).filter((e) => e.event.startsWith('nudge'))).toEqual([]);
    await h.clock.advance(4 * HOUR); // 10.8 h after the reply
    expect(
      h.platform
        .events(thread)
        .filter((e) => e.event.startsWith('nudge'))
        .map((e) => e.event),
    ).toEqual(['nudge-1']);
  });

  it('cancels the nudges it has pending when the candidate ends it early', async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(60 * MINUTE);
    await h.reply(thread, HYPOTHESIS);
    expect((await h.reply(thread, 'end')).text).toMatch(/Round ended/);
    expect(h.scheduler.list().map((t) => t.event.kind)).toEqual(['score']);
  });

  it('counts the candidate’s `next` as activity: no nudge until the thread is quiet after it', async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    const HOUR = 60 * MINUTE;
    await h.clock.advance(1 * HOUR);
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(10 * HOUR);
    await h.reply(thread, 'next');
    // The nudge the reply brought (due at 11.8 h) no longer applies: `next` came at 11 h.
    await h.clock.advance(2 * HOUR);
    expect(h.platform.events(thread)).toEqual([{ event: 'phase-sketch', minute: 11 * 60 }]);
    // 10.8 h after the `next`, with nothing said since, the nudge comes.
    await h.clock.advance(9 * HOUR);
    expect(h.platform.events(thread)).toEqual([
      { event: 'phase-sketch', minute: 11 * 60 },
      { event: 'nudge-2', minute: 21.8 * 60 },
    ]);
    expect(h.errors).toEqual([]);
  });

  it('nudges after quiet since the last reply even when an earlier reply was delivered twice', async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    const HOUR = 60 * MINUTE;
    await h.reply(thread, HYPOTHESIS, 'M1');
    // The platform delivers the same message again (a retry, a catch-up after a restart).
    await h.clock.advance(MINUTE);
    await h.reply(thread, HYPOTHESIS, 'M1');
    await h.clock.advance(10 * HOUR);
    await h.reply(thread, 'The sketch: a two-stage retriever, then a reranker.', 'M2');
    // 10.8 h after the first reply, the thread has been quiet for only 48 minutes.
    await h.clock.advance(HOUR);
    expect(h.platform.events(thread).filter((e) => e.event.startsWith('nudge'))).toEqual([]);
    // 10.8 h after the second reply, it has been quiet long enough.
    await h.clock.advance(10 * HOUR);
    expect(h.platform.events(thread).filter((e) => e.event.startsWith('nudge'))).toEqual([
      { event: 'nudge-2', minute: 10 * 60 + 1 + 0.15 * 72 * 60 },
    ]);
    expect((await h.store.findByThread(thread))?.replies).toBe(2);
  });

  it('nudges in the last phase to say `end`, since `next` there ends the round', async () => {
    const h = await harness();
    const thread = await h.start({ mode: 'async', minutes: 72 * 60 });
    const HOUR = 60 * MINUTE;
    // The deep dive opens at 56 h; a reply at 57 h goes quiet until the nudge at 67.8 h.
    await h.clock.advance(57 * HOUR);
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(11 * HOUR);
    // nudge-0 came at 10.8 h, in framing; nudge-1 in the deep dive.
    const nudges = h.platform.posts.filter((p) => p.subject.startsWith('nudge'));
    expect(nudges.map((p) => p.subject)).toEqual(['nudge-0', 'nudge-1']);
    const nudge = nudges[1]?.card;
    if (!nudge) throw new Error('no nudge in the deep dive');
    const text = cardText(nudge);
    expect(text).toMatch(/Research-impact deep dive/);
    expect(text).not.toMatch(/next phase/);
    expect(text).toMatch(/say `end` to finish/);
    expect((await h.store.findByThread(thread))?.status).toBe('active');
  });

  it('nudges in an earlier phase to say `next` to move on', async () => {
    const h = await harness();
    await h.start({ mode: 'async', minutes: 72 * 60 });
    await h.clock.advance(11 * 60 * MINUTE);
    const [nudge] = h.platform.posts.filter((p) => p.subject.startsWith('nudge'));
    if (!nudge) throw new Error('no nudge in framing');
    expect(nudge.subject).toBe('nudge-0');
    expect(cardText(nudge.card)).toMatch(/say `next` to move to the next phase/);
  });
});

/**
 * Presses the Next phase button of the card posted as `subject` in `thread`, as an adapter hands
 * the press to the core: with the value the button carries as the phase it was posted in.
 */
async function pressNext(h: Harness, thread: string, subject: string) {
  const post = h.platform.posts.find((p) => p.address === thread && p.subject === subject);
  const next = post?.card.controls.find((c) => c.id === 'next');
  if (!next) throw new Error(`no Next phase button on ${subject}`);
  const button = next.value === undefined ? {} : { phase: next.value };
  return h.send({ kind: 'next', origin: { ...h.origin, thread }, button });
}
