// The communication criterion: signposting, concision, direct answers and curiosity at the pivot,
// bounded by how much substance there was to carry, rambling and defensiveness.
import { words } from '../../analysis/sentences.js';
import type { Transcript } from '../../transcript.js';
import type { Scored } from './criterion-level.js';
import { ALL_KINDS, CURIOUS, PIVOT_ANSWER_S, STRUCTURE, shows } from './evidence-kinds.js';
import { carries } from './reader-features.js';
import { grounded, type Sentence } from './sentence.js';

/**
 * Concise means at most this many words said for each sentence that carries something (a number,
 * a technology, an evidence kind): filler around a little content is not concise, however short
 * its sentences.
 */
const WORDS_PER_POINT = 40;

/** Communication as the rules read it: a point each for signposting, concision, answers, curiosity. */
export function scoreCommunication(
  transcript: Transcript,
  list: readonly Sentence[],
  defensive: boolean,
  pivotAt: number | undefined,
  sceptical: boolean,
): Scored {
  const candidate = transcript.messages.filter((m) => m.role === 'candidate');
  if (candidate.length === 0 || list.length === 0) {
    return {
      counted: 0,
      caps: [[0, '']],
      found: 'Nothing substantive was said',
      evidence: [],
      missing: [],
    };
  }
  const notes: string[] = [];
  const missing: string[] = [];
  const evidence: Sentence[] = [];
  let points = 0;
  const structured = list.find((s) => STRUCTURE.test(s.norm));
  if (structured) {
    points++;
    notes.push('signposted');
    evidence.push(structured);
  } else missing.push('signposting');
  const lengths = list.map((s) => words(s.text).length).sort((a, b) => a - b);
  const median = lengths[Math.floor(lengths.length / 2)] ?? 0;
  const said = candidate.reduce((n, m) => n + words(m.text).length, 0);
  const perMessage = said / candidate.length;
  const perPoint = said / Math.max(1, list.filter(carries).length);
  if (median <= 35 && perMessage <= 140 && perPoint <= WORDS_PER_POINT) {
    points++;
    notes.push('concise');
  } else {
    notes.push('long-winded');
    missing.push('concision');
  }
  const questions = transcript.messages.filter(
    (m) => m.role === 'interviewer' && m.at > 0 && m.text.includes('?'),
  );
  const answered = questions.filter((q) =>
    candidate.some((m) => m.at >= q.at && m.at - q.at <= 300),
  );
  if (questions.length === 0 || answered.length / questions.length >= 0.6) {
    points++;
    notes.push('answers questions');
  } else missing.push("direct answers to the interviewer's questions");
  // Curiosity counts where it is asked for: in answer to the pivot ("interesting" elsewhere is
  // often filler). A round without a pivot takes it anywhere.
  // Meeting it openly is also taking it up: two or more sentences of substance in answer.
  const answer = list.filter(
    (s) => pivotAt === undefined || (s.at >= pivotAt && s.at <= pivotAt + PIVOT_ANSWER_S),
  );
  const takenUp = answer.filter((s) => ALL_KINDS.some((k) => shows(k, s.norm)));
  const curious =
    answer.find((s) => CURIOUS.test(s.norm)) ??
    (pivotAt !== undefined && takenUp.length >= 2 ? takenUp[0] : undefined);
  const meetsChanges = curious !== undefined && !defensive;
  if (meetsChanges) {
    points++;
    notes.push('meets changes with curiosity');
    evidence.push(curious);
  } else missing.push('curiosity at the pivot');
  const substance = new Set(
    ALL_KINDS.filter((k) => list.some((s) => shows(k, s.norm) && (!sceptical || grounded(s)))).map(
      (k) => k.id,
    ),
  ).size;
  // Clear communication carries content: the level cannot exceed what the substance supports.
  const supported = substance < 3 ? 1 : substance < 8 ? 2 : substance < 12 ? 3 : 4;
  // Rambling (guide 3.5, level 1): long-winded with no signposting to follow it by.
  const rambling = !structured && notes.includes('long-winded');
  return {
    counted: points,
    caps: [
      [supported, 'little substance to carry'],
      [rambling ? 1 : 4, 'long-winded with no signposting'],
      [defensive ? 2 : 4, 'defensive at the pivot'],
    ],
    found: notes.join(', ').replace(/^./, (c) => c.toUpperCase()),
    ...(meetsChanges ? { foundSays: ['pivot_explores'] as const } : {}),
    evidence: [...evidence, ...list],
    missing,
  };
}
