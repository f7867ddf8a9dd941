// What the heuristic card quotes of the candidate's sentences, and how each criterion gets quotes
// of its own: no quote, nor any sentence or bullet line of one, appears twice on a card.
import { sentences, words } from '../../analysis/sentences.js';
import type { Evidence } from '../scorecard.js';
import type { Sentence } from './sentence.js';

/** Fewer words than this make no quote on their own ("H1:", "Hi.", "Ok, first what I believe."). */
const MIN_QUOTE_WORDS = 6;

/** The most quotes a criterion shows. */
const QUOTES_PER_CRITERION = 2;

/**
 * A sentence or bullet line shorter than this is not compared across quotes: two quotes may both
 * open with "Yes." or "Fixed:".
 */
const MIN_PART_WORDS = 3;

/**
 * What the card quotes for a sentence: the sentence, and where it is only a head or a greeting
 * ("H1:", "Beliefs:", "Ok, first what I believe."), the sentences of its message that follow it,
 * until the quote says something; with `through`, at least up to that sentence of the same message
 * (a claim whose numbers come in the lines after it).
 */
export function quoteOf(s: Sentence, through?: Sentence): string {
  const rest = sentences(s.message);
  const first = rest.indexOf(s.text);
  const last = through ? rest.indexOf(through.text, first + 1) : -1;
  let next = first + 1;
  let quote = s.text;
  let end = s.message.indexOf(s.text) + s.text.length;
  const unfinished = () => words(quote).length < MIN_QUOTE_WORDS || /:$/.test(quote);
  while (next > 0 && next < rest.length && (next <= last || unfinished())) {
    const part = rest[next] as string;
    const start = s.message.indexOf(part, end);
    // A line of its own (a bullet) stays apart from a whole line before it: "a / b", as quoted
    // verse; a head ("Threats:") runs on into what it heads.
    const newLine = start > end && s.message.slice(end, start).includes('\n');
    quote += newLine && !/:$/.test(quote) ? ` / ${part}` : ` ${part}`;
    if (start >= 0) end = start + part.length;
    next++;
  }
  // A head that ends its message ("here's the default:") heads what comes in the next one: the
  // quote says that something follows rather than stopping on the colon.
  return /:$/.test(quote) ? `${quote} …` : quote;
}

/** A quote as compared with the others on the card: its words, in order. */
function quoteKey(quote: string): string {
  return words(quote).join(' ');
}

/**
 * The sentences and bullet lines a quote holds, as compared across the card, each without the head
 * it runs on from ("Plan: collect long docs" holds "collect long docs").
 */
function partsOf(quote: string): string[] {
  return quote
    .split(' / ')
    .flatMap((line) => sentences(line))
    .flatMap((part) => [part, ...part.split(/(?<=:)\s+/).slice(1)])
    .map(quoteKey)
    .filter((part) => part.split(' ').length >= MIN_PART_WORDS);
}

/** A quote as the card compares it: its words (`quoteKey`) and its parts (`partsOf`). */
interface Compared {
  readonly key: string;
  readonly parts: readonly string[];
}

const compared = (quote: string): Compared => ({ key: quoteKey(quote), parts: partsOf(quote) });

/** `compared`, each quote worked out once: for the many comparisons of one card's quotes. */
function comparedOnce(): (quote: string) => Compared {
  const seen = new Map<string, Compared>();
  return (quote) => {
    let c = seen.get(quote);
    if (!c) {
      c = compared(quote);
      seen.set(quote, c);
    }
    return c;
  };
}

/** The quotes already on a card, as a new one is compared with them. */
export class QuotedOnCard {
  private readonly keys = new Set<string>();
  private readonly parts = new Set<string>();

  constructor(private readonly compare: (quote: string) => Compared = compared) {}

  /** Puts a quote on the card. */
  add(quote: string): void {
    const { key, parts } = this.compare(quote);
    this.keys.add(key);
    for (const part of parts) this.parts.add(part);
  }

  /**
   * Whether a quote repeats what the card shows: the same words, words one of them holds whole
   * ("Initial thoughts: red-teaming is critical" and "Red-teaming is critical"), or a sentence or
   * bullet line of one ("a / b" and "b / c" both hold "b").
   */
  has(quote: string): boolean {
    const { key, parts } = this.compare(quote);
    for (const other of this.keys) if (other.includes(key) || key.includes(other)) return true;
    return parts.some((part) => this.parts.has(part));
  }
}

export function toEvidence(s: Sentence, through?: Sentence): Evidence {
  const quote = quoteOf(s, through);
  return s.messageId === undefined
    ? { quote, at: s.at }
    : { quote, at: s.at, messageId: s.messageId };
}

/** One criterion's sentences as the card may quote them, most telling first. */
export interface QuoteSource {
  readonly evidence: readonly Sentence[];
  /** Where a sentence's quote must run on to (see `quoteOf`). */
  readonly through?: ReadonlyMap<Sentence, Sentence>;
  /** Quotes the card shows elsewhere (a red flag's) that this criterion does not repeat. */
  readonly avoid?: QuotedOnCard;
  /**
   * Its quotes go together and are taken before any other criterion's (the hypothesis: the claim
   * and what completed it, a baseline stated apart or the numbers of the next message).
   */
  readonly together?: boolean;
}

/**
 * Each criterion's quotes: first those that go together (see `QuoteSource`), then the others' in
 * turns: every criterion takes its most telling sentence not yet on the card before any takes a
 * second, so one criterion's second quote never leaves another with none. In a turn, criteria pick
 * in the rubric's order, each passing over a sentence that is all a criterion still to pick has
 * left, where it has another of its own.
 */
export function pickQuotes(sources: readonly QuoteSource[]): Evidence[][] {
  // The same quotes are compared again in every turn: each is split into its parts once.
  const compare = comparedOnce();
  const quoted = new QuotedOnCard(compare);
  const picked: Evidence[][] = sources.map(() => []);
  // Each sentence's quote is worked out once; what is left of it is what the card does not show.
  const quotable = sources.map((source) =>
    source.evidence
      .map((s) => toEvidence(s, source.through?.get(s)))
      .filter((e) => !source.avoid?.has(e.quote)),
  );
  const open = (i: number) => (quotable[i] ?? []).filter((e) => !quoted.has(e.quote));
  const take = (i: number, evidence: Evidence) => {
    quoted.add(evidence.quote);
    (picked[i] as Evidence[]).push(evidence);
  };
  for (const [i, source] of sources.entries()) {
    if (!source.together) continue;
    for (let n = 0; n < QUOTES_PER_CRITERION; n++) {
      const next = open(i)[0];
      if (!next) break;
      take(i, next);
    }
  }
  for (let turn = 0; turn < QUOTES_PER_CRITERION; turn++) {
    const waiting = sources.flatMap((source, i) =>
      !source.together && (picked[i] as Evidence[]).length === turn ? [i] : [],
    );
    for (const [w, i] of waiting.entries()) {
      const options = open(i);
      // What a criterion still to pick in this turn has as its one option.
      const last = new QuotedOnCard(compare);
      for (const j of waiting.slice(w + 1)) {
        const theirs = open(j);
        if (theirs.length === 1) last.add((theirs[0] as Evidence).quote);
      }
      const next = options.find((e) => !last.has(e.quote)) ?? options[0];
      if (next) take(i, next);
    }
  }
  return picked;
}
