import { namesComparator } from '../../analysis/comparator.js';
import { affirms } from '../../analysis/negation.js';

/**
 * The kinds of evidence the heuristic engine looks for, per criterion. A criterion's level grows
 * with the number of distinct kinds found, not with how often words repeat (saturation).
 */
export interface EvidenceKind {
  readonly id: string;
  /** How the kind reads in a rationale ("control or baseline"). */
  readonly label: string;
  readonly pattern: RegExp;
  /** What a sentence must also do to show the kind, beyond naming it (see `shows`). */
  readonly substance?: (sentence: string) => boolean;
  /**
   * How a rationale says the kind was found where no number or decision is attached to it, when
   * `label` claims more ("a scaling mechanism", not "... with a reason").
   */
  readonly bare?: string;
}

const kind = (
  id: string,
  label: string,
  pattern: RegExp,
  substance?: (sentence: string) => boolean,
  bare?: string,
): EvidenceKind => ({
  id,
  label,
  pattern,
  ...(substance ? { substance } : {}),
  ...(bare ? { bare } : {}),
});

/** Whether a sentence shows a kind: names it, not negated, with the substance it needs. */
export function shows(k: EvidenceKind, sentence: string): boolean {
  return affirms(k.pattern, sentence) && (k.substance?.(sentence) ?? true);
}

