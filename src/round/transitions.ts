import { type Prompt, probeText, type Rubric } from '../../rubric/schema.js';
import { givenQuantities } from '../analysis/given-quantities.js';
import { normaliseTypos } from '../analysis/normalise.js';
import { type ReadSentence, readSentences, statesHypothesis } from '../analysis/reading.js';
import { technologiesPutForward, tiedToMeasurement } from '../analysis/technology.js';
import type { LineKind, OutboundMessage } from '../messages.js';
import { type Timer, type TimerRef, timerFor, timerRef } from '../ports/scheduler.js';
import { duration, span } from '../presentation/format.js';
import { answersStanding, roundSeconds, type Session, wallTime } from '../session.js';
import { DRILL_CLOSING, DRILLS } from './drills.js';
import { eventKey, type RoundEvent, roundMs } from './events.js';
import { afterQuietHours } from './quiet-hours.js';
import { roundTimeline, secondsPerNominalMinute } from './timeline.js';

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
  /**
   * Pending timers this makes pointless, to cancel once it is stored: the nudge an async round's
   * candidate's previous move left, which a move of theirs replaces.
   */
  readonly superseded?: readonly TimerRef[];
}

/**
 * How a round ended: its time ran out, the candidate ended it early, or the candidate's prepared
 * answer (piped into the terminal) has all been given.
 */
export type Ending = 'time' | 'early' | 'prepared';

/** The timers of a newly started round: every timeline event, plus the first nudge of an async round. */
export function initialTimers(ctx: RoundContext, session: Session): Timer[] {
  const timers = roundTimeline(ctx.rubric, session).map((e) => timer(session, e.event, e.at));
  const nudge = nudgeTimer(ctx, session, 0);
  return nudge ? [...timers, nudge] : timers;
}

/**
 * The timers a round may still have pending: its timeline, probes and nudges that have not fired
 * yet, and its scoring.
 */
export function pendingTimers(rubric: Rubric, s: Session): TimerRef[] {
  const events: RoundEvent[] = [
    ...roundTimeline(rubric, s).map((e) => e.event),
    ...s.probes.map((p, i) => ({ kind: 'probe' as const, n: i + 1, at: p.at })),
    ...(s.mode === 'async' ? pendingNudges(s) : []),
    { kind: 'score' },
  ];
  return events
    .filter((event) => !s.fired.includes(eventKey(event)))
    .map((event) => timerRef(s.id, event));
}

/**
 * The nudges an async round may still have pending: each move's by the id timers had before they
 * named the move they wait from, the last move's by the id that names it, and the start's (a move
 * cancels the one before it, which moves made before that did not). The timer of a try whose
 * reply failed to store is not known: once the round is over it finds nothing to do when it fires.
 */
function pendingNudges(s: Session): RoundEvent[] {
  const unnamed = Array.from({ length: moves(s) + 1 }, (_, k) => ({
    kind: 'nudge' as const,
    n: k,
  }));
  const start: RoundEvent = { kind: 'nudge', n: 0, at: 0 };
  const last = lastMoveNudge(s);
  return [...unnamed, start, ...(last && moves(s) > 0 ? [last] : [])];
}

/**
 * The nudge an async round's candidate's last move (or the start, before any) scheduled;
 * undefined for a round that does not record when that move came.
 */
function lastMoveNudge(s: Session): RoundEvent | undefined {
  const since = quietSince(s);
  if (s.mode !== 'async' || since === undefined) return undefined;
  return { kind: 'nudge', n: moves(s), at: since };
}

/** What a move of an async round's candidate brings: its own nudge, in place of the last move's. */
function withNudge(ctx: RoundContext, before: Session, outcome: Outcome, at: number): Outcome {
  const nudge = nudgeTimer(ctx, outcome.session, at);
  if (!nudge) return outcome;
  // Never the same timer: the new nudge counts one move more.
  const last = lastMoveNudge(before);
  return {
    ...outcome,
    timers: [...outcome.timers, nudge],
    ...(last ? { superseded: [timerRef(before.id, last)] } : {}),
  };
}

/**
 * A timer fired: applies the event if it still applies, otherwise returns undefined. A timeline
 * event first applies every earlier timeline event that has not fired yet, so events come out in
 * order even when concurrent workers pick up their jobs out of order.
 */
