import { z } from 'zod';
import { isReservedCueId } from '../src/round/events.js';

/** Ids are lower_snake or kebab case so they are safe inside job ids and addresses. */
const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, "-" or "_" (no spaces or ":")');

const Text = z.string().trim().min(1, 'must not be empty');

/** One phase of the round, in minutes of the rubric's nominal round length. */
export const PhaseSchema = z.strictObject({
  /** Stable id, e.g. `framing`. */
  id: Id,
  /** Human name, e.g. "Framing". */
  name: Text,
  /** Length in minutes of the nominal round; scaled with the round's real length. */
  minutes: z.number().positive(),
  /** What the candidate should do in this phase (shown in the phase plan). */
  goal: Text,
  /** What the interviewer says when the phase opens (not used for the first phase). */
  opening: Text,
});

/** A scored criterion with its level descriptors 0..4. */
export const CriterionSchema = z.strictObject({
  id: Id,
  name: Text,
  /** Percentage weight; the weights of a rubric sum to 100. */
  weight: z.number().positive().max(100),
  /** Exactly five descriptors, for levels 0, 1, 2, 3 and 4. */
  levels: z.array(Text).length(5, 'give exactly five level descriptors, for levels 0 to 4'),
  /**
   * Words and phrases that count as evidence for a criterion the heuristic scorer has no
   * built-in features for. Required for such criteria; ignored for built-in ones.
   */
  keywords: z.array(Text).optional(),
});

export const FlagSchema = z.strictObject({
  id: Id,
  name: Text,
  description: Text,
});

export const BandSchema = z.strictObject({
  /** Lowest overall score (0..100) that earns this band. */
  min: z.number().min(0).max(100),
  label: Text,
});

/**
 * A timed interviewer event. `at` is a minute of the nominal round and scales with the round's
 * real length. Texts may use `{pivot}`, `{prompt}`, `{elapsed}` and `{remaining}` (spans of the
 * round's real clock, e.g. "12 minutes", "33 seconds").
 */
export const EventSchema = z.strictObject({
  /** Not `end` or `score`, and not starting with `phase-`, `probe-` or `nudge-`: those are taken. */
  id: Id.refine((id) => !isReservedCueId(id), {
    message:
      'is reserved for the round\'s own events ("end", "score", "phase-…", "probe-…", "nudge-…"): choose another id',
  }),
  at: z.number().min(0),
  /** The event applies only while the round is in this phase. */
  phase: Id,
  /** `no_hypothesis`: fire only if no hypothesis has been stated yet. */
  when: z.enum(['always', 'no_hypothesis']).default('always'),
  text: Text,
});

export const ProbeSchema = z.strictObject({
  /** At most this many technology probes in one round. */
  maxPerRound: z.number().int().min(0),
  /** Minimum nominal minutes between two probes. */
  minGapMinutes: z.number().min(0),
  /** Nominal seconds between the candidate's message and the probe. */
  delaySeconds: z.number().min(0),
  /** Probe text; `{technology}` is the technology the candidate named. */
  text: Text,
});

/** A time of day, `HH:MM` on a 24-hour clock. */
const TimeOfDay = z
  .string()
  .regex(
    /^([01]\d|2[0-3]):[0-5]\d$/,
    'write a time of day as HH:MM on a 24-hour clock, e.g. "22:00"',
  );

/**
 * The candidate's night, in their own time zone: a nudge due from `from` until `until` waits for
 * `until`. The same time twice leaves no night.
 */
export const QuietHoursSchema = z.strictObject({
  from: TimeOfDay,
  until: TimeOfDay,
});

export const NudgeSchema = z.strictObject({
  /** Quiet time, as a fraction of the round, before an async round is nudged. */
  afterFraction: z.number().positive().max(1),
  text: Text,
  /**
   * The nudge in the last phase, where `next` ends the round instead of moving on (default:
   * `text`).
   */
  lastPhase: Text.optional(),
  /**
   * The candidate's night (default 22:00 to 08:00), where their time zone is known (given with
   * `--tz`, from their platform's profile, or from their reminder): a nudge due in it comes at
   * `until`, or not at all if the round ends first.
   */
  quietHours: QuietHoursSchema.default({ from: '22:00', until: '08:00' }),
});

/**
 * What the interviewer says as a round ends, by how it ended. Texts may use `{elapsed}` and
 * `{prompt}` like events.
 */
export const ClosingSchema = z.strictObject(
  {
    /** Time is up. */
    time: Text,
    /** The candidate ended the round before its time (`end`, or `next` from the last phase). */
    early: Text,
    /** The round ended with no answer from the candidate at all. */
    silent: Text,
  },
  { error: 'give the closing lines as { time, early, silent }: see rubric/default/rubric.yaml' },
);

