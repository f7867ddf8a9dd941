import type { Reference, Rubric } from '../../rubric/schema.js';

/** A quote from the candidate's transcript backing a level or a flag. */
export interface Evidence {
  readonly quote: string;
  /** Round seconds of the message it comes from. */
  readonly at: number;
  /** Platform message id, when known (adapters turn it into a link). */
  readonly messageId?: string;
}

export interface CriterionScore {
  readonly id: string;
  readonly name: string;
  /** Percentage weight. */
  readonly weight: number;
  /** Level 0..4. */
  readonly level: number;
  /** One line on why this level. */
  readonly rationale: string;
  readonly evidence: readonly Evidence[];
  /** Set when two engines disagreed by two levels or more. */
  readonly lowConfidence?: boolean;
}

export interface FlagHit {
  readonly id: string;
  readonly name: string;
  readonly quote: string;
  readonly at: number;
  readonly messageId?: string;
  /**
   * What the flag is about where its quote does not name it: the technology a probe asked about,
   * when the answer quoted says "it" ("Without it we couldn't attribute effects").
   */
  readonly about?: string;
}

/** One suggestion; `before`/`after` rewrite one of the candidate's sentences in research-first form. */
export interface Improvement {
  readonly text: string;
  /** The criterion it would raise, when it is about one (a drill's card shows only its own). */
  readonly criterion?: string;
  readonly before?: string;
  readonly after?: string;
}

export interface PhaseTime {
  readonly id: string;
  readonly name: string;
  /** Round seconds spent in the phase. */
  readonly seconds: number;
  /** Words the candidate wrote in it. */
  readonly words: number;
}

/** The platform-neutral scorecard every renderer (Block Kit, embed, text, JSON) starts from. */
export interface Scorecard {
  readonly prompt: string;
  readonly minutes: number;
  /**
   * How its times read: `async` as spans of hours and days, `live` on the clock (see
   * `transcriptMode`). Absent on cards kept before it was recorded: read from `minutes` then.
   */
  readonly mode?: 'live' | 'async';
  /** Weighted levels, 0..100. */
  readonly overall: number;
  readonly band: string;
  readonly criteria: readonly CriterionScore[];
  readonly flags: readonly FlagHit[];
  readonly phaseDiscipline: {
    /** Round seconds of the first hypothesis, or null when none was stated. */
    readonly hypothesisAt: number | null;
    /** Whether it came inside the framing window. */
    readonly hypothesisInFraming: boolean;
    readonly phases: readonly PhaseTime[];
  };
  /** Signal–Impact–Evidence: design choices named, and how many were tied to the hypothesis and a measurement. */
  readonly triad: {
    readonly choices: readonly {
      readonly choice: string;
      readonly linked: boolean;
      readonly quote: string;
    }[];
    readonly linked: number;
    readonly total: number;
  };
  readonly improvements: readonly Improvement[];
  readonly engine: {
    /** `heuristic` or `llm`. */
    readonly name: string;
    /** Model name for the LLM engine. */
    readonly model?: string;
    /** Why this engine scored it, e.g. after a fallback. */
    readonly reason?: string;
    /** Tokens the LLM judge's calls used for this card (prompt and completion, retries too). */
    readonly tokens?: number;
  };
  /** What a strong answer to the prompt looked like (the prompt's reference), when it has one. */
  readonly reference?: Reference;
  /**
   * Things a reader of the card should know about how it was scored: prompt-injection attempts
   * found in the candidate's text, invisible characters removed, judge quotes that were dropped.
   */
  readonly warnings?: readonly string[];
}

/** Overall 0..100 from levels 0..4 and percentage weights. */
export function overallScore(levels: readonly { weight: number; level: number }[]): number {
  // In whole numbers until the one division, so a half rounds up as the guide says (57.5 → 58;
  // the same sum in fractions of 4 came to 57.49999… and rounded down).
  const total = levels.reduce((sum, c) => sum + c.weight, 0);
  const points = levels.reduce((sum, c) => sum + c.weight * c.level, 0);
  return total === 0 ? 0 : Math.round((points * 100) / (4 * total));
}

/** The rubric's band for an overall score. */
export function bandFor(rubric: Rubric, overall: number): string {
  const bands = [...rubric.bands].sort((a, b) => b.min - a.min);
  return (bands.find((b) => overall >= b.min) ?? bands[bands.length - 1])?.label ?? '';
}
