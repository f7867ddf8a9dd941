// The hypothesis criterion as the rules read it: the best claim the candidate stated, when it was
// first stated, what it lacks (quantity, baseline, metric) and whether it came in time.
import { statesComparison } from '../../analysis/comparator.js';
import {
  continuesClaim,
  type HypothesisSignals,
  levelOf,
  statesBaseline,
  statesClaim,
  withContinuation,
} from '../../analysis/hypothesis.js';
import { hypothesisSignalsAt } from '../../analysis/reading.js';
import type { Scored } from './criterion-level.js';
import { claimSignalsAt, type FeatureName, type RoundReading } from './reader-features.js';
import { byMessage, type Sentence } from './sentence.js';

/**
 * The parts of a hypothesis, as a rationale says they are missing: "vs the baseline" names none
 * (guide 3.2), so the card asks for a named one, never for what the sentence says in words.
 */
const LACKING = {
  quantity: 'quantity',
  baseline: 'a named baseline',
  metric: 'metric',
} as const;

/** The reader's features whose point a hypothesis that came late makes (see `Cap`). */
const LATE: readonly FeatureName[] = ['hyp_time_frac', 'hyp_in_framing'];

/** How many messages on a claim's sizing may come (see `scoreHypothesis`). */
const CONTINUATION_REACH = 2;

/** The sentences of one message a claim's quote runs over: from `from` through `through`. */
interface ClaimSpan {
  readonly from: Sentence;
  readonly through: Sentence;
}

/**
 * The shortest run of sentences of the passage opening at sentence `i` of `message` that reads at
 * `level` as a claim: a lead-in ("I'll start with what I think is going on.") or a head ("Bet:
 * ...", "Hypothesis:") stands before the sentences that carry the numbers, and the card quotes
 * those, not the lead-in alone.
 */
function claimSpan(
  round: RoundReading,
  message: readonly Sentence[],
  i: number,
  level: number,
): ClaimSpan {
  const at = message[i] as Sentence;
  const reaches = (from: number, through: number) => {
    const signals = claimSignalsAt(round, message.slice(0, through + 1), from);
    return signals !== undefined && levelOf(signals) >= level;
  };
  for (let through = i; through < message.length; through++) {
    if (!reaches(i, through)) continue;
    let from = through;
    while (from > i && !reaches(from, through)) from--;
    // A claim compared only by how its effect is put ("from ~20% to ~15%") takes in the line
    // right after it that names what it is compared with ("vs the unfiltered baseline").
    const next = message[through + 1];
    const named = message.slice(from, through + 1).some((s) => statesComparison(s.own));
    const end = next && !named && statesComparison(next.own) ? next : message[through];
    return { from: message[from] as Sentence, through: end as Sentence };
  }
  return { from: at, through: at };
}

