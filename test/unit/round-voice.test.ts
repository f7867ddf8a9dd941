/** What the round says and when: texts that match its real clock, endings, commands, the clock. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cardText } from '../../src/presentation/card.js';
import { receive } from '../../src/round/transitions.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { newSession } from '../../src/session.js';
import { TranscriptSchema } from '../../src/transcript.js';
import { HYPOTHESIS, harness, shippedLibrary } from './harness.js';

const MINUTE = 60_000;

describe('one reading of what the candidate said', () => {
  it('does not cut in for a misspelt hypothesis that the scorecard credits', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(2 * MINUTE);
    await h.reply(
      thread,
      'I hypotesize that a second-stage reranker trained on our logs lowers hallucination rate.',
    );
    await h.clock.advance(46 * MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).not.toContain('hypothesis_cut_in');
    const [scorecard] = h.platform.cards('scorecard');
    expect(scorecard && cardText(scorecard.card)).toMatch(/Hypothesis first stated: at 02:00/);
  });

  it('cuts in for a claim sized only by the prompt’s own number, as the scorecard reads it', async () => {
    const h = await harness();
    const thread = await h.start({ promptId: 'alignment-feedback-loops' });
    await h.clock.advance(2 * MINUTE);
    // "2M rated conversations per cycle" is the prompt's context, not the candidate's estimate.
    await h.reply(thread, 'My bet: with 2M rated conversations per cycle, helpfulness goes up.');
    await h.clock.advance(46 * MINUTE);
    expect(h.platform.events(thread).map((e) => e.event)).toContain('hypothesis_cut_in');
    const [scorecard] = h.platform.cards('scorecard');
    expect(scorecard && cardText(scorecard.card)).toMatch(/Hypothesis first stated: never/);
  });

  it('agrees with the scorer on when the hypothesis came, on every labelled transcript', async () => {
    const { rubric, prompts } = await shippedLibrary();
    const dir = join(import.meta.dirname, '..', 'fixtures', 'transcripts');
    const files = (await readdir(dir)).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const raw = JSON.parse(await readFile(join(dir, file), 'utf8'));
      const transcript = TranscriptSchema.parse(raw.transcript ?? raw);
      const prompt = prompts.get(transcript.promptId ?? '');
      if (!prompt) throw new Error(`${file}: no prompt ${transcript.promptId}`);
      const start = Date.UTC(2026, 0, 1);
      let session = newSession({
        id: 'r0000000000000000',
        platform: 'test',
        channel: 'test:C',
        thread: 'test:C:T',
        mode: 'live',
        promptId: prompt.id,
        minutes: transcript.minutes,
        timeScale: 1,
        candidates: ['U1'],
        startedAt: start,
        firstPhase: 'framing',
      });
      for (const m of transcript.messages.filter((x) => x.role === 'candidate')) {
        session = receive({ rubric, prompt }, session, m.text, start + m.at * 1000).session;
      }
      const card = scoreHeuristically(rubric, transcript);
      expect({ file, at: session.hypothesisAt }).toEqual({
        file,
        at: card.phaseDiscipline.hypothesisAt,
      });
    }
  });
});

describe('texts that match the round', () => {
  it('speaks of the real time in a five-minute round', async () => {
    const h = await harness();
    const thread = await h.start({ minutes: 5 });
    await h.clock.advance(6 * MINUTE);
    expect(h.platform.said(thread, 'hypothesis_cut_in')).toMatch(/We're 1 minute in/);
    // The warning falls at 40/45 of five minutes: 33 seconds before the end.
    expect(h.platform.said(thread, 'five_minute_warning')).toMatch(/^.*\n33 seconds left/);
  });

  it('closes a round by how it ended: time up, ended early, or nothing said', async () => {
    const timeUp = await harness();
    const t1 = await timeUp.start();
    await timeUp.reply(t1, HYPOTHESIS);
    await timeUp.clock.advance(46 * MINUTE);
    expect(timeUp.platform.said(t1, 'end')).toMatch(/That's time/);

    const early = await harness();
    const t2 = await early.start();
    await early.clock.advance(43_000);
    await early.reply(t2, HYPOTHESIS);
    await early.reply(t2, 'end');
    await early.clock.advance(0);
    expect(early.platform.said(t2, 'end')).toMatch(/Ending here, 43 seconds in/);
    expect(early.platform.said(t2, 'end')).not.toMatch(/That's time/);

    const silent = await harness();
    const t3 = await silent.start();
    await silent.clock.advance(46 * MINUTE);
    expect(silent.platform.said(t3, 'end')).toMatch(/no answers came in/);
  });

  it('shows the real phase times on the scorecard after an early end', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.clock.advance(20_000);
    await h.reply(thread, HYPOTHESIS);
    await h.clock.advance(23_000);
    await h.reply(thread, 'end');
    await h.clock.advance(MINUTE);
    const [scorecard] = h.platform.cards('scorecard');
    const text = scorecard ? cardText(scorecard.card) : '';
    expect(text).toMatch(/• Framing: 00:43/);
    expect(text).toMatch(/• Solution sketch: 00:00 · 0 words/);
    expect(text).toMatch(/• Research-impact deep dive: 00:00 · 0 words/);
  });

  it('says singular and plural right', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    expect((await h.send({ kind: 'status', origin: h.origin })).text).toMatch(/; 1 reply\.$/);
    await h.reply(thread, 'end');
    expect((await h.send({ kind: 'history', origin: h.origin })).text).toMatch(
      /^Your last round\n/,
    );
    expect((await h.send({ kind: 'forget', origin: h.origin, confirmed: true })).text).toBe(
      'Deleted 1 round with their replies and scorecards.',
    );
  });
});

describe('commands typed in a round', () => {
  it('runs every command word and never stores one as an answer', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    expect((await h.reply(thread, 'help')).text).toMatch(/`next` — move on to the next phase/);
    expect((await h.reply(thread, 'prompts')).text).toMatch(/alignment-feedback-loops/);
    expect((await h.reply(thread, 'history')).text).toMatch(/in progress/);
    expect((await h.reply(thread, 'start')).text).toMatch(/already have a round running/);
    expect((await h.reply(thread, 'start random')).text).toMatch(/already have a round running/);
    expect(
      (await h.reply(thread, 'Start rag-hallucination-measurement --minutes 30')).text,
    ).toMatch(/already have a round running/);
    expect((await h.reply(thread, ' Status ')).text).toMatch(/; 1 reply\.$/);
    const session = await h.store.findByThread(thread);
    const answers = (await h.store.messages(session?.id ?? '')).filter(
      (m) => m.role === 'candidate',
    );
    expect(answers.map((m) => m.text)).toEqual([HYPOTHESIS]);
    expect(session?.replies).toBe(1);
  });

  it('takes a sentence that starts with a command word as an answer', async () => {
    const h = await harness();
    const thread = await h.start();
    await h.reply(thread, 'Start with the metric: hallucination rate on HaluEval.');
    await h.reply(thread, 'end to end latency matters too');
    await h.reply(thread, 'start small');
    const session = await h.store.findByThread(thread);
    expect(session?.replies).toBe(3);
    expect(session?.status).toBe('active');
  });

  it('answers help in a terminal round with the terminal’s commands', async () => {
    const h = await harness();
    const terminal = { ...h.origin, platform: 'terminal' };
    const text = (await h.send({ kind: 'help', origin: terminal })).text ?? '';
    expect(text).toMatch(/Ctrl-D or Ctrl-C ends the round/);
    expect(text).not.toMatch(/forget|history|thread/);
    const chat = (await h.send({ kind: 'help', origin: h.origin })).text ?? '';
    expect(chat).toMatch(/`forget`/);
    expect(chat).toMatch(/thread/);
  });
});

describe('the round clock', () => {
  it('is sent at the start and at each phase change, with notices before each phase ends, and cleared at the end', async () => {
    const h = await harness();
    const started = h.clock.now();
    const thread = await h.start();
    await h.reply(thread, HYPOTHESIS);
    const first = h.platform.clocks[0]?.clock;
    expect(first?.phase).toBe('framing');
    expect(first?.phaseEndsAt).toBe(started + 15 * MINUTE);
    expect(first?.roundEndsAt).toBe(started + 45 * MINUTE);
    expect(first?.notices.map((n) => [(n.at - started) / MINUTE, cardText(n.card)])).toEqual([
      [13, '2 minutes left in Framing.'],
      [33, '2 minutes left in Solution sketch.'],
      [43, '2 minutes left in the round.'],
    ]);
    await h.clock.advance(5 * MINUTE);
    await h.reply(thread, 'next');
    const second = h.platform.clocks[1]?.clock;
    expect(second?.phase).toBe('sketch');
    expect(second?.phaseEndsAt).toBe(started + 35 * MINUTE);
    await h.clock.advance(41 * MINUTE);
    expect(h.platform.clocks.map((c) => c.clock?.phase)).toEqual([
      'framing',
      'sketch',
      'deep dive',
      undefined,
    ]);
  });

  it.each([
    {
      drill: 'hypothesis' as const,
      label: 'hypothesis drill',
      minutes: 2,
      notice: [1.5, '30 seconds left in the drill.'],
    },
    {
      drill: 'tradeoffs' as const,
      label: 'trade-offs drill',
      minutes: 5,
      notice: [4, '1 minute left in the drill.'],
    },
    {
      drill: 'risks' as const,
      label: 'risks drill',
      minutes: 5,
      notice: [4, '1 minute left in the drill.'],
    },
  ])(
    'shows a $drill drill as one span, with no phase and no phase notice',
    async ({ drill, label, minutes, notice }) => {
      const h = await harness();
      const started = h.clock.now();
      await h.send({ kind: 'drill', origin: h.origin, drill });
      const clock = h.platform.clocks[0]?.clock;
      expect(clock?.phase).toBe(label);
      expect(clock?.phaseEndsAt).toBe(started + minutes * MINUTE);
      expect(clock?.roundEndsAt).toBe(started + minutes * MINUTE);
      expect(clock?.notices.map((n) => [(n.at - started) / MINUTE, cardText(n.card)])).toEqual([
        notice,
      ]);
    },
  );
});
