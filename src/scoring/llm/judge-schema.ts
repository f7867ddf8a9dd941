import { z } from 'zod';
import type { Rubric } from '../../../rubric/schema.js';

/**
 * What the judge returns for one transcript, built from the rubric so criterion and red-flag ids
 * are enums the model cannot invent. Key order matters: structured outputs generate properties in
 * schema order, so per criterion the model writes its evidence first, then the rationale, then
 * the level — it reasons from quotes to a level instead of justifying a level after the fact.
 * Structured outputs require every property, so optional values are `.nullable()`.
 */
export function judgeSchema(rubric: Rubric) {
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
        if (count !== 1) {
          ctx.addIssue({
            code: 'custom',
            path: ['criteria'],
            message: `criterion "${id}" appears ${count} times, expected once`,
          });
        }
      }
    });
}

export type JudgeSchema = ReturnType<typeof judgeSchema>;
export type Judgement = z.infer<JudgeSchema>;
