/** Splits text into sentences, keeping decimals ("1.5x"), abbreviations ("e.g.") and bullets intact. */
export function sentences(text: string): string[] {
  return sentenceClauses(text).flat();
}

/**
 * The sentences of a text, each as its clauses (the parts between semicolons): a clause is
 * quoted on its own, but whether it says something is judged with the rest of its sentence.
 */
export function sentenceClauses(text: string): string[][] {
  return text
    .replace(/\b(e\.g|i\.e|vs|etc|approx)\./gi, (m) => m.replace(/\./g, '\u2024'))
    .split(/(?<=[.!?])(?<!(?:^|\n)[ \t]*\d{1,2}\.)\s+(?=[A-Za-z0-9"'(])|\n+/)
    .map((sentence) =>
      sentence
        .split(/(?<=;)\s+/)
        .map((s) =>
          s
            .replace(/\u2024/g, '.')
            .replace(/^\s*(?:[-*•]|\d+[.)])\s+/, '')
            .trim(),
        )
        .filter((s) => s.length > 0),
    )
    .filter((clauses) => clauses.length > 0);
}

/** Lower-case word tokens (letters, digits, `%`, `/`, `-` inside words). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9][a-z0-9%/'-]*/g) ?? [];
}
