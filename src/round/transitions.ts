import type { Prompt, Rubric } from '../../rubric/schema.js';
import { statesHypothesis } from '../analysis/hypothesis.js';
import { sentences } from '../analysis/sentences.js';
import { technologiesIn, tiedToMeasurement } from '../analysis/technology.js';
import type { Control, OutboundMessage } from '../messages.js';
import { type Timer, timerId } from '../ports/scheduler.js';
import { roundSeconds, type Session, wallTime } from '../session.js';
import { secondsPerNominalMinute, timeline } from './timeline.js';

/** What a round is played against. */
export interface RoundContext {
  readonly rubric: Rubric;
  readonly prompt: Prompt;
}

/** The result of a transition: the new session and what to do about it. */
export interface Outcome {
  readonly session: Session;
  /** Interviewer messages to post into the thread, in order. */
  readonly posts: OutboundMessage[];
  readonly timers: Timer[];
  /** The round is over: cancel its pending timers and score it. */
  readonly finished: boolean;
}

const CONTROLS: readonly Control[] = ['next', 'end'];

/** The timers of a newly started round: every timeline event, plus the first nudge of an async round. */
export function initialTimers(ctx: RoundContext, session: Session): Timer[] {
  const timers = timeline(ctx.rubric, session.minutes).map((e) => timer(session, e.id, e.at));
  const nudge = nudgeTimer(ctx, session, 0);
  return nudge ? [...timers, nudge] : timers;
}

/**
 * Ids of the timers a round may still have pending: its timeline, probes and nudges that have not
 * fired yet, and its scoring.
 */
export function knownTimerIds(rubric: Rubric, s: Session): string[] {
  return [
    ...timeline(rubric, s.minutes).map((e) => e.id),
    ...s.probes.map((_, i) => `probe-${i + 1}`),
    ...(s.mode === 'async' ? Array.from({ length: s.replies + 1 }, (_, n) => `nudge-${n}`) : []),
    'score',
  ]
    .filter((event) => !s.fired.includes(event))
    .map((event) => timerId(s.id, event));
}

/**
 * A timer fired: applies the event if it still applies, otherwise returns undefined. A timeline
 * event first applies every earlier timeline event that has not fired yet, so events come out in
 * order even when concurrent workers pick up their jobs out of order.
 */
export function fire(
  ctx: RoundContext,
  s: Session,
  event: string,
  now: number,
): Outcome | undefined {
  const line = timeline(ctx.rubric, s.minutes);
  const index = line.findIndex((e) => e.id === event);
  if (index < 0) return fireOne(ctx, s, event, now);
  let combined: Outcome | undefined;
  for (const step of line.slice(0, index + 1)) {
    const outcome = fireOne(ctx, combined?.session ?? s, step.id, now);
    if (!outcome) continue;
    combined = {
      session: outcome.session,
      posts: [...(combined?.posts ?? []), ...outcome.posts],
      timers: [...(combined?.timers ?? []), ...outcome.timers],
      finished: (combined?.finished ?? false) || outcome.finished,
    };
  }
  return combined;
}

function fireOne(ctx: RoundContext, s: Session, event: string, now: number): Outcome | undefined {
  if (s.status !== 'active' || s.fired.includes(event)) return undefined;
  if (event === 'end') return finish(ctx, s, now);
  if (event.startsWith('phase-')) {
    const target = event.slice('phase-'.length);
    return phaseIndex(ctx, target) > phaseIndex(ctx, s.phase)
      ? enterPhase(ctx, s, target, now)
      : undefined;
  }
  const probe = /^probe-(\d+)$/.exec(event);
  if (probe) {
    const entry = s.probes[Number(probe[1]) - 1];
    if (!entry) return undefined;
    return say(
      ctx,
      mark(s, event),
      event,
      ctx.rubric.probe.text.replaceAll('{technology}', entry.technology),
      now,
    );
  }
  const nudge = /^nudge-(\d+)$/.exec(event);
  if (nudge) {
    if (s.mode !== 'async' || s.replies !== Number(nudge[1])) return undefined;
    return say(ctx, mark(s, event), event, ctx.rubric.nudge.text, now);
  }
  const rubricEvent = ctx.rubric.events.find((e) => e.id === event);
  if (!rubricEvent || rubricEvent.phase !== s.phase) return undefined;
  if (rubricEvent.when === 'no_hypothesis' && s.hypothesisAt !== null) return undefined;
  return say(ctx, mark(s, event), event, fill(ctx, s, rubricEvent.text, now), now);
}

/** `next`: opens the next phase, or ends the round from the last one. */
export function advance(ctx: RoundContext, s: Session, now: number): Outcome | undefined {
  if (s.status !== 'active') return undefined;
  const next = ctx.rubric.phases[phaseIndex(ctx, s.phase) + 1];
  return next ? enterPhase(ctx, s, next.id, now) : finish(ctx, s, now);
}