export const RubricSchema = z
  .strictObject({
    id: Id,
    name: Text,
    /** Nominal round length in minutes; phases and events are written against it. */
    minutes: z.number().positive(),
    phases: z.array(PhaseSchema).min(1),
    criteria: z.array(CriterionSchema).min(1),
    flags: z.array(FlagSchema),
    bands: z.array(BandSchema).min(1),
    events: z.array(EventSchema),
    probe: ProbeSchema,
    nudge: NudgeSchema,
    closing: ClosingSchema,
  })
  .superRefine((rubric, ctx) => {
    const weights = rubric.criteria.reduce((sum, c) => sum + c.weight, 0);
    if (Math.abs(weights - 100) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['criteria'],
        message: `criterion weights must sum to 100, they sum to ${weights}`,
      });
    }
    const minutes = rubric.phases.reduce((sum, p) => sum + p.minutes, 0);
    if (Math.abs(minutes - rubric.minutes) > 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: ['phases'],
        message: `phase minutes must sum to the round's ${rubric.minutes} minutes, they sum to ${minutes}`,
      });
    }
    for (const [key, list] of [
      ['phases', rubric.phases],
      ['criteria', rubric.criteria],
      ['flags', rubric.flags],
      ['events', rubric.events],
    ] as const) {
      const seen = new Set<string>();
      list.forEach((item, index) => {
        if (seen.has(item.id)) {
          ctx.addIssue({
            code: 'custom',
            path: [key, index, 'id'],
            message: `duplicate id "${item.id}"`,
          });
        }
        seen.add(item.id);
      });
    }
    const phaseIds = new Set(rubric.phases.map((p) => p.id));
    rubric.events.forEach((event, index) => {
      if (!phaseIds.has(event.phase)) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'phase'],
          message: `unknown phase "${event.phase}"; use one of ${[...phaseIds].join(', ')}`,
        });
      }
      if (event.at > rubric.minutes) {
        ctx.addIssue({
          code: 'custom',
          path: ['events', index, 'at'],
          message: `minute ${event.at} is after the end of the ${rubric.minutes}-minute round`,
        });
      }
    });
  });

/** A research-design prompt from the library. */
/** A model answer to a prompt, in the four parts a strong candidate covers. */
export const ReferenceSchema = z.strictObject({
  /** A quantitative, falsifiable hypothesis: direction, metric, baseline and expected effect. */
  hypothesis: Text,
  /** The experiment in a few lines: what varies, what is held fixed, what is measured. */
  experiment: Text,
  /** The key scale estimate, derived from what the experiment needs. */
  scale: Text,
  /** The top threats to the result's validity, each with what to do about it. */
  threats: z.array(Text).min(1).max(5),
});

export const PromptSchema = z.strictObject({
  /** Stable id used in `start <id>`. */
  id: Id,
  /** Short title for lists. */
  title: Text,
  /** The question as the candidate sees it. */
  prompt: Text,
  /** Background and constraints the interviewer can share. */
  context: Text,
  /** The interviewer's mid-round pivot (a changed constraint or goal). */
  pivot: Text,
  /** Follow-up probes for the research-impact deep dive. */
  probes: z.array(Text).min(1),
  /** Free-form tags for browsing. */
  tags: z.array(Id).default([]),
  /**
   * The rubric criteria this prompt puts most weight on, by id: `start adaptive` picks a prompt
   * that stresses the person's weakest criterion.
   */
  stresses: z.array(Id).default([]),
  /**
   * What a strong answer looked like: shown at the end of the scorecard, and given to the LLM
   * judge as its reference answer.
   */
  reference: ReferenceSchema.optional(),
});

export type Phase = z.infer<typeof PhaseSchema>;
export type Criterion = z.infer<typeof CriterionSchema>;
export type Flag = z.infer<typeof FlagSchema>;
export type Band = z.infer<typeof BandSchema>;
export type RubricEvent = z.infer<typeof EventSchema>;
export type QuietHours = z.infer<typeof QuietHoursSchema>;
export type Rubric = z.infer<typeof RubricSchema>;

/** The interviewer's probe about `technology`, as the rubric words it. */
export function probeText(rubric: Pick<Rubric, 'probe'>, technology: string): string {
  return rubric.probe.text.replaceAll('{technology}', technology);
}
export type Prompt = z.infer<typeof PromptSchema>;
export type Reference = z.infer<typeof ReferenceSchema>;