/** The hypothesis criterion as the rules read it, and when the claim was first stated (`at`). */
export function scoreHypothesis(round: RoundReading): Scored & { at: number | null } {
  const { substantive: list, framingEnd } = round;
  const lateInFraming = round.cutIn.due;
  let best:
    | {
        level: number;
        sentence: Sentence;
        signals: HypothesisSignals;
        /** The continuation's sentence that sized it, when that raised its level. */
        sizedBy?: Sentence;
        /** The sentences of its message that carry what its passage earned (see `claimSpan`). */
        span: ClaimSpan;
      }
    | undefined;
  // Where the claim was first stated ("Hypothesis first stated"; the live round's reading).
  let first: typeof best;
  const messages = byMessage(list);
  for (const [m, message] of messages.entries()) {
    // The next message, or the one after it (a terse "Belief: ..." line, a "Why: ..." line, then
    // "Sized: ..."), when it opens by sizing this one's claim ("Numbers: ...").
    const next = messages
      .slice(m + 1, m + 1 + CONTINUATION_REACH)
      .find((n) => n[0] && continuesClaim(n[0].norm));
    const continuation = next ? hypothesisSignalsAt(next, 0) : undefined;
    // Sized in the framing window, a claim is stated there with its size (what the live round's
    // cut-in reads too); sized only later, it was stated as it stood.
    const sizedInTime = next?.[0] !== undefined && next[0].at < framingEnd;
    for (const [i, s] of message.entries()) {
      const own = claimSignalsAt(round, message, i);
      if (!own) continue;
      const signals = withContinuation(own, continuation);
      const level = levelOf(signals);
      // When it was first stated is the live round's reading (before any cut-in), so the cut-in
      // and the card agree; both read it with the interviewer's quantities masked.
      const isFirst = !first && statesClaim(sizedInTime ? signals : own);
      const isBest = !best || level > best.level;
      if (!isFirst && !isBest) continue;
      const span = claimSpan(round, message, i, levelOf(own));
      if (isFirst) first = { level, sentence: s, signals, span };
      if (isBest) {
        const sizedBy = next?.[0] && level > levelOf(own) ? next[0] : undefined;
        best = { level, sentence: s, signals, span, ...(sizedBy ? { sizedBy } : {}) };
      }
    }
  }
  if (!best || best.level === 0) {
    return {
      counted: 0,
      caps: [[0, '']],
      found: 'No hypothesis was stated',
      evidence: [],
      missing: ['a hypothesis'],
      at: null,
    };
  }
  // The rubric puts a hypothesis that only arrives after the framing window at level 1. One only
  // ever asked is never stated, but it was asked in time or not (guide 3.1: a question naming a
  // metric is level 2).
  const firstAt = first?.sentence.at ?? null;
  const arrived = firstAt ?? (best.signals.question ? best.sentence.at : null);
  const neverStated = arrived === null;
  const late = neverStated || arrived >= framingEnd;
  // A sized claim whose baseline is stated on its own in the framing window ("Baseline: ...") has
  // its baseline: the hypothesis is the framing as a whole, not one message of it.
  const baselineSentence =
    !late && best.level === 3 && !best.signals.baseline && best.signals.claim
      ? list.find((s) => s.at < framingEnd && s !== best?.sentence && statesBaseline(s.norm))
      : undefined;
  if (baselineSentence && best.signals.quantity && best.signals.direction && best.signals.metric) {
    best = { ...best, level: 4, signals: { ...best.signals, baseline: true } };
  }
  // Sized only after the interviewer had to ask for it ("arrives late in framing"): level 3. Why,
  // in words: completed only after the framing window, or the interviewer did ask, or the cut-in
  // was due but the round never needed it (the claim stated in time, its size later).
  const askedFor = !late && lateInFraming !== undefined && best.sentence.at >= lateInFraming;
  // Completed only after the framing window: the card describes, quotes and rewrites the claim
  // where the framing first stated it ("Hypothesis first stated"), and says what came later.
  const completedLater = !late && best.sentence.at >= framingEnd ? first : undefined;
  const shown = completedLater ?? best;
  const missing = (['quantity', 'baseline', 'metric'] as const).filter((k) => !shown.signals[k]);
  // Only the claim asked for says it came late; the others say its size did.
  // What came later is what the later statement added, not every part the first one lacked.
  const addedLater = missing.filter((k) => best?.signals[k]);
  const sizedLate: { why: string; fix: string; says: readonly FeatureName[] } = completedLater
    ? {
        why: `${addedLater.length ? `its ${addedLater.join(', ')}` : 'its size'} came only after the framing window`,
        fix: 'timing: complete it in the framing window',
        says: [],
      }
    : round.cutIn.answeredAt !== undefined
      ? {
          why: 'it came late in framing, once the interviewer asked for it',
          fix: 'timing: state it before the interviewer has to ask',
          says: LATE,
        }
      : {
          why: 'it was sized only late in framing',
          fix: 'timing: size it early in framing',
          says: [],
        };
  // Said of the passage shown; the level never goes above what it shows.
  const askedOnly = firstAt === null && shown.signals.question;
  // A drill has no framing window: what is said in it is said in time.
  const drill = round.transcript.drill !== undefined;
  const when =
    late || askedFor || drill ? '' : `, ${askedOnly ? 'asked' : 'stated'} in the framing window`;
  const found =
    shown.level === 4
      ? `A quantitative, falsifiable hypothesis with metric and baseline${when}`
      : `Hypothesis ${firstAt === null ? (askedOnly ? 'is only ever asked, never stated as what you expect' : 'stays vague') : missing.includes('metric') ? 'is stated but not yet testable' : 'is testable'}${when}`;
  return {
    counted: best.level,
    // The reader reads the framing as a whole (a baseline or a size given a message away): it may
    // credit one level above what the best statement shows, never less than it where the claim is
    // sized (as the card shows it, or where it was completed) or only asked (a complete hypothesis
    // is not marked down for the rest of the answer).
    // An unsized claim it may read one level lower: what the rules take for its metric may be a
    // word like "quality" or "accuracy of the measure", which the guide does not count.
    floor:
      best.signals.quantity || shown.signals.quantity || best.signals.question
        ? best.level
        : best.level - 1,
    caps: [
      [best.level + 1, ''],
      [
        late ? 1 : 4,
        neverStated
          ? 'it was never stated as a testable claim'
          : 'it came after the framing window',
        LATE,
      ],
      [askedFor ? 3 : 4, sizedLate.why, sizedLate.says],
    ],
    found,
    ...(shown.level < 4 && missing.length
      ? {
          lacking: `missing ${missing.map((k) => LACKING[k]).join(', ')}`,
          lackingSays: [
            'hyp_best_level',
            ...(missing.includes('quantity') ? (['quantified_sentences'] as const) : []),
          ],
        }
      : {}),
    // Sized only after the framing window, the claim as the framing stated it comes first: it is
    // the hypothesis the card talks about (and rewrites), the later sentence what sized it.
    // A claim sized in the message after it ("Concretely: ...") is quoted with that sentence, which
    // carries the numbers that earned its level.
    // Each claim is quoted from where it opens to the sentence that carries its numbers.
    evidence: [
      ...new Set([
        ...(completedLater ? [completedLater.span.from] : []),
        best.span.from,
        ...(best.sizedBy ? [best.sizedBy] : []),
        ...(baselineSentence ? [baselineSentence] : []),
      ]),
    ],
    through: new Map(
      [completedLater?.span, best.span].flatMap((span) =>
        span && span.through !== span.from ? [[span.from, span.through] as const] : [],
      ),
    ),
    missing: [
      ...(askedOnly ? ['a statement of what you expect, not a question'] : []),
      ...missing,
      ...(late
        ? [
            neverStated
              ? `a claim of what you expect, sized${drill ? '' : ', in the framing window'}`
              : 'timing: state it in the framing window',
          ]
        : []),
      ...(askedFor ? [sizedLate.fix] : []),
    ],
    at: firstAt,
  };
}