/** Ends the round now (time is up, or the candidate ended it). */
export function finish(ctx: RoundContext, s: Session, now: number): Outcome | undefined {
  if (s.status !== 'active') return undefined;
  const at = roundSeconds(s, now);
  const session: Session = { ...s, status: 'scoring', endedAt: at, fired: [...s.fired, 'end'] };
  return {
    session,
    posts: [interviewer(ctx, session, 'end', ctx.rubric.closing, now, [])],
    timers: [timer(session, 'score', at)],
    finished: true,
  };
}

/** A candidate's message was stored: notes a hypothesis, and schedules a probe or a nudge. */
export function receive(ctx: RoundContext, s: Session, text: string, now: number): Outcome {
  const at = roundSeconds(s, now);
  const parts = sentences(text);
  let session: Session = {
    ...s,
    replies: s.replies + 1,
    hypothesisAt: s.hypothesisAt ?? (parts.some(statesHypothesis) ? at : null),
  };
  const timers: Timer[] = [];
  const technology = untiedTechnology(parts, text);
  const { probe } = ctx.rubric;
  const perMinute = secondsPerNominalMinute(ctx.rubric, s.minutes);
  const last = s.probes[s.probes.length - 1];
  if (
    technology &&
    s.probes.length < probe.maxPerRound &&
    (!last || at - last.at >= probe.minGapMinutes * perMinute)
  ) {
    const due = at + (probe.delaySeconds * perMinute) / 60;
    session = { ...session, probes: [...s.probes, { technology, at: due }] };
    timers.push(timer(session, `probe-${session.probes.length}`, due));
  }
  const nudge = nudgeTimer(ctx, session, at);
  if (nudge) timers.push(nudge);
  return { session, posts: [], timers, finished: false };
}

function untiedTechnology(parts: string[], whole: string): string | undefined {
  if (tiedToMeasurement(whole)) return undefined;
  for (const part of parts) {
    const [first] = technologiesIn(part);
    if (first) return first;
  }
  return undefined;
}

function enterPhase(ctx: RoundContext, s: Session, phase: string, now: number): Outcome {
  const at = roundSeconds(s, now);
  const session: Session = {
    ...mark(s, `phase-${phase}`),
    phase,
    phaseStarts: [...s.phaseStarts, { phase, at }],
  };
  const definition = ctx.rubric.phases[phaseIndex(ctx, phase)];
  const isLast = phaseIndex(ctx, phase) === ctx.rubric.phases.length - 1;
  const followUp = isLast ? ctx.prompt.probes[0] : undefined;
  const text = [definition?.opening ?? '', followUp].filter(Boolean).join('\n\n');
  return say(ctx, session, `phase-${phase}`, text, now);
}

function say(
  ctx: RoundContext,
  session: Session,
  event: string,
  text: string,
  now: number,
): Outcome {
  return {
    session,
    posts: [interviewer(ctx, session, event, text, now, CONTROLS)],
    timers: [],
    finished: false,
  };
}

function interviewer(
  ctx: RoundContext,
  s: Session,
  event: string,
  text: string,
  now: number,
  controls: readonly Control[],
): OutboundMessage {
  const minute = roundSeconds(s, now) / 60;
  return {
    kind: 'interviewer',
    event,
    text,
    phaseName: ctx.rubric.phases[phaseIndex(ctx, s.phase)]?.name ?? s.phase,
    minute,
    remainingMinutes: Math.max(0, s.minutes - minute),
    controls,
  };
}

function fill(ctx: RoundContext, s: Session, text: string, now: number): string {
  const remaining = Math.max(0, Math.round(s.minutes - roundSeconds(s, now) / 60));
  return text
    .replaceAll('{remaining} minutes', remaining === 1 ? '1 minute' : `${remaining} minutes`)
    .replaceAll('{pivot}', ctx.prompt.pivot)
    .replaceAll('{prompt}', ctx.prompt.prompt)
    .replaceAll('{remaining}', String(remaining));
}

function nudgeTimer(ctx: RoundContext, s: Session, at: number): Timer | undefined {
  if (s.mode !== 'async') return undefined;
  return timer(s, `nudge-${s.replies}`, at + ctx.rubric.nudge.afterFraction * s.minutes * 60);
}

function mark(s: Session, event: string): Session {
  return { ...s, fired: [...s.fired, event] };
}

function phaseIndex(ctx: RoundContext, phase: string): number {
  return ctx.rubric.phases.findIndex((p) => p.id === phase);
}

function timer(s: Session, event: string, at: number): Timer {
  return { id: timerId(s.id, event), sessionId: s.id, event, dueAt: wallTime(s, at) };
}
