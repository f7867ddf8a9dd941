// The body of the scoring thread (see `threaded-scorer.ts`): scores each transcript it is sent
// with the heuristic engine and sends the scorecard back, off the main event loop.
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { Rubric } from '../rubric/schema.js';
import { HeuristicScorer } from '../src/scoring/heuristic/heuristic-scorer.js';
import type { Transcript } from '../src/transcript.js';

// Scoring yields the CPU to live rounds: their interviewer lines are due at a given second, a
// scorecard a moment later is not. On Linux a nice value is the calling thread's own (elsewhere
// it would be the whole process's, so it is left alone there).
if (process.platform === 'linux') {
  try {
    setPriority(0, 19);
  } catch {
    // Not allowed here: scoring runs at the process's priority.
  }
}

const scorer = new HeuristicScorer((workerData as { rubric: Rubric }).rubric);

parentPort?.on('message', async (request: { id: number; transcript: Transcript }) => {
  try {
    const scorecard = await scorer.score(request.transcript);
    parentPort?.postMessage({ id: request.id, scorecard });
  } catch (error) {
    parentPort?.postMessage({ id: request.id, error: String((error as Error)?.message ?? error) });
  }
});
