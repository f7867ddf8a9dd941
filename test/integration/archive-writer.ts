/**
 * A process that keeps rounds in the archive at `argv[2]`: three small ones (then prints `ready`),
 * then large ones for ever, so a test can kill it in the middle of a write.
 */
import { RoundArchive } from '../../adapters/terminal/round-archive.js';
import type { KeptRound } from '../../src/progress/kept-round.js';

/** A round with `words` of candidate text. */
export function keptRound(n: number, words: number): KeptRound {
  return {
    id: `r${n}`,
    startedAt: Date.UTC(2026, 11, 1) + n * 60_000,
    promptId: 'labeller-quality',
    title: 'Human-feedback labeller quality',
    minutes: 45,
    status: 'done',
    transcript: {
      prompt: 'Design a system that measures labeller quality.',
      minutes: 45,
      messages: [{ role: 'candidate', at: 30, text: 'I hypothesize a gain. '.repeat(words) }],
    },
  };
}

const home = process.argv[2];
if (home && import.meta.filename === process.argv[1]) {
  const archive = new RoundArchive(home);
  for (let n = 1; n <= 3; n++) await archive.save(keptRound(n, 10));
  process.stdout.write('ready\n');
  for (let n = 4; ; n++) await archive.save(keptRound(n, 2_000_000));
}