export function fire(
  ctx: RoundContext,
  s: Session,
  event: RoundEvent,
  now: number,
): Outcome | undefined {
  const line = roundTimeline(ctx.rubric, s);
  const key = eventKey(event);
  const index = line.findIndex((e) => eventKey(e.event) === key);
  if (index < 0) return fireOne(ctx, s, event, now);
  let combined: Outcome | undefined;
  for (const step of line.slice(0, index + 1)) {
    const outcome = fireOne(ctx, combined?.session ?? s, step.event, now);
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

function fireOne(
  ctx: RoundContext,
  s: Session,
  event: RoundEvent,
  now: number,
): Outcome | undefined {
  const key = eventKey(event);
  if (s.status !== 'active' || s.fired.includes(key)) return undefined;
  switch (event.kind) {
    case 'end':
      return finish(ctx, s, now, 'time');
    case 'phase':
      return phaseIndex(ctx, event.phase) > phaseIndex(ctx, s.phase)
        ? enterPhase(ctx, s, event.phase, now)
        : undefined;
    case 'probe': {
      const entry = s.probes[event.n - 1];
      if (!entry || entry.withdrawn) return undefined;
      if (event.at !== undefined && roundMs(event.at) !== roundMs(entry.at)) {
        return undefined;
      }
      const text = probeText(ctx.rubric, entry.technology);
      return say(ctx, mark(s, key), key, 'probe', text, now);
    }
    case 'nudge': {
      if (s.mode !== 'async' || moves(s) !== event.n) return undefined;
      // A timer of a reply that failed to store waits from another time than the resend stored.
      const since = quietSince(s);
      if (event.at !== undefined && since !== undefined && roundMs(event.at) !== roundMs(since)) {
        return undefined;
      }
      // In the last phase `next` ends the round: the nudge there says so.
      const last = phaseIndex(ctx, s.phase) === ctx.rubric.phases.length - 1;
      const text = (last ? ctx.rubric.nudge.lastPhase : undefined) ?? ctx.rubric.nudge.text;
      return say(ctx, mark(s, key), key, 'nudge', fill(ctx, s, text, now), now);
    }
    case 'cue': {
      const cue = ctx.rubric.events.find((e) => e.id === event.id);
      if (!cue || cue.phase !== s.phase) return undefined;
      if (cue.when === 'no_hypothesis' && s.hypothesisAt !== null) return undefined;
      return say(ctx, mark(s, key), key, 'cue', fill(ctx, s, cue.text, now), now);
    }
    case 'score':
      return undefined;
  }
}

/**
 * The candidate's `next`: opens the next phase, or ends the round from the last one. Moving on is
 * activity: an async round's quiet clock starts again, so its nudge waits from now.
 */
export function advance(ctx: RoundContext, s: Session, now: number): Outcome | undefined {
  if (s.status !== 'active') return undefined;
  // A drill has one phase: moving on ends it.
  if (s.drill) return finish(ctx, s, now, 'early');
  const next = ctx.rubric.phases[phaseIndex(ctx, s.phase) + 1];
  if (!next) return finish(ctx, s, now, 'early');
  const at = roundSeconds(s, now);
  const moved: Session = { ...s, movedOn: (s.movedOn ?? 0) + 1, lastMoveAt: at };
  return withNudge(ctx, s, enterPhase(ctx, moved, next.id, now), at);
}

/**
 * Whether a press of a Next phase button (`button`; undefined when `next` was typed) would move
 * the round on from somewhere it no longer is, and so must move nothing: the button was posted in
 * a phase the round has left (pressed twice, or an older line's), or it was posted before buttons
 * named their phase and the round is in its last phase, where moving on would end it unasked
 * (End round asks first).
 */
export function stalePress(
  ctx: RoundContext,
  s: Session,
  button: { readonly phase?: string } | undefined,
): boolean {
  if (!button || s.status !== 'active' || s.drill) return false;
  if (button.phase !== undefined) return button.phase !== s.phase;
  return phaseIndex(ctx, s.phase) === ctx.rubric.phases.length - 1;
}

/**
 * Ends the round now: its time is up, or the candidate ended it. The closing line fits how it
 * ended: time up (or a prepared answer given whole), ended early, or with nothing said at all.
 */
export function finish(
  ctx: RoundContext,
  s: Session,
  now: number,
  ending: Ending,
): Outcome | undefined {
  if (s.status !== 'active') return undefined;
  // A round ended late (its end found by the sweeper) still lasted its own length.
  const at = Math.min(roundSeconds(s, now), s.minutes * 60);
  // A prepared answer comes in all at once, so the round's clock says nothing of how it was
  // paced: it is scored (now) as a round that ran its length, with no early end held against it.
  const endedAt = ending === 'prepared' ? s.minutes * 60 : at;
  const session: Session = { ...s, status: 'scoring', endedAt, fired: [...s.fired, 'end'] };
  const closing = s.drill ? DRILL_CLOSING : ctx.rubric.closing;
  const text =
    answersStanding(s) === 0 ? closing.silent : ending === 'early' ? closing.early : closing.time;
  // A prepared answer's closing line is spoken at the round's end, as its banner then shows.
  const said = ending === 'prepared' ? wallTime(s, endedAt) : now;
  return {
    session,
    posts: [interviewer(ctx, session, 'end', 'closing', fill(ctx, session, text, said), said, [])],
    timers: [timer(session, { kind: 'score' }, at)],
    finished: true,
  };
}

/**
 * A candidate's message `from` was stored: notes a hypothesis (read as the scorecard reads it,
 * the prompt's quantities masked), and schedules a probe or a nudge.
 */
export function receive(
  ctx: RoundContext,
  s: Session,
  text: string,
  now: number,
  from?: string,
): Outcome {
  const at = roundSeconds(s, now);
  const parts = readSentences(text, promptQuantities(ctx.prompt));
  let session: Session = {
    ...s,
    replies: s.replies + 1,
    lastMoveAt: at,
    hypothesisAt: s.hypothesisAt ?? (statesHypothesis(parts) ? at : null),
  };
  const timers: Timer[] = [];
  const asked = s.probes.filter((p) => !p.withdrawn);
  const probed = new Set(asked.map((p) => p.technology));
  const technology = untiedTechnology(parts, normaliseTypos(text), probed);
  const { probe } = ctx.rubric;
  const perMinute = secondsPerNominalMinute(ctx.rubric, s.minutes);
  const last = asked[asked.length - 1];
  if (
    technology &&
    !s.drill &&
    asked.length < probe.maxPerRound &&
    (!last || at - last.at >= probe.minGapMinutes * perMinute)
  ) {
    const due = at + (probe.delaySeconds * perMinute) / 60;
    const entry = from === undefined ? { technology, at: due } : { technology, at: due, from };
    session = { ...session, probes: [...s.probes, entry] };
    timers.push(timer(session, { kind: 'probe', n: session.probes.length, at: due }, due));
  }
  return withNudge(ctx, s, { session, posts: [], timers, finished: false }, at);
}

const quantitiesOf = new WeakMap<Prompt, ReadonlySet<string>>();

/**
 * The quantities the interviewer gives in a round of `prompt` (its question, context, pivot and
 * deep-dive questions), as the scorecard masks the interviewer's lines: a claim sized only by them
 * states no hypothesis of the candidate's, so the 12:00 cut-in still comes.
 */
function promptQuantities(prompt: Prompt): ReadonlySet<string> {
  let given = quantitiesOf.get(prompt);
  if (!given) {
    given = givenQuantities([prompt.prompt, prompt.context, prompt.pivot, ...prompt.probes]);
    quantitiesOf.set(prompt, given);
  }
  return given;
}

/**
 * The first technology named in a sentence that ties nothing to a hypothesis or a measurement,
 * and that no probe has asked about yet: each technology is probed at most once per round.
 */
function untiedTechnology(
  parts: readonly ReadSentence[],
  message: string,
  probed: ReadonlySet<string>,
): string | undefined {
  // As the scorecard's flag reads it: a message that ties anything to a measurement is tied.
  if (tiedToMeasurement(message)) return undefined;
  for (const part of parts) {
    if (!part.substantive) continue;
    const fresh = technologiesPutForward(part.norm).find((t) => !probed.has(t));
    if (fresh) return fresh;
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
  return say(ctx, session, `phase-${phase}`, 'phase', fill(ctx, session, text, now), now);
}

function say(
  ctx: RoundContext,
  session: Session,
  event: string,
  line: LineKind,
  text: string,
  now: number,
): Outcome {
  return {
    session,
    posts: [interviewer(ctx, session, event, line, text, now, session.candidates)],
    timers: [],
    finished: false,
  };
}

function interviewer(
  ctx: RoundContext,
  s: Session,
  event: string,
  line: LineKind,
  text: string,
  now: number,
  controlsFor: readonly string[],
): OutboundMessage {
  const minute = roundSeconds(s, now) / 60;
  const last = !s.drill && phaseIndex(ctx, s.phase) === ctx.rubric.phases.length - 1;
  return {
    kind: 'interviewer',
    event,
    line,
    text,
    // A drill has no phases to speak of: its lines are the drill's.
    phaseName: s.drill
      ? DRILLS[s.drill].name
      : (ctx.rubric.phases[phaseIndex(ctx, s.phase)]?.name ?? s.phase),
    phase: s.phase,
    minute,
    remainingMinutes: Math.max(0, s.minutes - minute),
    controlsFor,
    ...(last ? { lastPhase: true as const } : {}),
    ...(s.mode === 'async' ? { async: true as const } : {}),
  };
}

/**
 * Fills a rubric text's placeholders: `{elapsed}` and `{remaining}` as spans that match the
 * round's real clock ("12 minutes", "33 seconds"; in an async round as its banners give them,
 * "19 h 12 min"), `{pivot}` and `{prompt}` from the prompt.
 */
export function fill(ctx: RoundContext, s: Session, text: string, now: number): string {
  const elapsed = Math.min(roundSeconds(s, now), s.minutes * 60);
  const remaining = Math.max(0, s.minutes * 60 - elapsed);
  const said = s.mode === 'async' ? duration : span;
  return text
    .replaceAll('{remaining} minutes', said(remaining))
    .replaceAll('{remaining}', said(remaining))
    .replaceAll('{elapsed}', said(elapsed))
    .replaceAll('{pivot}', ctx.prompt.pivot)
    .replaceAll('{prompt}', ctx.prompt.prompt);
}

/**
 * The nudge of an async round quiet since round second `at`, when the candidate last moved. Its
 * timer id counts their moves so far and names `at`, so each move, and each try at one, schedules
 * a timer of its own (the scheduler ignores an id it has) and leaves the one before it nothing to
 * do. Where the round knows the candidate's time zone, a nudge due in their night comes when it
 * ends; one whose morning would come only once the round is over is left out (undefined): the
 * closing line reaches them then anyway.
 */
function nudgeTimer(ctx: RoundContext, s: Session, at: number): Timer | undefined {
  if (s.mode !== 'async') return undefined;
  const event = { kind: 'nudge', n: moves(s), at } as const;
  const due = wallTime(s, at + ctx.rubric.nudge.afterFraction * s.minutes * 60);
  if (s.timeZone === undefined) return timerFor(s.id, event, due);
  const morning = afterQuietHours(due, s.timeZone, ctx.rubric.nudge.quietHours);
  if (morning > due && morning >= wallTime(s, s.minutes * 60)) return undefined;
  return timerFor(s.id, event, morning);
}

/**
 * What the candidate has done that keeps an async round from being quiet: replies stored, and
 * phases opened with `next`. Before `next` counted it was the replies alone, which is what a
 * round that has counted no `next` still gives, so nudge timers scheduled then still apply.
 */
function moves(s: Session): number {
  return s.replies + (s.movedOn ?? 0);
}

/**
 * The round second since which the candidate has not moved: their last move, or the start before
 * any. Undefined for a round whose last move came before rounds kept when moves came.
 */
function quietSince(s: Session): number | undefined {
  return s.lastMoveAt ?? (moves(s) === 0 ? 0 : undefined);
}

function mark(s: Session, event: string): Session {
  return { ...s, fired: [...s.fired, event] };
}

function phaseIndex(ctx: RoundContext, phase: string): number {
  return ctx.rubric.phases.findIndex((p) => p.id === phase);
}

function timer(s: Session, event: RoundEvent, at: number): Timer {
  return timerFor(s.id, event, wallTime(s, at));
}

/**
 * A running round whose candidate deleted their answer `from`: it no longer counts as said, and a
 * probe it brought that has not been asked is withdrawn (undefined once the round is over).
 */
export function withdrawAnswer(s: Session, from: string): Session | undefined {
  if (s.status !== 'active') return undefined;
  const counted: Session = { ...s, withdrawn: (s.withdrawn ?? 0) + 1 };
  return withdrawProbe(counted, from) ?? counted;
}

/** The timers of the probes `before` had pending that `after` withdrew. */
export function withdrawnProbes(before: Session, after: Session): TimerRef[] {
  return after.probes.flatMap((p, i) =>
    p.withdrawn && !before.probes[i]?.withdrawn
      ? [timerRef(after.id, { kind: 'probe', n: i + 1, at: p.at })]
      : [],
  );
}

/**
 * A round whose candidate deleted the message `from`: a probe it brought that has not been asked
 * is withdrawn (undefined when there is none).
 */
function withdrawProbe(s: Session, from: string): Session | undefined {
  const n = s.probes.findIndex((p) => p.from === from && !p.withdrawn);
  if (n < 0 || s.status !== 'active' || s.fired.includes(eventKey({ kind: 'probe', n: n + 1 }))) {
    return undefined;
  }
  return { ...s, probes: s.probes.map((p, i) => (i === n ? { ...p, withdrawn: true } : p)) };
}