export const EXPERIMENT_KINDS: readonly EvidenceKind[] = [
  kind(
    'variables',
    'independent and dependent variables',
    /\b(independent|dependent) variables?\b|\b(we|i)(?:'ll| will)? vary\b|\bwhat varies\b|\bheld? (?:fixed|constant)\b|\bvariables?\b|^\W*(?:varies|vary|varied|fixed|held fixed|kept fixed|constant|measured)\s*[:—–]/i,
  ),
  kind(
    'control',
    'a control or baseline',
    /\b((?<!access )control(?! for\b)(?: (?:group|arm|condition))?|baseline|holdout|held[- ]out|status quo|counterfactual)\b/i,
    namesComparator,
  ),
  kind(
    'randomisation',
    'randomised assignment or A/B',
    /\b(a\/b|randomi[sz]\w*|random (?:assignment|split|sample)|randomly (?:assign|split|allocat|sampl|bucket)\w*|interleav\w*|stratif\w*)\b/i,
  ),
  kind(
    'ablation',
    'ablation toggles',
    /\b(ablat\w*|toggl\w*|switch(?:ed)? (?:it )?off|turn(?:ed)? (?:it )?off|on\/off|feature flags?|knock(?:ed)? out)\b/i,
  ),
  kind(
    'metrics',
    'primary and guard-rail metrics',
    /\b(primary metric|guard[- ]?rails?|north[- ]star|success metric|win[- ]?rate|pass@\d|precision|recall|f1|accuracy|error rate|hallucination rate|refusal rate|metric)\b/i,
  ),
  kind(
    'eval_set',
    'a benchmark or eval set',
    /\b(benchmark|eval(?:uation)? (?:set|suite|harness)|test set|golden set|held[- ]out set|gold labels?)\b/i,
  ),
  kind(
    'power',
    'sample size or power',
    /\b(sample size|power analysis|statistical power|\d{1,2}% power|\d[\d,.]{0,30}k? (?:samples|examples|prompts|conversations|pairs|users|labels)|\d[\d,.]{0,30}k? \w+ (?:per|a|each) (?:arm|variant|bucket|condition)|minimum detectable)\b/i,
  ),
  kind(
    'significance',
    'significance or confidence intervals',
    /\b(significan\w*|confidence intervals?|p[- ]?values?|bootstrap\w*|error bars?|seeds?|variance)\b/i,
  ),
  kind(
    'data_collection',
    'a data-collection plan',
    /\b(collect\w*|label(?:l)?ers?|annotat\w*|logging|log (?:every|each|the)|sampl(?:e|ing) (?:from|of) (?:traffic|production)|data pipeline)\b/i,
  ),
  kind(
    'iteration',
    'a feedback loop into model iteration',
    /\b(feedback loop|next (?:training )?(?:round|iteration|checkpoint|model)|retrain\w*|fine[- ]tun\w*|feed (?:it |them |results )?back|iterat\w*|closed loop)\b/i,
  ),
];

export const SCALE_KINDS: readonly EvidenceKind[] = [
  kind(
    'throughput',
    'throughput',
    /\b(qps|rps|throughput|per second|\/s\b|per (?:day|hour|minute|week)|requests a|tokens\/s)\b|\d[\d,.]{0,30}(?:\s*(?:[kmb]\+?|\+))?(?:\s+[a-z-]+){0,2}?\s*(?:\/|\bper\b|\ba\b|\beach\b|\bevery\b)\s*(?:day|d|hour|hr|h|min|minute|week|wk|sec|second)\b/i,
  ),
  kind(
    'volume',
    'data volume',
    /\b(\d[\d,.]{0,30}\s*(?:tb|gb|pb|mb|million|billion|[mbk])\b|terabytes?|petabytes?|data volume|storage)\b/i,
  ),
  kind(
    'latency',
    'latency',
    /\b(latency|p50|p9\d|milliseconds|\d+\s*ms\b|time to first token|ttft)\b/i,
  ),
  kind(
    'cost',
    'compute cost',
    /\b(gpu[- ]?hours?|(?:container|node|cpu|machine|accelerator)[- ]hours?|\d[\d,.]{0,30}\s*(?:k\s*)?(?:gpus|h100s|a100s|tpus)|compute budget|cost|dollars|budget)\b|\$\s?\d/i,
  ),
  kind(
    'derived',
    'what the experiment needs',
    /\b(to detect|to reach (?:significance|power)|(?:samples?|runs?|labels?) (?:per|a) (?:arm|variant|cycle|day)|the experiment needs|enough (?:samples|data|power))\b/i,
  ),
  kind(
    'tradeoff',
    'a trade-off',
    // A gain set against what it costs: the words for it, or a gain "but" a cost ("cuts latency
    // by 30% but doubles cost", "saves compute but risks stale results"). "Versus" sets two
    // qualities against each other ("recall versus cost"), not a result against its baseline
    // ("from 5% to 20% versus the current suite" is a comparison).
    /\b(trade[- ]?offs?|at the (?:cost|price) of|in exchange for|(?:cost|latency|speed|freshness|coverage|throughput|recall|precision|accuracy|quality|compute|budget|noise|variance|bias) versus (?:the )?(?:cost|latency|speed|freshness|coverage|throughput|recall|precision|accuracy|quality|compute|budget|noise|variance|bias)|freshness|staleness|consistency vs|cheaper but|slower but|but (?:it |that |this )?(?:costs?|doubles?|triples?|adds?|risks?|loses?|hurts?|slows?|widens?|(?:raises?|increases?) (?:the )?(?:cost|latency|noise)|(?:is|are|gets?) (?:slower|costlier|more expensive|noisier)))\b/i,
  ),
  kind(
    'mechanism',
    'a scaling mechanism with a reason',
    /\b(shard\w*|batch\w*|cach\w*|queue\w*|parallel\w*|horizontal\w*|autoscal\w*|partition\w*|stream\w*|sampl\w*)\b/i,
    undefined,
    'a scaling mechanism',
  ),
  kind(
    'bottleneck',
    'the bottleneck',
    /\b(bottleneck|limiting factor|dominat\w* cost|hot ?spot|back[- ]?pressure|saturat\w*)\b/i,
  ),
];

/**
 * What an experiment must detect or resolve, said of a number (guide 3.3, "derived from the
 * experiment"): power, arms, intervals, seeds, noise, the smallest effect to see.
 */
export const STATISTICAL_NEED =
  /(\bpower\b|\bper (?:arm|variant|bucket|cell|labell?er|slice|language|condition)\b|\barms?\b|confidence intervals?|\bcis?\b|±|\+\/-|\bseeds?\b|\bnoise\b|\bvariance\b|\bmde\b|minimum detectable|\bdetect\b|\bto see\b|tell \S+ (?:from|apart)|significan|standard error|margin of error|resolve)/i;

export const RISK_KINDS: readonly EvidenceKind[] = [
  kind(
    'named_risk',
    'risks named as such',
    /\b(risks?|threats? to (?:the )?validity|could fool (?:us|me)|what could go wrong|caveats?|pitfalls?|concerns?|worr(?:y|ied|ies)|danger\w*|downsides?|limitations?|the catch|watch out|suspicious|tricky|sanity[- ]check\w*|spot[- ]check\w*)\b/i,
  ),
  kind(
    'failure',
    'failure modes',
    /\b(failure modes?|fail\w*|outage|break\w*|degrad\w*|crash\w*|go(?:es)? wrong|blind spots?|false (?:positive|negative)s?|under-?count\w*|over-?count\w*|underestimat\w*|overestimat\w*|miss(?:es|ed)? (?:it|them|cases|some)|regress\w*)\b/i,
  ),
  kind(
    'confounders',
    'confounders',
    /\b(confound\w*|selection (?:bias|effect)|simpson|spurious|novelty effect|seasonality|interference|attribut\w*|other (?:training )?changes|regression to the mean|(?:traffic|mix|population) shifts?|length[- ](?:controlled|bias|effect)|position bias|verbosity|placebo|difficulty[- ]matched)\b/i,
  ),
  kind(
    'leakage',
    'leakage or contamination',
    /\b(leak\w*|contaminat\w*|overlap with (?:the )?train\w*|train[/-]test|decontam\w*|dedup\w*|memori[sz]\w*|(?:keep|kept) (?:\w+ )?private|never (?:feed|go|goes) (?:back )?into training|seen (?:in|during) training)\b/i,
  ),
  kind(
    'bias',
    'bias',
    /\b(bias\w*|fairness|demographic|under[- ]?represent\w*|label(?:l)?er (?:disagreement|noise)|noisy|noise|noisier|inter-?rater|disagreement)\b/i,
  ),
  kind(
    'drift',
    'drift',
    /\b(drift\w*|distribution shift|non[- ]?stationar\w*|regression over time|stale\w*|decay\w*|over time)\b/i,
  ),
  kind(
    'safety',
    'safety and misuse',
    /\b(safety|harm\w*|misuse|jailbreak\w*|toxic\w*|sycophan\w*|reward hacking|goodhart\w*|over[- ]?optimi[sz]\w*|privacy|pii)\b/i,
  ),
  kind(
    'rollback',
    'rollback',
    /\b(roll ?back|kill[- ]switch|revert\w*|canary|staged rollout|circuit breaker|halt\w*|abort\w*|stop (?:the|a) (?:round|rollout|release|run|training)|block (?:the )?(?:release|launch|ship\w*))\b/i,
  ),
  kind(
    'monitoring',
    'monitoring and alerts',
    /\b(monitor\w*|alert\w*|dashboards?|on[- ]call|anomaly detection|audit\w*|alarms?|report cards?|weekly reports?)\b/i,
  ),
  kind(
    'mitigation_loop',
    'risks fed back into the iteration loop',
    /\b(feed\w* (?:it |them )?back|next (?:round|iteration|checkpoint)|retrain\w*|postmortem|red[- ]team\w*)\b/i,
  ),
];

/**
 * Kinds that name their criterion itself ("Risk: …", "Threats to validity: …", "what could fool
 * me"): a sentence showing one is about the criterion, so the card weighs it double when it
 * chooses what to quote (the level counts it as any other kind).
 */
export const SELF_NAMING: ReadonlySet<string> = new Set(['named_risk']);

/**
 * Kinds that count where the answer shows them but that the rubric's level descriptors do not ask
 * for (randomised assignment, a benchmark, a scaling mechanism, risks headed as such): never named
 * as missing, so a card never asks an offline evaluation for an A/B test.
 */
export const UNASKED: ReadonlySet<string> = new Set([
  'randomisation',
  'eval_set',
  'mechanism',
  'named_risk',
]);

/** Every evidence kind of the three criteria scored by kinds. */
export const ALL_KINDS: readonly EvidenceKind[] = [
  ...EXPERIMENT_KINDS,
  ...SCALE_KINDS,
  ...RISK_KINDS,
];

export const STRUCTURE =
  /^(?:first|second|third|then|next|finally|to summari[sz]e|in summary|so,? (?:the|my)|step \d|\d[.)])\b|\b(?:three (?:parts|things|components)|two (?:parts|things)|let me (?:start|structure|recap))\b/i;

