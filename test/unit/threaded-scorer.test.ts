import { readdir, readFile } from 'node:fs/promises';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createScorer } from '../../app/scorer.js';
import { ThreadedScorer } from '../../app/threaded-scorer.js';
import { MAX_REPLY_CHARS } from '../../src/candidate-messages.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { SCORING_INTERRUPTED } from '../../src/ports/scorer.js';
import { scoreHeuristically } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { type Transcript, TranscriptSchema } from '../../src/transcript.js';
import { shippedLibrary } from './harness.js';

const strongRound = async (): Promise<Transcript> =>
  TranscriptSchema.parse(
    JSON.parse(
      await readFile(join(import.meta.dirname, '..', 'fixtures', 'strong-round.json'), 'utf8'),
    ),
  );

/** A round at the limits: 200 replies, each as long as a reply may be. */
function longest(base: Transcript): Transcript {
  const said = base.messages.filter((m) => m.role === 'candidate').map((m) => m.text);
  const text = (i: number) => {
    let out = '';
    for (let j = i; out.length < MAX_REPLY_CHARS - 400; j++) out += `${said[j % said.length]} `;
    return out.slice(0, MAX_REPLY_CHARS);
  };
  return {
    ...base,
    messages: Array.from({ length: 200 }, (_, i) => ({
      role: 'candidate' as const,
      at: 10 + i * 13,
      text: text(i),
    })),
  };
}

describe('the threaded heuristic scorer', () => {
  const scorers: ThreadedScorer[] = [];
  afterAll(async () => {
    for (const scorer of scorers) await scorer.close();
  });

  it('scores off the main thread: the same scorecard, while the event loop keeps turning', async () => {
    const { rubric } = await shippedLibrary();
    const scorer = new ThreadedScorer(rubric);
    scorers.push(scorer);
    const transcript = longest(await strongRound());
    let turns = 0;
    let done = false;
    const spin = () => {
      if (done) return;
      turns += 1;
      setImmediate(spin);
    };
    setImmediate(spin);
    const card = await scorer.score(transcript);
    done = true;
    expect(turns).toBeGreaterThan(10);
    expect(card).toEqual(scoreHeuristically(rubric, transcript));
    // About 4 s alone; the thread runs at the lowest CPU priority, so on a machine busy with other
    // work it waits its turn (over a minute beside two reader fits on two cores).
  }, 240_000);

  it.runIf(process.platform === 'linux')(
    'starts its thread when warmed, at the lowest CPU priority, leaving the main thread where it was',
    async () => {
      const { rubric } = await shippedLibrary();
      const niced = async () => {
        const out: string[] = [];
        for (const task of await readdir('/proc/self/task')) {
          const stat = await readFile(`/proc/self/task/${task}/stat`, 'utf8').catch(() => '');
          // Field 19 of stat is the nice value; the fields after the command name start at 3.
          const nice = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16];
          if (nice === '19') out.push(task);
        }
        return out;
      };
      const before = await niced();
      const scorer = new ThreadedScorer(rubric).warm();
      scorers.push(scorer);
      // Nothing is scored yet: the thread loads and lowers its own priority on its own.
      let started: string[] = [];
      for (let i = 0; i < 300 && started.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        started = (await niced()).filter((t) => !before.includes(t));
      }
      expect(started.length).toBeGreaterThan(0);
      expect(getPriority(0)).toBe(0);
      expect((await scorer.score(await strongRound())).overall).toBeGreaterThan(0);
    },
    60_000,
  );

  it('asks for two transcripts at a time when scoring on its thread, and leaves the default otherwise', async () => {
    const library = await shippedLibrary();
    const logger = createLogger({ quiet: true });
    const threaded = createScorer(loadConfig({}), library, logger, 'heuristic', true);
    expect(threaded.concurrency).toBe(2);
    expect(createScorer(loadConfig({}), library, logger, 'heuristic').concurrency).toBe(undefined);
  });

  it('fails what a dying thread was scoring, and scores the next on a new thread', async () => {
    const { rubric } = await shippedLibrary();
    const scorer = new ThreadedScorer(rubric);
    scorers.push(scorer);
    const transcript = await strongRound();
    const lost = scorer.score(longest(transcript));
    await scorer.close();
    await expect(lost).rejects.toMatchObject({ code: SCORING_INTERRUPTED });
    const card = await scorer.score(transcript);
    expect(card.overall).toBe(scoreHeuristically(rubric, transcript).overall);
  }, 60_000);

  it('stops a thread that gives no answer in time: what it held fails, and the next transcript is scored on a new thread', async () => {
    const { rubric } = await shippedLibrary();
    const scorer = new ThreadedScorer(rubric, {
      stallMs: 8000,
      thread: new URL('../fixtures/hanging-scoring-thread.ts', import.meta.url),
    });
    scorers.push(scorer);
    const transcript = await strongRound();
    const stuck = scorer.score({ ...transcript, promptId: 'hang' });
    const behind = scorer.score(transcript);
    // The stuck transcript counts against its round; the one behind it is only scored again.
    await expect(stuck).rejects.toMatchObject({
      code: 'scoring_failed',
      message: 'the scoring thread gave no answer in 8 s',
    });
    await expect(behind).rejects.toMatchObject({
      code: SCORING_INTERRUPTED,
      message: expect.stringMatching(/before it reached this transcript/),
    });
    const card = await scorer.score(transcript);
    expect(card.overall).toBe(scoreHeuristically(rubric, transcript).overall);
  }, 60_000);
});
