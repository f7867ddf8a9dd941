import type { Evidence } from '../scorecard.js';
import type { CandidateTurn } from './turns.js';

/** Shorter quotes ("the", "p99") match almost anything and prove nothing. */
const MIN_WORDS = 2;
const MIN_CHARS = 8;

/**
 * The form quotes and turns are compared in: NFKC, lower case, typographic quotes, dashes and
 * ellipses folded to ASCII, backslashes (JSON escapes echoed back) dropped, whitespace collapsed.
 */
export function normaliseForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’‚‛′`]/g, "'")
    .replace(/[“”„‟″]/g, '"')
    .replace(/[‐‑‒–—―−]/g, '-')
    .replace(/…/g, '...')
    .replace(/\\/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A quote as the judge wrote it, without the quotation marks and bullets it often wraps it in. */
export function cleanQuote(quote: string): string {
  return quote
    .trim()
    .replace(/^["'“”‘’«»‹›\s-]+|["'“”‘’«»‹›\s]+$/g, '')
    .trim();
}

/** Whether every `...`-separated fragment of `quote` occurs in `turn`, in order. */
function occursIn(fragments: readonly string[], turn: string): boolean {
  let from = 0;
  for (const fragment of fragments) {
    const at = turn.indexOf(fragment, from);
    if (at < 0) return false;
    from = at + fragment.length;
  }
  return true;
}

/**
 * Finds a judge's quote in the candidate's turns: in the turn it names first, then in any other
 * candidate turn (models miscount turns more often than they invent words). Returns evidence
 * timed and linked to the turn where it was found, or `undefined` when the candidate never said it.
 */
export function verifyQuote(
  quote: string,
  turn: number,
  turns: readonly CandidateTurn[],
): Evidence | undefined {
  const text = cleanQuote(quote);
  const fragments = normaliseForMatch(text)
    .split(/\s*\.\.\.\s*/)
    .map((f) => f.replace(/^[\s.,;:!?]+|[\s.,;:!?]+$/g, ''))
    .filter((f) => f.length > 0);
  const joined = fragments.join(' ');
  if (joined.length < MIN_CHARS || joined.split(' ').length < MIN_WORDS) return undefined;
  const named = turns.find((t) => t.turn === turn);
  const ordered = named ? [named, ...turns.filter((t) => t !== named)] : turns;
  const found = ordered.find((t) => occursIn(fragments, normaliseForMatch(t.text)));
  if (!found) return undefined;
  return found.messageId === undefined
    ? { quote: text, at: found.at }
    : { quote: text, at: found.at, messageId: found.messageId };
}

/** Whether `sentence` is something the candidate wrote (for an improvement's "before"). */
export function saidByCandidate(sentence: string, turns: readonly CandidateTurn[]): boolean {
  return verifyQuote(sentence, 0, turns) !== undefined;
}