/** Courtesy at the pivot ("good point"): welcoming the change, not yet exploring it. */
const POLITE =
  "interesting|good (?:point|question|catch)|fair point|you'?re right|makes sense|great constraint|that'?s a (?:real )?gap|(?:hadn'?t|didn'?t) (?:considered|thought)";

/**
 * Exploring what a change means for the experiment (guide, `defensive_pivot`): a variable, the
 * control, a metric or the hypothesis changed, or a way to check the finding.
 */
const EXPLORING =
  "that changes|changes (?:the|my) (?:design|plan|experiment|hypothesis|metric)|i(?:'d| would)(?: want to| like to| need to)? (?:now |also |then |first )?(?:add|measure|test|split|track|change|compare|reproduce|replicate|rerun|re-run|slice|stratify|look at|try|run (?:both|their|our|it|the same)|check (?:how|whether|if|what|which))|(?:so|then) i(?:'d| would) (?:add|measure|test|split|track|change|switch)|i(?:'d| would) (?:update|revise|re-?prioriti[sz]e|rethink)|let me (?:rethink|revisit|update)|that means|so we(?:'d| would) need|would (?:now )?(?:measure|test|add)|(?:we|i) could (?:run|measure|test|compare|check|reproduce|replicate|slice|split|look at)";

/** How long after the pivot the candidate's answer to it runs, in round seconds. */
export const PIVOT_ANSWER_S = 240;

