import type { Rubric } from '../../rubric/schema.js';
import { words } from '../analysis/sentences.js';
import { plannedPhases } from '../round/timeline.js';
import type { Transcript } from '../transcript.js';

export interface PhaseSpan {
  readonly id: string;
  readonly name: string;
  /** Round seconds at which it began. */
  readonly start: number;
  readonly seconds: number;
  /** Words the candidate wrote in it. */
  readonly words: number;
}

/**
 * How the round's time was spent, phase by phase: each phase from its recorded start (a round
 * where `next` was used) or else its planned one, to the next phase's start or the round's end.
 * Nothing counts past the round's end (`endedAt`, else its last message): after an early `end`,
 * the phases never reached get no time.
 */
export function phaseTimes(rubric: Rubric, transcript: Transcript): PhaseSpan[] {
  const plan = plannedPhases(rubric, transcript.minutes);
  const lastAt = transcript.messages.reduce((max, m) => Math.max(max, m.at), 0);
  const planned = phaseStarts(rubric, transcript);
  // Without an end on record, the round ended with its last message (the interviewer's closing
  // line): a round ended at 28:10 gives its deep dive no time, not the sketch twenty minutes.
  const end = transcript.endedAt ?? Math.min(lastAt, transcript.minutes * 60);
  const starts = planned.map((at, i) => (i === 0 ? 0 : Math.min(at, end)));
  // What was said at the very end (the last words and `end` in one second) belongs to the phase
  // the round was in, never to one it did not reach.
  const last = Math.max(
    0,
    planned.findLastIndex((at, i) => i === 0 || at < end),
  );
  return plan.map((p, i) => {
    const start = starts[i] ?? 0;
    const stop = Math.max(start, Math.min(starts[i + 1] ?? end, end));
    const said =
      i > last
        ? 0
        : transcript.messages
            .filter((m) => m.role === 'candidate' && m.at >= start && (i === last || m.at < stop))
            .reduce((n, m) => n + words(m.text).length, 0);
    return { id: p.id, name: p.name, start, seconds: Math.round(stop - start), words: said };
  });
}

/**
 * When each phase began (round seconds): its recorded start (a round where `next` was used), else
 * its planned one, whenever the round ended. The framing window ends where the sketch begins.
 */
export function phaseStarts(rubric: Rubric, transcript: Transcript): number[] {
  const recorded = new Map((transcript.phases ?? []).map((p) => [p.phase, p.at]));
  return plannedPhases(rubric, transcript.minutes).map(
    (p) => recorded.get(p.id) ?? p.startMinute * 60,
  );
}
