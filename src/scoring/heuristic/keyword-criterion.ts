// A criterion the engine has no rule of its own for: read by the rubric's key ideas for it.
import type { Scored } from './criterion-level.js';
import type { Sentence } from './sentence.js';

/** The share of the rubric's key ideas the answer mentions, as a level of 0..4. */
export function byKeywords(keywords: readonly string[], list: readonly Sentence[]): Scored {
  const lower = keywords.map((k) => k.toLowerCase());
  const hits = lower.filter((k) => list.some((s) => s.norm.toLowerCase().includes(k)));
  const level = Math.min(4, Math.round((hits.length / Math.max(1, lower.length)) * 4));
  return {
    counted: level,
    caps: [],
    found: `Mentions ${hits.length} of ${lower.length} key ideas`,
    evidence: list.filter((s) => lower.some((k) => s.norm.toLowerCase().includes(k))),
    missing: lower.filter((k) => !hits.includes(k)),
  };
}