/**
 * How long after the pivot a doubtful answer may still explore it, in round seconds: the check it
 * proposes often follows the pushback a message or two later.
 */
export const PIVOT_FOLLOW_UP_S = 360;

/** Meeting the pivot with curiosity: welcoming it or exploring it. */
export const CURIOUS = new RegExp(String.raw`\b(?:${POLITE}|${EXPLORING})\b`, 'i');

/** Courtesy at the pivot alone. */
export const COURTESY = new RegExp(String.raw`\b(?:${POLITE})\b`, 'i');

const EXPLORES = new RegExp(String.raw`\b(?:${EXPLORING})\b`, 'i');

/**
 * Proposing a check or a change of the experiment (guide, `defensive_pivot`: exploring "what it
 * changes ... or how to check it"): a step put as one ("we could add embedding similarity",
 * "I'd re-check old reports", "Change: three splits instead of two") or as an instruction opening
 * a sentence or a list item ("Check the ledger beyond model releases", "add a battery: ...").
 */
const STEP =
  'add|re-?check|double-check|audit|sample|tag|label|log|filter|dedupe|split|stratify|slice|track|translate|re-?run|rerun|re-?weight|re-?baseline|hold out|backtest|measure|compare|test|look at';
/** Checking something named, not "check it". */
const CHECK_SOMETHING = String.raw`check (?!it\b|that\b|this\b|them\b)\w`;
const PROPOSES = new RegExp(
  [
    String.raw`\b(?:we|i)(?:'d| would| could| can| will|'ll| should)(?: also| then| first| probably| maybe| now)? (?:(?:${STEP})\b|${CHECK_SOMETHING})`,
    String.raw`^\W*(?:\d+[.)]\s*)?(?:(?:${STEP})\b|${CHECK_SOMETHING})`,
    String.raw`^\W*(?:changes?|what changes|new (?:arm|split|control|metric|bucket))\s*:`,
  ].join('|'),
  'i',
);

