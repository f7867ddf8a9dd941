import { z } from 'zod';
import type { Rubric } from '../../../rubric/schema.js';

/**
 * What the judge returns for one transcript, built from the rubric so criterion and red-flag ids
 * are enums the model cannot invent. Key order matters: structured outputs generate properties in
 * schema order, so per criterion the model writes its evidence first, then the rationale, then
 * the level — it reasons from quotes to a level instead of justifying a level after the fact.
 * Structured outputs require every property, so optional values are `.nullable()`.
 *
 * `scored` are the criteria the judge must give a level for: all of a round's (the default), or a
 * drill's one; any other criterion may come at most once and is not used. The JSON schema sent is
 * the same either way (it cannot say "each criterion once"), so one response format serves both.
 */
export function judgeSchema(
  rubric: Rubric,
  scored: readonly string[] = rubric.criteria.map((c) => c.id),
) {
  const criterionIds = rubric.criteria.map((c) => c.id) as [string, ...string[]];
  const flagIds = rubric.flags.map((f) => f.id);
  const Quote = z.object({
    /** Candidate turn number, as numbered in the transcript block. */
    turn: z.int().min(1).max(9999),
    /** Verbatim words of the candidate from that turn. */
    quote: z.string(),
  });
  return z
    .object({
      criteria: z.array(
        z.object({
          id: z.enum(criterionIds),
          evidence: z.array(Quote),
          rationale: z.string(),
          level: z.int().min(0).max(4),
        }),
      ),
      flags: z.array(
        z.object({
          // A rubric without red flags still needs a valid schema; unknown ids are dropped later.
          id: flagIds.length > 0 ? z.enum(flagIds as [string, ...string[]]) : z.string(),
          turn: z.int().min(1).max(9999),
          quote: z.string(),
        }),
      ),
      improvements: z.array(
        z.object({
          /**
           * The criterion the advice would raise, or null: a drill keeps only advice on its own.
           * Optional too, so a JSON-mode answer that leaves it out still validates.
           */
          criterion: z.enum(criterionIds).nullable().optional(),
          text: z.string(),
          before: z.string().nullable(),
          after: z.string().nullable(),
        }),
      ),
      injection_detected: z.boolean(),
    })
    .superRefine((value, ctx) => {
      // A JSON schema cannot say "each criterion exactly once"; a missing or repeated one is a
      // schema violation like any other, so it earns the same single retry.
      for (const id of criterionIds) {
        const count = value.criteria.filter((c) => c.id === id).length;
        const required = scored.includes(id);
        if (count > 1 || (required && count === 0)) {
          ctx.addIssue({
            code: 'custom',
            path: ['criteria'],
            message: `criterion "${id}" appears ${count} times, expected ${required ? 'once' : 'at most once'}`,
          });
        }
      }
    });
}

export type JudgeSchema = ReturnType<typeof judgeSchema>;
export type Judgement = z.infer<JudgeSchema>;
