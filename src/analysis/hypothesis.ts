import { statesComparison } from './comparator.js';
import { P_VALUE } from './vacuity.js';

/** What a sentence carries of a research hypothesis. */
export interface HypothesisSignals {
  /** "I hypothesize", "I expect", "H1:", "my bet is", ... */
  readonly claim: boolean;
  /** A direction or shape of effect: reduce, at least, twice as many, comes from, ... */
  readonly direction: boolean;
  /** A number, percentage or multiplier (not part of a name like `p99`). */
  readonly quantity: boolean;
  /** A named metric or benchmark. */
  readonly metric: boolean;
  /** A firm comparison point: baseline, control, vs, relative to, the previous release. */
  readonly baseline: boolean;
  /** A softer contrast: rather than, instead of, differently from, than. */
  readonly contrast: boolean;
  /** Asked rather than stated ("does X reduce Y?"). */
  readonly question: boolean;
  /** A goal rather than a claim: "we want", "the goal is". */
  readonly goal: boolean;
  /** About the system being designed working ("the pipeline will find ..."), not about a model. */
  readonly aboutSystem: boolean;
}

/**
 * A claim about what is true: the hypothesis words, a stated expectation or bet ("I'd expect",
 * "my bet is", "working claim:", "what I believe"), a belief with a direction ("I think success
 * rates drop"), a wish to show something, or the test that would refute it ("falsified if").
 */
const CLAIM = new RegExp(
  [
    // The hypothesis words where they introduce one ("my hypothesis is", "hypothesis: ...", "I
    // hypothesise"), not where they name the method ("to validate the hypothesis we need ...").
    String.raw`\b(?:hypothes[ie]s\b(?:\s+\w+){0,2}?\s*(?:[:=—–]|-\s|is\b|are\b|would be\b|that\b|here\b)|hypothes[ie]s,(?:\s+\w+){1,3}\s*:|hypothesi[sz](?:e|es|ed|ing)\b|h\d\s*:|(?:prediction|expect(?:ation)?s?|bet)\s*:|claim\b|testable\b|falsif\w*|wrong if)`,
    String.raw`\b(?:my|our|the|working|main|core|interesting|first|second|starting) (?:bet|claim|prediction|expectation|idea|position|thesis|theory|belief)\b`,
    // A claim put as a labelled head: "Belief: ...", "Position: ...", "Hypothesis 1. ...".
    String.raw`^\W*(?:belief|position|thesis|conjecture|hunch|hypothesis(?: \d| [a-c]\b)?)\s*(?:[:—–]|\.(?:\s|$)|-\s)`,
    String.raw`\b(?:my|our) (?:\w+ )?(?:belief|hunch|guess|bet|expectation|prediction)\b`,
    String.raw`\bwhat (?:i|we) (?:think|believe|suspect|expect) is (?:going on|happening|true)\b`,
    String.raw`\b(?:let me|let's|i'll|i will|i'd) commit to\b`,
    String.raw`\bi(?:'d| would)? (?:strongly )?(?:expect|predict|bet|conjecture|suspect)\b|\bi(?:'d| would) guess\b`,
    String.raw`\b(?:we|i) (?:actually )?(?:expect|predict|believe)\b`,
    String.raw`\bi (?:think|believe|claim|suspect) (?:that )?[^.?!]{0,80}\b(?:will|would|should|drops?|reduces?|increases?|improves?|cuts?|degrades?|comes? from|causes?|beats?|outperforms?|higher|lower|more|less|fewer|better|worse)\b`,
    String.raw`\b(?:want|like|need|aim) to (?:show|test|prove|demonstrate|establish)\b`,
    String.raw`\b(?:the |my |our )?expected (?:change|effect|result|outcome|improvement|gain|drop|lift)\b`,
    String.raw`\b(?:should|will) (?:reduce|increase|improve|cut|lower|raise|halve|double|beat|outperform|go (?:up|down)|rise|fall|drop|decline|shrink|grow)\b`,
    String.raw`\b(?:should|will|would) (?:be|stay|remain) (?:at least|at most|higher|lower|better|worse|as good|within|no worse)\b`,
  ].join('|'),
  'i',
);

