// What the engine reads of a round before scoring any criterion: the round without its notes to
// the grader, its phases, the candidate's sentences, the framing window, the pivot and the answer
// to it, the rubric's cut-in, the technology probes and what is tied to the hypothesis.
import type { Rubric } from '../../../rubric/schema.js';
import { technologiesIn, tiedToMeasurement } from '../../analysis/technology.js';
import { secondsPerNominalMinute } from '../../round/timeline.js';
import type { Transcript } from '../../transcript.js';
import { phaseStarts, phaseTimes } from '../phase-times.js';
import { withoutNotes } from './grader-notes.js';
import { type ProbeAnswer, probeAnswers } from './probes.js';
import { pivotAnswer, type RoundReading } from './reader-features.js';
import { templatePattern } from './rubric-line.js';
import { candidateSentences, type Sentence } from './sentence.js';

/**
 * What the engine reads of a round before scoring it: its phases and the candidate's sentences,
 * with every note to the grader set aside whole (guide, section 1): the round is read without
 * them, so a note neither earns nor costs anything, and the card says it was there.
 */
export function readRound(rubric: Rubric, given: Transcript): RoundReading {
  const { transcript, notes } = withoutNotes(given);
  const phases = phaseTimes(rubric, transcript);
  const all = candidateSentences(transcript);
  const probes = probeAnswers(rubric, transcript, all);
  // A reply to a probe echoes the probe's words ("switch it off and the number wouldn't change"):
  // where a criterion ranks its quotes, it comes after what the candidate offered unprompted, and
  // what it denies is the probe's tie, not the pivot.
  const echoes = new Set(probes.flatMap((p) => p.reply));
  // A drill has one window, its own time: no framing window to close, no cut-in, no pivot.
  const drill = transcript.drill !== undefined;
  const pivotAt = drill ? undefined : pivotTime(rubric, transcript);
  return {
    transcript,
    notes,
    phases,
    all,
    substantive: all.filter((s) => s.substantive),
    // Where the sketch began or was planned to, even in a round ended before it.
    framingEnd: drill
      ? Number.POSITIVE_INFINITY
      : (phaseStarts(rubric, transcript)[1] ?? transcript.minutes * 60),
    pivotAt,
    pivot: pivotAnswer(all, pivotAt, echoes),
    cutIn: drill ? {} : cutInOf(rubric, transcript),
    probes,
    echoes,
    tied: tiedTechnologies(all, probes),
  };
}

/**
 * The technologies tied to the hypothesis or a measurement somewhere in the round: named in a
 * message that ties it, text to the grader aside, or probed and tied in the answer (guide, section
 * 4: "named early and tied later" is tied, "including in the answer to a probe"). The red flag,
 * the triad and the reader read ties the same way.
 */
function tiedTechnologies(all: readonly Sentence[], probes: readonly ProbeAnswer[]): Set<string> {
  return new Set([
    ...all.filter((s) => tiedToMeasurement(s.messageNorm)).flatMap((s) => technologiesIn(s.norm)),
    ...probes.filter((p) => p.ties).flatMap((p) => p.technologies),
  ]);
}

/**
 * The rubric's cut-in for a missing hypothesis in this round (round seconds): when it falls due (a
 * hypothesis first sized after it "arrives late in framing"), and, if the interviewer cut in, when
 * the candidate first answered it.
 */
function cutInOf(rubric: Rubric, transcript: Transcript): RoundReading['cutIn'] {
  const event = rubric.events.find((e) => e.when === 'no_hypothesis');
  if (!event) return {};
  const cue = templatePattern(event.text);
  const asked = transcript.messages.find((m) => m.role === 'interviewer' && cue.test(m.text));
  const answeredAt = asked
    ? transcript.messages.find((m) => m.role === 'candidate' && m.at >= asked.at)?.at
    : undefined;
  return {
    due: event.at * secondsPerNominalMinute(rubric, transcript.minutes),
    ...(answeredAt === undefined ? {} : { answeredAt }),
  };
}

/** When the interviewer's pivot came: the interviewer message nearest the rubric's pivot time. */
export function pivotTime(rubric: Rubric, transcript: Transcript): number | undefined {
  const event = rubric.events.find((e) => e.id === 'pivot');
  if (!event) return undefined;
  const perMinute = secondsPerNominalMinute(rubric, transcript.minutes);
  const due = event.at * perMinute;
  const window = 5 * perMinute;
  const candidates = transcript.messages.filter(
    (m) => m.role === 'interviewer' && Math.abs(m.at - due) <= window,
  );
  candidates.sort((a, b) => Math.abs(a.at - due) - Math.abs(b.at - due));
  return candidates[0]?.at;
}
