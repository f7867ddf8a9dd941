import type { Rubric } from '../../../rubric/schema.js';
import { notEnglish } from '../../analysis/language.js';
import { technologiesIn } from '../../analysis/technology.js';
import type { Scorer } from '../../ports/scorer.js';
import { DRILLS } from '../../round/drills.js';
import { type Transcript, transcriptMode } from '../../transcript.js';
import {
  bandFor,
  type CriterionScore,
  type FlagHit,
  overallScore,
  type Scorecard,
} from '../scorecard.js';
import { scoreCommunication } from './communication-criterion.js';
import { decide, type Scored } from './criterion-level.js';
import { triadOf } from './design-choices.js';
import { ALL_KINDS, EXPERIMENT_KINDS, RISK_KINDS, shows } from './evidence-kinds.js';
import { setAside } from './grader-notes.js';
import { scoreHypothesis } from './hypothesis-criterion.js';
import { improvementsFor } from './improvements.js';
import { byKeywords } from './keyword-criterion.js';
import { byKinds, readElsewhere } from './kinds-criteria.js';
import { type UntiedAnswer, untiedAnswers } from './probes.js';
import { pickQuotes, QuotedOnCard } from './quotes.js';
import { READER, type ReaderModel, readLevel } from './reader.js';
import { type FeatureName, type RoundReading, readerFeatures } from './reader-features.js';
import { detectFlags } from './red-flags.js';
import { readRound } from './round-reading.js';
import { scoreScalability } from './scalability-criterion.js';
import { grounded } from './sentence.js';
import { TIE_MODEL, type TieModel } from './tie-decider.js';

/**
 * The share of sentences naming an evidence kind that connect it to a number or a decision, below
 * which the answer is read strictly: a kind named with nothing attached earns nothing. Chosen on
 * the development part (0.1, 0.15 and 0.2 tried; 0.1 best on each half of it).
 */
const SCEPTICAL_BELOW = 0.1;

/** The deterministic, offline engine: explainable features tied to the rubric's level descriptors. */
export class HeuristicScorer implements Scorer {
  readonly name = 'heuristic';

  constructor(private readonly rubric: Rubric) {}

  async score(transcript: Transcript): Promise<Scorecard> {
    return scoreHeuristically(this.rubric, transcript);
  }
}

/**
 * Scores a round. Each criterion's level is the reader's (see `reader.ts`: how much of substance
 * was said, weighed as the labelled corpus weighs it) within the bounds the guide's rules set (no
 * hypothesis for the design to test, nothing sized, nothing compared, rambling, ...); without a
 * reader for a criterion (or with `reader` null), the rules' own count. The rationale names what
 * was found, what bound the level and what weighed most, from the same reading as the level.
 */