/** Dismissing the pivot: the plan defended as unchanged, or the finding waved away. */
export const DEFENSIVE =
  /\b(wouldn'?t change|doesn'?t change|does not change|won'?t change|nothing changes|no change|(?:don'?t|do not) (?:think|see|expect) (?:that )?(?:the|this|it|that)\b[^.?!]{0,30}\bchanges?\b|(?:that's|that is|it's|it is) good enough|(?:should|will) be (?:just )?fine|already (?:handles?|covers?|accounts? for)|not (?:really )?(?:an? )?(?:issue|problem|concern)|not worried|my (?:design|plan) (?:already|still)|i(?:'d| would) keep (?:the|my) (?:design|plan)|keep (?:it|things|everything|the plan|the design|the experiment)(?: exactly)? as (?:it )?(?:is|designed|planned)|(?:stays?|remains?) (?:the same|as (?:it is|designed|planned))|(?:i'd|i would) resist|overreact|(?:don'?t|do not) think (?:it|this|that|the \w+) needs? (?:much|any|to change)|still the right|irrelevant|doesn'?t (?:really )?matter|no need to change|stick with (?:my|the) (?:plan|design)|(?:probably|must be|is just|are just) (?:wrong|noise|a fluke|flawed|different|broken|off)|(?:is|are) (?:probably |simply )?(?:wrong|flawed|a fluke|broken)|(?:an?|just an?) edge case|(?:we|you) can (?:safely )?ignore|out of scope)\b/i;

const DEFENSIVE_ALL = new RegExp(DEFENSIVE.source, 'gi');

/**
 * A clause that says how something else behaves rather than that the plan stands: "a fixed attack
 * set that doesn't change between checkpoints", "agrees when the user is wrong", "I wouldn't
 * assume either of us is wrong", "cut proportionally, so the mix stays the same", "though the test
 * set needs to stay the same size".
 */
const SUBORDINATE =
  /\b(?:that|which|who|so|when|whenever|if|whether|unless|because|assum\w*|where|while|until|once|though|although)\b/i;
/**
 * A finding waved away as wrong or broken ("their benchmark is probably wrong"), where what is
 * wrong is the candidate's own ("my correction is wrong for Amharic", "my perturbations are
 * broken, not the model", "something is broken in my pipeline"): owning a failure, not
 * dismissing the pivot.
 */
const FAULTED = /\b(?:wrong|broken|flawed)\b/i;
const OWN_BEFORE = /\b(?:my|our) (?:[\w-]+ ){0,3}$/i;
const OWN_AFTER = /^ in (?:my|our)\b/i;

/** A word that opens a sentence without making it subordinate ("So I wouldn't change it."). */
const OPENER = /^\W*(?:so|and|but|then|honestly|well|ok(?:ay)?)\b/i;

/**
 * The first dismissal of the pivot in a sentence (`DEFENSIVE`), the plan defended or the finding
 * waved away, not where the words sit in a clause about something else (see `SUBORDINATE`).
 */
export function dismissal(sentence: string): RegExpExecArray | undefined {
  let cut = -1;
  let scanned = 0;
  for (const match of sentence.matchAll(DEFENSIVE_ALL)) {
    const head = sentence.slice(0, match.index);
    // The last clause break before the match, found scanning only what is new since the last one.
    for (; scanned < match.index; scanned++)
      if (',;:—–('.includes(sentence[scanned] as string)) cut = scanned;
    const clause = cut < 0 ? head.replace(OPENER, '') : head.slice(cut + 1);
    const after = sentence.slice(match.index + match[0].length);
    const owned = FAULTED.test(match[0]) && (OWN_BEFORE.test(head) || OWN_AFTER.test(after));
    if (!SUBORDINATE.test(clause) && !owned) return match as RegExpExecArray;
  }
  return undefined;
}

/**
 * Whether a sentence explores what the pivot changes (what keeps a doubtful reply from being
 * defensive), politeness apart: exploring words under a denial that opens before them ("I don't
 * think the cut changes the design") explore nothing; ones before a later dismissal still do.
 */
export function explores(sentence: string): boolean {
  return before(EXPLORES.exec(sentence), sentence);
}

