import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { RoundArchive } from '../../adapters/terminal/round-archive.js';
import { practice } from '../../cli/practice.js';
import { createLogger } from '../../src/logger.js';
import { HeuristicScorer } from '../../src/scoring/heuristic/heuristic-scorer.js';
import { shippedLibrary } from './harness.js';

const homes: string[] = [];
afterAll(async () => {
  for (const home of homes) await rm(home, { recursive: true, force: true });
});

/**
 * Plays a 5-minute terminal round on the real core and clock, passing in a few hundred
 * milliseconds (or at `timeScale`), with `typed` written at the keyboard (`tty`) or piped in
 * (`end`: and the input ended); resolves with what was printed and the round as kept.
 */
async function played(typed: string, options: { tty: boolean; end?: boolean; timeScale?: number }) {
  const library = await shippedLibrary();
  const home = await mkdtemp(join(tmpdir(), 'mockdesign-practice-'));
  homes.push(home);
  const input = Object.assign(new PassThrough(), { isTTY: options.tty });
  let printed = '';
  const output = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        printed += String(chunk);
        done();
      },
    }),
    { isTTY: options.tty, columns: 100 },
  );
  if (options.end) input.end(typed);
  else input.write(typed);
  const archive = new RoundArchive(home);
  await practice({
    library,
    scorer: new HeuristicScorer(library.rubric),
    timeScale: options.timeScale ?? 0.002,
    logger: createLogger({ write: () => {} }),
    promptId: 'rag-hallucination-measurement',
    minutes: 5,
    input,
    output,
    onQuit: () => {},
    archive,
  });
  const [round] = (await archive.list()).rounds;
  return { printed, round };
}

describe('a terminal round', () => {
  it('takes the line being typed when time runs out as the last reply, written in time', async () => {
    const { round } = await played(
      'I hypothesize a reranker cuts the hallucination rate by 15% against the baseline.\r' +
        'and the control arm keeps the reranker off',
      { tty: true },
    );
    const messages = round?.transcript?.messages ?? [];
    expect(messages.filter((m) => m.role === 'candidate').map((m) => m.text)).toEqual([
      'I hypothesize a reranker cuts the hallucination rate by 15% against the baseline.',
      'and the control arm keeps the reranker off',
    ]);
    // Taken before the round ended: its time ran out, and the closing line says so.
    expect(messages.at(-1)?.text).toMatch(/^That's time/);
  });

  it('scores piped answers as the whole round when the input ends: at once, and not as ended early', async () => {
    // At the real pace: a round that waited for its time would not be scored within the test.
    const { printed, round } = await played(
      'I hypothesize a reranker cuts the hallucination rate by 15% against the baseline.\n' +
        'The control arm keeps the reranker off; 3k questions per arm give 80% power.\n',
      { tty: false, end: true, timeScale: 1 },
    );
    expect(round?.transcript?.endedAt).toBe(5 * 60);
    expect(round?.transcript?.messages.at(-1)).toMatchObject({
      text: expect.stringMatching(/^That's time/),
      at: 5 * 60,
    });
    expect(printed).toMatch(/05:00 in · 00:00 left\]\n\nThat's time/);
    expect(printed).not.toMatch(/Ending here|Round ended at/);
    expect(printed).toMatch(/Scorecard — \d+\/100/);
  });
});
