// The quantities the interviewer gave (the prompt's "300M requests a day"): repeating them adds
// nothing of the candidate's own (labelling guide, section 1), so every reader masks them.

/** A quantity as written: 300M, 0.1%, 5k, $1, 2,000, 30 TB. */
const QUANTITY = /\$?\d[\d,.]*(?:\s?(?:%|[kmb]\b|tb\b|gb\b|pb\b|ms\b))?/gi;

/** A quantity as a key: `5k` and `5 K`, `2,000` and `2000` are one. */
function quantityKey(quantity: string): string {
  return quantity.toLowerCase().replace(/[\s,]/g, '');
}

/** The quantities worth masking in what the interviewer `said`: with a unit or of two digits or more. */
export function givenQuantities(said: readonly string[]): ReadonlySet<string> {
  const given = new Set<string>();
  for (const text of said) {
    for (const [q] of text.matchAll(QUANTITY)) {
      const key = quantityKey(q);
      if (/\D/.test(key.replace('.', '')) || key.length >= 2) given.add(key);
    }
  }
  return given;
}

/** `text` with the `given` quantities replaced by a word, so they neither size nor count. */
export function maskGiven(text: string, given: ReadonlySet<string>): string {
  if (given.size === 0) return text;
  return text.replace(QUANTITY, (q) => (given.has(quantityKey(q)) ? 'given' : q));
}
