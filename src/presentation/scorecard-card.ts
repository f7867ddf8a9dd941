import type { Reference } from '../../rubric/schema.js';
import type { Drill } from '../round/drills.js';
import type { CriterionScore, Evidence, Scorecard } from '../scoring/scorecard.js';
import type { RoundMode } from '../session.js';
import { transcriptMode } from '../transcript.js';
import type { Block, Card, Inline, Line, Tone } from './card.js';
import { count, levelBar, roundLength, roundMoment, roundTime } from './format.js';

/** Score tones: good from 75, fair from 50, poor below. */
export function scoreTone(overall: number): Tone {
  if (overall >= 75) return 'good';
  if (overall >= 50) return 'fair';
  return 'poor';
}

/** The headline of a scorecard: `72/100 · Hire`. */
export function scoreLine(card: Scorecard): string {
  return `${card.overall}/100 · ${card.band}`;
}

/**
 * The scorecard as a card: overall and band, a section per criterion (level bar, rationale,
 * evidence quotes with their times and message references), red flags, phase discipline, the
 * Signal–Impact–Evidence triad, improvements (with the rewrite of one of the candidate's
 * sentences), warnings, what a strong answer to the prompt looked like, and which engine scored it.
 * An async round's times (`transcriptMode`), of its phases and of its quotes, read as durations; a
 * live round's, on its clock.
 */
export function scorecardCard(card: Scorecard): Card {
  const mode = transcriptMode(card);
  const blocks: Block[] = [
    {
      type: 'note',
      lines: [[{ strong: 'Prompt: ' }, card.prompt], [`Round of ${roundLength(card.minutes)}`]],
    },
    ...card.criteria.map((c) => criterionSection(c, mode)),
    flagsSection(card, mode),
    disciplineSection(card, mode),
    triadSection(card),
    improvementsSection(card),
  ];
  if (card.warnings && card.warnings.length > 0) {
    blocks.push({
      type: 'section',
      title: ['About this scoring'],
      lines: card.warnings.map((w) => [w]),
    });
  }
  if (card.reference) blocks.push(referenceSection(card.reference));
  return {
    kind: 'scorecard',
    tone: scoreTone(card.overall),
    summary: `Scorecard: ${scoreLine(card)} — ${card.prompt}`,
    title: `Scorecard — ${scoreLine(card)}`,
    blocks,
    footer: [`Scored by ${engineName(card)}`],
    controls: [],
  };
}

/**
 * A drill's card: its one criterion with level, rationale and the quotes that earned it, and the
 * improvements (for a hypothesis drill, the rewrite of the candidate's own sentence first). With
 * `kept` (a chat's drill, always kept) the footer says it is in the person's `history`.
 */
export function drillCard(card: Scorecard, drill: Drill, kept = false): Card {
  const criterion = card.criteria.find((c) => c.id === drill.criterion);
  const level = criterion?.level ?? 0;
  // Only the advice about the drill's criterion (a rewrite of the candidate's sentence first).
  const improvements = card.improvements
    .filter((i) => i.criterion === drill.criterion)
    .sort((a, b) => Number(Boolean(b.after)) - Number(Boolean(a.after)));
  const name = criterion?.name ?? drill.criterion;
  return {
    kind: 'scorecard',
    tone: level >= 3 ? 'good' : level === 2 ? 'fair' : 'poor',
    summary: `${drill.name}: ${level}/4 on ${name} — ${card.prompt}`,
    title: `${drill.name} — ${level}/4 · ${name}`,
    blocks: [
      { type: 'note', lines: [[{ strong: 'Prompt: ' }, card.prompt], [drill.task]] },
      // Its weight in a full round means nothing in a drill scored on it alone.
      // A drill runs for minutes, on the clock.
      ...(criterion ? [criterionSection(criterion, 'live', false)] : []),
      ...(improvements.length > 0 ? [improvementsSection({ ...card, improvements })] : []),
    ],
    footer: [`Scored by ${engineName(card)}${kept ? ' · kept in your `history`' : ''}`],
    controls: [],
  };
}

/** A quote of the candidate's, stamped with when in the round it was said. */
function quoted(e: Evidence, mode: RoundMode): Inline {
  return {
    quote: e.quote,
    at: roundTime(e.at, mode),
    ...(e.messageId === undefined ? {} : { messageId: e.messageId }),
  };
}

