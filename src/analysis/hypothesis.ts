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
}

const CLAIM =
  /\b(hypothe[sz]\w*|h\d\s*:|prediction\s*:|i(?:'d| would)? (?:strongly )?(?:expect|predict|bet|conjecture)|i (?:believe|think|claim) (?:that )?\w+ (?:will|would|should|reduces?|increases?|improves?|cuts?)|we (?:expect|predict)|my (?:bet|claim|prediction|expectation)|(?:should|will) (?:reduce|increase|improve|cut|lower|raise|halve|double))/i;
const DIRECTION =
  /(\b(?:reduc\w*|increas\w*|improv\w*|cuts?|cutting|lower\w*|rais\w*|decreas\w*|boost\w*|drops?|dropp\w*|halv\w*|doubl\w*|degrad\w*|outperform\w*|beats?|fewer|more|less|higher|better|worse|faster|slower|gains?|at least|at most|twice|half|as many|as much|below|above|under|within|match\w*|differently|rises?|falls?|shrinks?|grows?|narrow\w*|widen\w*|understat\w*|overstat\w*|ranks?|comes? from|caused by|driven by|predicts?|correlat\w*)\b|[≥≤<>→×])/i;
const QUANTITY =
  /((?<![A-Za-z\d])\d+(?:[.,]\d+)?\s*(?:%|x\b|×|pp\b|points?\b|percent|k\b|m\b)?|\b(?:half|double|twice|triple|ten|tenfold)\b)/i;
const METRIC =
  /\b(rates?|accuracy|precision|recall|f1|latency|p\d{2}|throughput|win[- ]?rates?|scores?|benchmark\w*|eval\w*|metric\w*|errors?|loss|auc|bleu|rouge|perplexity|calibration|hallucination\w*|refusal\w*|agreement|kappa|elo|pass@\d+|pass rate|coverage|sycophan\w*|toxicity|regret|reward|success|asr|clusters?|failures?|ratio|quality|cost|time to \w+|compliance|robustness|generali[sz]ation|gap)\b/i;
const BASELINE =
  /\b(baselines?|control|compared (?:to|with)|relative to|vs\.?|versus|holdout|held[- ]out|status quo|current (?:model|system|pipeline|release)|previous (?:release|model|checkpoint|version)|prior (?:release|model|checkpoint)|uniform(?:ly)? (?:sampled|random)|random (?:baseline|selection|sampling))\b/i;
const CONTRAST = /\b(rather than|instead of|differently from|than|as opposed to)\b/i;

export function hypothesisSignals(sentence: string): HypothesisSignals {
  return {
    claim: CLAIM.test(sentence),
    direction: DIRECTION.test(sentence),
    quantity: QUANTITY.test(sentence),
    metric: METRIC.test(sentence),
    baseline: BASELINE.test(sentence),
    contrast: CONTRAST.test(sentence),
  };
}

/**
 * How well a sentence states a hypothesis, on the rubric's 0–4 scale before timing is considered:
 * 4 a claim with direction, metric, quantity and baseline; 3 a falsifiable claim on a metric with
 * a number or a baseline; 2 a directional or contrastive claim on a metric; 1 a vague claim.
 */
export function hypothesisLevel(sentence: string): number {
  const s = hypothesisSignals(sentence);
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
