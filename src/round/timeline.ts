import type { Rubric } from '../../rubric/schema.js';
import type { PlannedPhase } from '../messages.js';
import type { Session } from '../session.js';
import type { RoundEvent } from './events.js';

/** A timed step of a round: a phase opening, a rubric cue, or the end. */
export interface TimelineEvent {
  readonly event: Extract<RoundEvent, { kind: 'phase' | 'cue' | 'end' }>;
  /** Round seconds from the start. */
  readonly at: number;
  /** The phase it opens (`phase`) or applies in (`cue`); the last phase for `end`. */
  readonly phase: string;
}

/** Round seconds per nominal rubric minute for a round of `minutes`. */
export function secondsPerNominalMinute(rubric: Rubric, minutes: number): number {
  return (60 * minutes) / rubric.minutes;
}

/** The phase plan of a round of `minutes`, scaled from the rubric's nominal plan. */
export function plannedPhases(rubric: Rubric, minutes: number): PlannedPhase[] {
  const ratio = minutes / rubric.minutes;
  let start = 0;
  return rubric.phases.map((p) => {
    const phase = {
      id: p.id,
      name: p.name,
      goal: p.goal,
      startMinute: start * ratio,
      minutes: p.minutes * ratio,
    };
    start += p.minutes;
    return phase;
  });
}

/** Every timed event of a round of `minutes`, in the order they fall due. */
export function timeline(rubric: Rubric, minutes: number): TimelineEvent[] {
  const perMinute = secondsPerNominalMinute(rubric, minutes);
  const phases = plannedPhases(rubric, minutes);
  const events: TimelineEvent[] = [
    ...phases.slice(1).map((p) => ({
      event: { kind: 'phase' as const, phase: p.id },
      at: p.startMinute * 60,
      phase: p.id,
    })),
    ...rubric.events.map((e) => ({
      event: { kind: 'cue' as const, id: e.id },
      at: e.at * perMinute,
      phase: e.phase,
    })),
    {
      event: { kind: 'end' as const },
      at: minutes * 60,
      phase: phases[phases.length - 1]?.id ?? '',
    },
  ];
  const order = { phase: 0, cue: 1, end: 2 };
  return events.sort((a, b) => a.at - b.at || order[a.event.kind] - order[b.event.kind]);
}

/** The timed events of this round: its whole timeline, or for a drill only its end. */
export function roundTimeline(
  rubric: Rubric,
  s: Pick<Session, 'minutes' | 'drill' | 'phase'>,
): TimelineEvent[] {
  if (s.drill) return [{ event: { kind: 'end' }, at: s.minutes * 60, phase: s.phase }];
  return timeline(rubric, s.minutes);
}
