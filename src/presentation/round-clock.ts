import type { Rubric } from '../../rubric/schema.js';
import { plannedPhases } from '../round/timeline.js';
import { type Session, wallTime } from '../session.js';
import type { RoundClock } from './clock.js';
import { span } from './format.js';
import { noticeCard } from './replies.js';

/** Round seconds before a phase ends at which the clock warns; at most a quarter of the phase. */
const WARNING_SECONDS = 120;

/**
 * The clock of an active round: the current phase, when it and the round end, and a one-line

 * notice shortly before each phase still ahead ends ("2 minutes left in Framing.").
 */
export function roundClock(rubric: Rubric, session: Session, now: number): RoundClock {
  const plan = plannedPhases(rubric, session.minutes);
  const index = Math.max(
    0,
    plan.findIndex((p) => p.id === session.phase),
  );
  const current = plan[index];
  const endOf = (i: number) => {
    const p = plan[i];
    return p ? (p.startMinute + p.minutes) * 60 : session.minutes * 60;
  };
  const notices = plan.slice(index).map((p, offset) => {
    const end = endOf(index + offset);
    const lead = Math.min(WARNING_SECONDS, (p.minutes * 60) / 4);
    const last = index + offset === plan.length - 1;
    const text = last ? `${span(lead)} left in the round.` : `${span(lead)} left in ${p.name}.`;
    return { at: wallTime(session, end - lead), card: noticeCard(text) };
  });
  // A notice whose time has passed (the clock is sent again after `next`) is not shown late.
  return {
    phase: (current?.id ?? session.phase).replaceAll('_', ' '),
    phaseEndsAt: wallTime(session, endOf(index)),
    roundEndsAt: wallTime(session, session.minutes * 60),
    timeScale: session.timeScale,
    notices: notices.filter((n) => n.at > now),
  };
}