/** A goal: weaker than a claim ("we want the new model to beat the current one"). */
const GOAL =
  /\b(?:we|i)(?:'d| would)? want (?:the|our|it|this|to see)\b|\b(?:the|our|main) (?:goal|aim) is\b/i;
const DIRECTION =
  /(\b(?:reduc\w*|increas\w*|bump\w*|improv\w*|cuts?|cutting|lower\w*|rais\w*|decreas\w*|boost\w*|lift\w*|shorten\w*|slash\w*|drops?|dropp\w*|halv\w*|doubl\w*|degrad\w*|outperform\w*|beats?|fewer|more|less|higher|better|worse|faster|slower|gains?|at least|at most|twice|half|as many|as much|below|above|under|within|match\w*|differently|rises?|falls?|shrinks?|grows?|narrow\w*|widen\w*|understat\w*|overstat\w*|ranks?|comes? from|caused by|driven by|predicts?|correlat\w*|go(?:es|ing)? (?:up|down)|down|up (?:to|by|from)|come(?:s)? down|jumps?|spikes?|peaks?|precedes?|leading indicator|earlier|sooner|shifts?|changes? (?:more|less))\b|[≥≤<>→×])/i;
const QUANTITY =
  /((?<![A-Za-z\d])\d+(?:[.,]\d+)?\s*(?:%|x\b|×|pp\b|points?\b|percent|k\b|m\b)?|\b(?:half|double|twice|triple|ten|tenfold)\b|\b(?:one (?:or|to) two|two|three|four|five|six|seven|eight|nine|eleven|twelve|fifteen|twenty|thirty|fifty|a hundred|a thousand)\b(?! of (?:them|those|these|us)\b)|\b(?:within|in|under|after|than|about|inside|by) (?:about |roughly |around )?an? (?:minute|hour|day|week|month|checkpoint|release)\b)/i;
/**
 * A named metric; a count per unit ("messages per active user per day"): a rate by construction;
 * or a count of findings said to go up or down ("a lot more issues than the current process",
 * "fewer successful attacks"): countable, so measurable (guide, section 4).
 */
const METRIC =
  /\b(rates?|accuracy|precision|recall|f1|latency|p\d{2}|throughput|win[- ]?rates?|scores?|benchmark\w*|eval\w*|errors?|loss|auc|bleu|rouge|perplexity|calibration|hallucination\w*|refusal\w*|agreement|kappa|elo|pass@\d+|pass rate|coverage|sycophan\w*|toxicity|regret|reward(?![- ]models?\b)|success|accura\w*|fraction|share of|proportion|percentage|asr|clusters?|failures?|ratio|cost|time[- ]to[- ]\w+|compliance|robustness|generali[sz]ation|gap|pass(?:es|ed)?|retention|engagement|satisfaction|kl|divergence|activation\w*|onset|ratings?)\b|\b(?:more|fewer|less)\s+(?:\w+\s+){0,2}?(?:issues|vulnerabilit(?:y|ies)|attacks|findings|bugs|jailbreaks|incidents|regressions|failure modes|problems|harms|exploits|duplicates)\b|\b\w+s? per (?:\d+(?:[.,]\d+)?(?:\s*[km])?\s+)?(?:active )?(?:user|day|hour|query|request|conversation|session|item|answer|prompt|task|step|checkpoint|week|message|attack|attempt|episode|sample|example|label|document|token|run|release)s?\b/i;
/**
 * A sentence that states the comparison point on its own ("Baseline: the current 13-gram pass",
 * "The control is last week's checkpoint", "Baseline is English ASR"): a hypothesis stated in one
 * message often gets its baseline in the next.
 */
const BASELINE_STATEMENT =
  /^\W*(?:(?:\w+\W+){0,3}?(?:baselines?|control(?: arm| group)?|comparison point|reference point)\s*(?:[:=]|is\b|are\b|would be\b|will be\b|stays?\b)|compared (?:against|to|with)\b)/i;

/** Whether a sentence states the baseline a hypothesis is measured against (see above). */
export function statesBaseline(sentence: string): boolean {
  return !sentence.trim().endsWith('?') && BASELINE_STATEMENT.test(sentence);
}

/**
 * A message that opens by sizing what came before ("Numbers: ...", "Concretely, ...",
 * "Specifically: ..."): it carries on the previous message's claim.
 */
const CONTINUATION =
  /^\W*(?:numbers|in numbers|concretely|specifically|quantitatively|to be (?:concrete|specific)|in concrete terms|sized|more precisely)\b/i;

/** Whether a message opens by sizing the claim of the message before it. */
export function continuesClaim(message: string): boolean {
  return CONTINUATION.test(message);
}

/** A claim's signals with what a continuation adds (its numbers, metric, baseline). */
export function withContinuation(
  claim: HypothesisSignals,
  more: HypothesisSignals | undefined,
): HypothesisSignals {
  return more ? carried(claim, [more]) : claim;
}

/**
 * A claim (or goal) with what the sentences after it carry: its direction, numbers, metric and
 * baseline. Anything else is only what it says itself.
 */
function carried(first: HypothesisSignals, rest: readonly HypothesisSignals[]): HypothesisSignals {
  if (!first.claim && !first.goal) return first;
  const any = (k: keyof HypothesisSignals) => first[k] || rest.some((s) => s[k]);
  return {
    ...first,
    direction: any('direction'),
    quantity: any('quantity'),
    metric: any('metric'),
    baseline: any('baseline'),
    contrast: any('contrast'),
  };
}

const CONTRAST = /\b(rather than|instead of|differently from|than|as opposed to)\b/i;

/** A comparative naming what it is compared with: "a lot lower than on the public benchmarks". */
const THAN =
  /\b(?!rather\b)(?:\w+er|more|less|fewer)\s+(?:[\w'-]+\s+){0,4}?than\s+(?:on |in |for |with |at |to )?(?!\d|~|about\b|around\b|expected\b|usual\b|necessary\b|needed\b|that\b|it\b|they\b|we\b|i\b|you\b)\w/i;

/**
 * A claim's comparison point given by how the effect is put rather than by a word for one: a
 * change from where it stands ("goes from ~12% down to under 5%"), a multiple of something ("twice
 * the English rate", "2 to 4x the English rate"; not a threshold, "> 1.3x the weekly mean"), a
 * margin over or within something ("1.5 points over a model trained on a random sample", "within a
 * point of the file-system rate"), one value against another ("15–25% against 60–70% on the public
 * sets"), or a verb that compares ("vendor-reported accuracy overstates in-house gold accuracy").
 */
const COMPARED_EFFECT = new RegExp(
  [
    /\bfrom\s+(?:about\s+|around\s+|roughly\s+|~\s*|≈\s*)?\d[\d.,]*\s*(?:%|pp\b|points?\b)?[^.;?!]{0,30}?\b(?:down |up )?to\s+(?:about\s+|around\s+|roughly\s+|under\s+|below\s+|over\s+|above\s+|at (?:least|most)\s+|(?:less|more) than\s+|[~≈≤≥<>]\s*)?\d/
      .source,
    /(?<![<>≤≥]\s*[\d.,]*)(?:\b(?:twice|(?:two|three|four|five|ten|\d+(?:\.\d+)?)\s*(?:times|x|×))|\d(?:x|×))\s+(?:the|that of|what|as (?:[\w-]+ )?as)\b/
      .source,
    /\b(?:points?|pp|percentage points?|%)\s+(?:over|above|below|under)\s+(?:a|an|the|our|its|their|what)\b/
      .source,
    /\bwithin\s+(?:a|one|half a|\d[\d.]*)\s*(?:points?|pp|%|percentage points?)?\s+of\s+(?:the|its|our|their|what)\b/
      .source,
    /\d\s*(?:%|pp|points?)?\s+against\s+(?:about\s+|around\s+|roughly\s+|~\s*|≈\s*)?\d/.source,
    /\b(?:overstates?|understates?|overestimates?|underestimates?|outperforms?)\s+(?:the\s+)?[\w'-]+/
      .source,
  ].join('|'),
  'i',
);

/**
 * The system under design as what a claim is about: "I expect that the system will find ...",
 * "the hypothesis is that the pipeline keeps bad data out" (not "with a monitoring system in
 * place, time to notice drops", where the system is the condition and the claim is the effect).
 */
const SYSTEM =
  /\b(?:expect|predict|bet|think|believe|(?:hypothesis|claim|bet) (?:is|would be))\s+(?:that\s+)?(?:the|our|this|my)\s+(?:\w+\s+)?(?:system|pipeline|platform|harness|tool(?:ing)?|dashboard|sandbox|framework|infrastructure|service)\b/i;

/**
 * A statement with a hedge tagged on after a dash or comma ("... at a small cost — maybe a point?",
 * "..., right?"): the question mark hedges the size, it does not ask what the hypothesis is.
 */
const HEDGE_TAG =
  /[,—–-]\s*(?:maybe|perhaps|probably|roughly|about|around|say|i think|i guess|i'd guess|right|no|or so)\b[^,—–?]{0,30}\?$/i;

/** Whether a sentence asks rather than states (see `HEDGE_TAG` for what does not count). */
function asks(sentence: string): boolean {
  const trimmed = sentence.trim();
  return trimmed.endsWith('?') && !HEDGE_TAG.test(trimmed);
}

export function hypothesisSignals(sentence: string): HypothesisSignals {
  const question = asks(sentence);
  return {
    // A question is not a claim: "does X reduce Y?" asks what a hypothesis would state.
    claim: CLAIM.test(sentence) && !question,
    goal: GOAL.test(sentence) && !question,
    question,
    direction: DIRECTION.test(sentence),
    quantity: QUANTITY.test(sentence.replace(P_VALUE, '')),
    metric: METRIC.test(sentence),
    baseline: statesComparison(sentence) || THAN.test(sentence) || COMPARED_EFFECT.test(sentence),
    contrast: CONTRAST.test(sentence),
    aboutSystem: SYSTEM.test(sentence),
  };
}

/**
 * How well a sentence states a hypothesis, on the rubric's 0–4 scale before timing is considered:
 * 4 a claim with direction, metric, quantity and baseline; 3 a falsifiable claim on a metric with
 * a number or a baseline; 2 a directional or contrastive claim on a metric; 1 a vague claim.
 */
export function hypothesisLevel(sentence: string): number {
  return levelOf(hypothesisSignals(sentence));
}

/**
 * What a passage carries of a hypothesis: a claim and the sentences right after it in the same
 * message, which often carry its numbers ("Claim: X improves Y. Concretely, vs the last release:
 * -15% on Z."). The claim (or goal) must open the passage; otherwise only the first sentence
 * counts.
 */
export function passageSignals(
  sentences: readonly string[],
  answersCutIn = false,
): HypothesisSignals | undefined {
  const [said, ...rest] = sentences.map(hypothesisSignals);
  if (!said) return undefined;
  // What the candidate answers to "what do you expect to change, by how much, on which metric?"
  // is what they expect, however it is put ("- models fail more on long tasks"), unless it asks
  // or states a goal. The lines after it size it when it says something of its own: an opening
  // "Fair." does not take the question that follows for its claim.
  if (!answersCutIn || said.question || said.goal || said.claim) return carried(said, rest);
  const claim = { ...said, claim: true };
  return said.direction || said.metric ? carried(claim, rest) : claim;
}

/**
 * Whether a passage states a hypothesis at all (guide, `no_hypothesis_in_framing`): a claim, not a
 * question, with a direction and something measurable (a metric or a number). A comparison point
 * alone measures nothing: "a meaningful improvement in quality compared with today" is the vague
 * goal the flag is for.
 */
export function statesClaim(s: HypothesisSignals): boolean {
  // A goal is what the system should achieve, not what the candidate expects to find (guide: "a
  // vague goal" marks the flag), however it is sized.
  if (s.question || (s.goal && !s.claim)) return false;
  // That the system being built will work is no hypothesis unless it is sized against a
  // comparison point (guide 3.1: "I expect the platform to be really good" is vague; "the system
  // detects drift within 5 minutes" is a service level, not an effect).
  if (s.aboutSystem && !(s.quantity && s.baseline)) return false;
  const measurable = s.metric || s.quantity;
  return levelOf(s) >= 2 || (s.claim && (s.direction || s.contrast) && measurable);
}

/** The level 0–4 of what a sentence or passage carries. */
export function levelOf(s: HypothesisSignals): number {
  // A hypothesis only ever asked is at most directional (level 2), and it is never "stated".
  if (s.question) return s.direction && s.metric ? 2 : 0;
  // A goal is a vague hypothesis unless it is sized or compared against something.
  if (s.goal && !s.claim) return s.direction && s.metric && (s.quantity || s.baseline) ? 2 : 1;
  if (s.claim && s.direction && s.metric && s.quantity && s.baseline) return 4;
  if (
    s.direction &&
    s.metric &&
    (s.quantity || s.baseline) &&
    (s.claim || (s.quantity && s.baseline))
  )
    return 3;
  if (s.claim && (s.direction || s.contrast) && s.metric) return 2;
  return s.claim ? 1 : 0;
}