/**
 * Whether a sentence explores the pivot or proposes a check of it (see `PROPOSES`): what keeps a
 * doubtful reply from being the `defensive_pivot` flag. (The reader's feature reads `explores`.)
 */
export function exploresOrProposes(sentence: string): boolean {
  return before(EXPLORES.exec(sentence) ?? PROPOSES.exec(sentence), sentence);
}

/** A match that opens before any dismissal in the sentence. */
function before(match: RegExpExecArray | null, sentence: string): boolean {
  const d = dismissal(sentence);
  return match !== null && (d === undefined || match.index < d.index);
}

export const ENGINEERING_FIRST =
  /\b(because (?:i|we) (?:know (?:it|them|this one|that one|how to|\w+ (?:well|best|inside out))|(?:am|'m|are) (?:familiar|comfortable|used to|fast|quick|productive)|like (?:it|them|using)|have used (?:it|them))|(?:use|pick|go with|stick (?:to|with)|build (?:it )?(?:in|with)) what i know|what i know best|i know how to (?:code|build|write)|(?<!which )(?:i'm|i am) (?:familiar|comfortable) with|(?:the team|everyone|they) (?:probably |already |all )*(?:uses?|knows?|runs?) (?:it|them)\b|(?:makes? it|it'?s|it is) (?:much |a lot |way |just )?(?:faster|quicker|easier|simpler) to (?:build|set up|ship|write|implement)|easy to customi[sz]e|path of least resistance|(?:it's|that's|it is|that is|this is|is) what (?:i|(?:our|my|the) (?:\w+ )?team) (?:already )?(?:use|know|run|support)s?|we use (?:it|them|\w+) for (?:pretty much |literally |basically )?everything|i(?:'m| am) (?:way |much |a lot )?faster in|it's what i know|the quickest route|saves? (?:us )?(?:build|dev|development|engineering) time|(?:worked|works) (?:well|fine|great) (?:every time|whenever|each time) i(?:'ve| have)? used it|already integrates with|easiest (?:for me|to build|to code)|my favou?rite (?:stack|language|tool)|i(?:'ve| have) (?:written|used|built|worked with) (?:a lot of|lots of|plenty of|it for|\w+ for (?:years|ages|the last))|(?:since|because) (?:that's|it's|this is) what (?:i|we)(?:'ve| have)? (?:used|know)|(?:i'm|i am) (?:most )?productive (?:in|with)|i can (?:get|have) (?:something|it) (?:up|running|working) (?:fast|quickly)|(?:i'm|i am) (?:the )?(?:fastest|quickest|fast|quick) (?:in|with|at)|(?:because|since|as) (?:that's |it's |it is |that is |this is )?what (?:i|we) (?:use|used|run|ran|like|work with) (?:at|in) (?:my|our|work)|(?:quickest|fastest|easiest|simplest|quicker|easier) (?:thing |option )?(?:for me |for us )?to (?:code|build|write|ship|set up|stand up|spin up|get running|implement)|i(?:'ve| have) always used|(?:we're|we are|the team is|my team is|our team is) (?:most |already )?(?:familiar|comfortable) with|(?:the|my|our) team (?:already )?knows(?! (?:which|what|whether|if|when|where|who|why)\b)|i know (?:it|them|\w+) (?:well|inside out|best|really well)|because i (?:like|love|prefer) (?:it|them|\w+))\b/i;

/**
 * Interfaces: endpoints, schemas, request and response formats, table layouts (guide, section 4).
 * "API" alone is not one: "the payment-API tasks" is the system under test, not its interface.
 */