function criterionSection(c: CriterionScore, mode: RoundMode, weighted = true): Block {
  const title: Line = [
    `${levelBar(c.level)} ${c.level}/4 · `,
    { strong: c.name },
    `${weighted ? ` · ${c.weight}%` : ''}${c.lowConfidence ? ' · low confidence' : ''}`,
  ];
  return {
    type: 'section',
    title,
    lines: [[c.rationale], ...c.evidence.map((e) => [quoted(e, mode)])],
  };
}

function flagsSection(card: Scorecard, mode: RoundMode): Block {
  if (card.flags.length === 0) return { type: 'section', title: ['Red flags'], lines: [['None.']] };
  return {
    type: 'section',
    title: [`Red flags (${card.flags.length})`],
    lines: card.flags.map((f) => [
      '⚑ ',
      { strong: f.name },
      f.about ? ` (${f.about}) — ` : ' — ',
      quoted(f, mode),
    ]),
  };
}

function disciplineSection(card: Scorecard, mode: RoundMode): Block {
  const d = card.phaseDiscipline;
  const when =
    d.hypothesisAt === null
      ? 'never'
      : `${roundMoment(d.hypothesisAt, mode)} (${d.hypothesisInFraming ? 'in framing' : 'after framing'})`;
  // A round that stopped a minute or more before its planned end says so.
  const spent = d.phases.reduce((sum, p) => sum + p.seconds, 0);
  const early =
    spent > 0 && spent <= card.minutes * 60 - 60
      ? [
          [
            `Round ended ${roundMoment(spent, mode)} of the planned ${roundTime(card.minutes * 60, mode)}`,
          ],
        ]
      : [];
  return {
    type: 'section',
    title: ['Phase discipline'],
    lines: [
      [`Hypothesis first stated: ${when}`],
      ...early,
      ...d.phases.map((p) => [
        `• ${p.name}: ${roundTime(p.seconds, mode)} · ${count(p.words, 'word')}`,
      ]),
    ],
  };
}

function triadSection(card: Scorecard): Block {
  const { linked, total, choices } = card.triad;
  if (total === 0) {
    return {
      type: 'section',
      title: ['Signal–Impact–Evidence'],
      lines: [['No named technology to weigh against the hypothesis.']],
    };
  }
  return {
    type: 'section',
    title: ['Signal–Impact–Evidence'],
    lines: [
      [
        `${linked} of ${count(total, 'named technology', 'named technologies')} tied to the hypothesis and a measurement`,
      ],
      ...choices.map((c) => [`${c.linked ? '✓' : '✗'} ${c.choice} — `, { quote: c.quote }]),
    ],
  };
}

function improvementsSection(card: Scorecard): Block {
  if (card.improvements.length === 0) {
    return {
      type: 'section',
      title: ['Improvements'],
      lines: [['Nothing specific: keep doing what you did.']],
    };
  }
  return {
    type: 'section',
    title: ['Improvements'],
    lines: card.improvements.flatMap((imp, i): Line[] => [
      [`${i + 1}. ${imp.text}`],
      ...(imp.before && imp.after
        ? [
            ['    Instead of: ', { quote: imp.before }],
            ['    Try: ', { quote: imp.after }],
          ]
        : []),
    ]),
  };
}

/** What a strong answer to the prompt looked like: the card's last section. */
function referenceSection(reference: Reference): Block {
  return {
    type: 'section',
    title: ['What a strong answer looked like'],
    lines: [
      [{ strong: 'Hypothesis: ' }, reference.hypothesis],
      [{ strong: 'Experiment: ' }, reference.experiment],
      [{ strong: 'Scale: ' }, reference.scale],
      [{ strong: 'Threats to validity:' }],
      ...reference.threats.map((t): Line => [`• ${t}`]),
    ],
  };
}

/** Who scored the card, in words: the rule-based scorer, or the LLM judge and its model. */
function engineName(card: Scorecard): string {
  const { name, model, reason } = card.engine;
  const who =
    name === 'llm' ? 'the LLM judge' : name === 'heuristic' ? 'the rule-based scorer' : name;
  const base = model ? `${who} (${model})` : who;
  return reason ? `${base} — ${reason}` : base;
}
