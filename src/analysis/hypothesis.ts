/** What a sentence carries of a research hypothesis. */
export interface HypothesisSignals {
  /** "I hypothesize", "I expect", "we predict", "my bet is", ... */
  readonly claim: boolean;
  /** A direction of change: reduce, increase, improve, cut, lower than, ... */
  readonly direction: boolean;
  /** A number, percentage or multiplier. */
  readonly quantity: boolean;
  /** A named metric or benchmark. */
  readonly metric: boolean;
  /** A comparison point: baseline, control, compared to, vs, than. */
  readonly baseline: boolean;
}

const CLAIM =
  /\b(hypothe[sz]\w*|i (?:strongly )?(?:expect|predict|bet|believe|think|claim|conjecture)|we (?:expect|predict|believe)|my (?:bet|claim|prediction|expectation)|should (?:reduce|increase|improve|cut|lower|raise)|will (?:reduce|increase|improve|cut|lower|raise))/i;
const DIRECTION =
  /\b(reduc\w*|increas\w*|improv\w*|cut\w*|lower\w*|rais\w*|decreas\w*|boost\w*|drop\w*|halv\w*|doubl\w*|degrad\w*|outperform\w*|beat\w*|fewer|more|less|higher|better|worse|faster|slower|gain\w*)\b/i;
const QUANTITY =
  /(\d+(?:\.\d+)?\s*(?:%|x\b|×|pp\b|points?\b|percent)|\b\d+(?:\.\d+)?\b|\b(?:half|double|twice|triple|ten)\b)/i;
const METRIC =
  /\b(rate|accuracy|precision|recall|f1|latency|p\d{2}|throughput|win[- ]?rate|score|benchmark|eval\w*|metric|error|loss|auc|bleu|rouge|perplexity|calibration|hallucination\w*|refusal\w*|agreement|kappa|elo|pass@\d+|coverage|sycophan\w*|toxicity|regret|reward|success)\b/i;
const BASELINE =
  /\b(baseline|control|compared (?:to|with)|relative to|vs\.?|versus|than|holdout|status quo|current (?:model|system|pipeline))\b/i;

export function hypothesisSignals(sentence: string): HypothesisSignals {
  return {
    claim: CLAIM.test(sentence),
    direction: DIRECTION.test(sentence),
    quantity: QUANTITY.test(sentence),
    metric: METRIC.test(sentence),
    baseline: BASELINE.test(sentence),
  };
}

/**
 * Whether a sentence states a testable hypothesis: a claim with a direction, on a metric, with a
 * number or a comparison point. Vague goals ("make the model safer") do not count.
 */
export function statesHypothesis(sentence: string): boolean {
  const s = hypothesisSignals(sentence);
  return s.claim && s.direction && s.metric && (s.quantity || s.baseline);
}