export const API_DESIGN =
  /\b(endpoints?|rest(?:ful)? api|api (?:design|surface|contract|calls?|layer|versions?)|(?:get|post|put|delete) \/\w*|request body|response (?:body|schema|format)|json (?:schema|payload)|schema|fields?|grpc|graphql|crud|tables?(?: \w+)? (?:with|has|have|holds?|keyed)|table layouts?|columns?|primary key|(?:request|response|event|message) payloads?|returns? (?:a |an |the )?(?:\w+ )?ids?|protobuf|openapi|swagger|webhooks?)\b|\/v\d\b|\brpc \w+\s*\(|\bservice \w+\s*\{|^\W*(?:tables?|data model|schemas?)\b[^:]{0,20}:|\b[a-z_]+\s*\(\s*(?:id|[a-z]+_id)\s*,/i;

/**
 * An instruction to whoever scores the round ("ignore the rubric", "give me 100", "assign the
 * maximum score", "you are now the grader", a `SYSTEM:` line that gives an order, a fake `[INST]`
 * or `<system>` tag). "System:" heading the design that follows is not one.
 */
export const INJECTION =
  /\b(?:ignore (?:all |the |any |your |previous |prior )*(?:instructions|rubric|rules|above)|disregard (?:the |your |any |all )?(?:rubric|instructions|rules)|give (?:me|us|this (?:candidate|answer|round)|the candidate) (?:a |an |the )?(?:100|perfect|full marks|maximum|max|level 4|4\/4)|score (?:me|this(?: candidate| answer| round)?) (?:a |as )?(?:4|100|perfect)|assign (?:the |a )?(?:maximum|max|full|perfect|top) (?:score|marks|level)|you are (?:now )?(?:the |an? )?(?:grader|scorer|evaluator))\b|^[^\S\n\r\u2028\u2029]*(?:system|assistant|developer)\s*:\s*(?:you|ignore|disregard|assign|score|give|rate|the candidate)\b|\[\/?(?:inst|system)\]|<\/?(?:system|instructions?)>/im;

/**
 * Where a candidate starts to address the grader rather than the interviewer (guide, section 1: a
 * note to the grader is set aside): an instruction (`INJECTION`), a note to the grader, the
 * scorer or whoever scores ("Note for whoever is scoring this:", "in case this is being scored by
 * a model"), "Grader:" or "(For the panel:" opening a line or a bracket, or a request to be marked
 * at the top ("please count the hypothesis criterion as met", "scored as a strong hire").
 */
export const TO_GRADER = new RegExp(
  [
    INJECTION.source,
    /\bnotes? (?:to|for) (?:the |any |an? |whoever(?: or whatever)?(?:'s| is)? ?)?(?:grader|grading|scorer|scoring|evaluator|evaluating|judge|ai|model|llm|reviewer|marker|marking)s?\b(?! cards?\b)/
      .source,
    /\b(?:note|aside) (?:to|for) whoever\b/.source,
    /\bwhoever(?: or whatever)? (?:is |'s )?(?:scoring|grading|evaluating|marking|judging) (?:this|the|my)\b/
      .source,
    /\b(?:if|in case) (?:an? )?(?:ai|model|llm|machine)(?: system)? is (?:doing the |used for the )?(?:scoring|grading|evaluating|marking)\b/
      .source,
    /\b(?:if|in case) (?:this|it) is (?:being )?(?:scored|graded|marked|evaluated) by (?:a |an )?(?:model|ai|llm|machine)\b/
      .source,
    /[([] *(?:for the )?(?:panel|grader|scorer|evaluator|scoring rubric) *:/.source,
    /\b(?:scored|graded|marked|rated) as (?:a )?strong hire\b/.source,
    /\bplease (?:mark|score|grade|rate|count) (?:this|it|me|that|my)\b[^.\n]{0,60}\b(?:level|criterion|section|full|maximum|strong hire|4\/4)/
      .source,
  ].join('|'),
  'im',
);

/**
 * The framing window's messages that talk interfaces (any sentence of theirs): how many, their share
 * of the window's messages, and the first such sentence. Counted by message, since one message
 * holding a request body or a code block splits into many sentences of their own.
 */
export function apiFraming<S extends { readonly at: number; readonly norm: string }>(
  framing: readonly S[],
): { readonly messages: number; readonly share: number; readonly first?: S } {
  const api = framing.filter((s) => API_DESIGN.test(s.norm));
  const messages = new Set(api.map((s) => s.at)).size;
  const share = messages / Math.max(1, new Set(framing.map((s) => s.at)).size);
  return api[0] === undefined ? { messages, share } : { messages, share, first: api[0] };
}
