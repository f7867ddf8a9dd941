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
 * How the round's time was spent, phase by phase: from the transcript's recorded phase starts
 * when it has them (a round where `next` was used), otherwise from the rubric's plan.
 */
export function phaseTimes(rubric: Rubric, transcript: Transcript): PhaseSpan[] {
  const plan = plannedPhases(rubric, transcript.minutes);
  const recorded = new Map((transcript.phases ?? []).map((p) => [p.phase, p.at]));
  const starts = plan.map((p) => recorded.get(p.id) ?? p.startMinute * 60);
  const lastAt = transcript.messages.reduce((max, m) => Math.max(max, m.at), 0);
  const end = Math.max(Math.min(lastAt, transcript.minutes * 60), starts[starts.length - 1] ?? 0);
  return plan.map((p, i) => {
    const start = starts[i] ?? 0;
    const stop = Math.max(start, starts[i + 1] ?? end);
    const said = transcript.messages
      .filter(
        (m) => m.role === 'candidate' && m.at >= start && (i === plan.length - 1 || m.at < stop),
      )
      .reduce((n, m) => n + words(m.text).length, 0);
    return { id: p.id, name: p.name, start, seconds: Math.round(stop - start), words: said };
  });
}