export function scoreHeuristically(
  rubric: Rubric,
  transcript: Transcript,
  reader: ReaderModel | null = READER,
  /** The technology flag's decider (`tie-decider.ts`); null for the rules' own reading. */
  tie: TieModel | null = TIE_MODEL,
): Scorecard {
  const round = readRound(rubric, transcript);
  const { transcript: said, notes, phases, framingEnd, substantive, pivotAt } = round;
  // Guide, section 2: rubric words never connected to a number or a decision earn nothing. Read
  // strictly where the answer as a whole connects almost none of them (keyword stuffing).
  const kindSentences = substantive.filter((s) => ALL_KINDS.some((k) => shows(k, s.own)));
  const sceptical = kindSentences.filter(grounded).length < SCEPTICAL_BELOW * kindSentences.length;

  // A drill is scored on its one criterion: it has no framing window, no pivot and no probes, and
  // stopping once its task is done is what it asks (`end` when you are done). Its levels are the
  // rules' alone: the reader was fitted on whole rounds, and counts what a round of 45 minutes or
  // more says (numbers, kinds named), so a drill's few minutes would read as a thin round, and a
  // task done well be weighed down for its length.
  const drill = transcript.drill ? DRILLS[transcript.drill] : undefined;
  const features = readerFeatures(round);
  const read = (id: string) =>
    reader === null || drill ? undefined : readLevel(reader, features, id);
  const { hypothesis, untied, flags: raised } = flagsOf(rubric, round, tie);
  const { echoes } = round;
  // The red flags judge a round's conduct (its framing window, its pivot, what it builds with),
  // none of which a drill asks for.
  const flags = drill ? [] : raised;
  const hasFlag = (id: string) => flags.some((f) => f.id === id);

  const levels = new Map<string, Scored>();
  levels.set('hypothesis', hypothesis);
  levels.set(
    'experimental_design',
    byKinds(
      'experimental_design',
      EXPERIMENT_KINDS,
      substantive,
      echoes,
      hypothesis.at === null ? 3 : 4,
      sceptical,
      readElsewhere(substantive),
    ),
  );
  levels.set('scalability', scoreScalability(substantive, echoes, sceptical, !drill));
  levels.set('risk', byKinds('risk', RISK_KINDS, substantive, echoes, 4, sceptical));
  levels.set(
    'communication',
    scoreCommunication(said, substantive, hasFlag('defensive_pivot'), pivotAt, sceptical),
  );

  // A shortfall the card shows untrue elsewhere is not named as weighing a level down: "not
  // exploring what the pivot changes" where the answer explored it (as the red flag reads it) or
  // communication met it with curiosity, or where no pivot came; "defending the plan at the
  // pivot" where the card raises no such flag.
  const curious = levels.get('communication')?.foundSays?.includes('pivot_explores') ?? false;
  const refuted = new Set<FeatureName>([
    ...(pivotAt === undefined || round.pivot.explores || curious
      ? ['pivot_explores' as const]
      : []),
    ...(hasFlag('defensive_pivot') ? [] : ['pivot_defensive' as const]),
  ]);

  // Each criterion quotes the sentences that earned it, and no quote appears twice on the card:
  // a sentence quoted for one criterion is passed over by the others, and one a red flag quotes
  // is left to the flag (the hypothesis keeps its claim: it is what the level and the rewrite are
  // about, even where "no hypothesis in framing" quotes it).
  const flagged = new QuotedOnCard();
  for (const f of flags) flagged.add(f.quote);
  const missing = new Map<string, readonly string[]>();
  const scored = rubric.criteria.map((c) => {
    const found = levels.get(c.id) ?? byKeywords(c.keywords ?? [], substantive);
    missing.set(c.id, found.missing);
    return { c, found, ...decide(found, read(c.id), refuted) };
  });
  const quotes = pickQuotes(
    scored.map(({ c, found }) => ({
      evidence: found.evidence,
      ...(found.through ? { through: found.through } : {}),
      ...(c.id === 'hypothesis' ? { together: true } : { avoid: flagged }),
    })),
  );
  const criteria: CriterionScore[] = scored.map(({ c, level, rationale }, i) => ({
    id: c.id,
    name: c.name,
    weight: c.weight,
    level,
    rationale,
    evidence: quotes[i] ?? [],
  }));
  const overall = overallScore(criteria);
  const tech = flags.find((f) => f.id === 'tech_without_hypothesis');
  const triad = triadOf(
    round,
    hypothesis.at !== null,
    untied,
    tech ? (tech.about ?? technologiesIn(tech.quote)[0]) : undefined,
  );
  return {
    prompt: transcript.prompt,
    minutes: transcript.minutes,
    mode: transcriptMode(transcript),
    overall,
    band: bandFor(rubric, overall),
    criteria,
    flags,
    phaseDiscipline: {
      hypothesisAt: hypothesis.at,
      // A drill has no framing window, and no phases: its time is one span.
      hypothesisInFraming: !drill && hypothesis.at !== null && hypothesis.at < framingEnd,
      phases: drill
        ? [
            {
              id: 'drill',
              name: drill.name,
              seconds: phases.reduce((n, p) => n + p.seconds, 0),
              words: phases.reduce((n, p) => n + p.words, 0),
            },
          ]
        : phases.map(({ id, name, seconds, words }) => ({ id, name, seconds, words })),
    },
    triad,
    // A drill's advice is on its one criterion alone, however much the others would gain.
    improvements: drill
      ? improvementsFor(
          criteria.filter((c) => c.id === drill.criterion),
          flags,
          triad,
          missing,
          true,
        )
      : improvementsFor(criteria, flags, triad, missing),
    engine: { name: 'heuristic' },
    ...warningsOf(notes, said),
  };
}

/** A round's red flags, with the rules' reading of its hypothesis and probe answers they come from. */
export function flagsOf(
  rubric: Rubric,
  round: RoundReading,
  /** The technology flag's decider (`tie-decider.ts`); null for the rules' own reading. */
  tie: TieModel | null,
): {
  hypothesis: ReturnType<typeof scoreHypothesis>;
  ruled: number;
  untied: readonly UntiedAnswer[];
  flags: FlagHit[];
} {
  const hypothesis = scoreHypothesis(round);
  // The hypothesis's level by the rules decides how technologies are read: at 4 the design stays
  // anchored to it (rubric), so what it names serves testing it and the rules flag no technology
  // as tied to none. (The reader moves levels, never flags.)
  const ruled = decide(hypothesis, undefined).level;
  // The probe answers that leave their technology tied to nothing: the red flag and the design
  // choices read them alike.
  const untied = untiedAnswers(round.probes);
  const flags = detectFlags(rubric, round, hypothesis.at, ruled, untied, tie);
  return { hypothesis, ruled, untied, flags };
}

/**
 * What the card warns of: a note to the grader set aside, and an answer its rules cannot read
 * because it is not in English.
 */
function warningsOf(notes: readonly string[], said: Transcript): Pick<Scorecard, 'warnings'> {
  const answer = said.messages.filter((m) => m.role === 'candidate').map((m) => m.text);
  const warnings = [
    ...(setAside(notes).warnings ?? []),
    ...(notEnglish(answer.join('\n'))
      ? [
          'This answer does not read as English: the rule-based scorer reads English only, so its levels here say little about the answer.',
        ]
      : []),
  ];
  return warnings.length > 0 ? { warnings } : {};
}
