import type { Rubric } from '../../rubric/schema.js';
import { DRILLS, type DrillKind } from '../round/drills.js';
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
  if (session.drill) return drillClock(session, session.drill, now);
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

/**
 * A drill's clock: one span, named by the drill (it has no phases), with one notice before its
 * end, as a round's last phase has.
 */
function drillClock(session: Session, drill: DrillKind, now: number): RoundClock {
  const seconds = session.minutes * 60;
  // Whole minutes where it is a minute or more, so the notice says the time left as it is.
  const quarter = Math.min(WARNING_SECONDS, seconds / 4);
  const lead = quarter >= 60 ? Math.floor(quarter / 60) * 60 : quarter;
  const endsAt = wallTime(session, seconds);
  const notice = {
    at: wallTime(session, seconds - lead),
    card: noticeCard(`${span(lead)} left in the drill.`),
  };
  return {
    phase: DRILLS[drill].name.toLowerCase(),
    phaseEndsAt: endsAt,
    roundEndsAt: endsAt,
    timeScale: session.timeScale,
    notices: notice.at > now ? [notice] : [],
  };
}
