import { z } from 'zod';
import { MAX_MINUTES } from './commands/catalogue.js';
import { DRILLS, type DrillKind } from './round/drills.js';
import type { Session, StoredMessage } from './session.js';

export const TranscriptMessageSchema = z.object({
  role: z.enum(['candidate', 'interviewer']),
  /** Seconds from the start of the round. */
  at: z.number().min(0),
  text: z.string(),
  /** Platform message id, when the transcript came from a chat round. */
  id: z.string().optional(),
});

/** The transcript format (README, "Transcript format"): what `mockdesign score` reads and a finished round exports. */
export const TranscriptSchema = z
  .object({
    prompt: z.string().trim().min(1, 'must be the prompt text'),
    /** Round length in minutes. */
    minutes: z
      .number()
      .min(1)
      .max(60 * 24 * 14),
    messages: z.array(TranscriptMessageSchema),
    /** Id of the prompt in the library, when known. */
    promptId: z.string().optional(),
    /**
     * When each phase the round reached began, in seconds (a chat or terminal round records them);
     * derived from the rubric's plan when absent.
     */
    phases: z.array(z.object({ phase: z.string(), at: z.number().min(0) })).optional(),
    /** When the round ended, in seconds: earlier than `minutes` after an early `end`. */
    endedAt: z.number().min(0).optional(),
    /** The drill's kind, when the round was a drill: it is scored on its one criterion. */
    drill: z.enum(Object.keys(DRILLS) as [DrillKind, ...DrillKind[]]).optional(),
    /**
     * `async` for a round played over hours or days: its card reads times as spans (`19 h 12 min`)
     * however short the round was. Absent, a round longer than a live round can be reads so too.
     */
    mode: z.enum(['live', 'async']).optional(),
  })
  .superRefine((t, ctx) => {
    // A clock time or milliseconds where seconds from the start belong would put every message
    // far past the end and score nonsense; a line a little late (a slow post) is fine.
    const latest = 2 * 60 * t.minutes;
    t.messages.forEach((m, i) => {
      if (m.at > latest) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'at'],
          message: `${m.at} seconds is far past the end of a ${t.minutes}-minute round; \`at\` counts seconds from the start of the round, not a clock time`,
        });
      }
    });
  });

export type Transcript = z.infer<typeof TranscriptSchema>;

/**
 * How a round's times read: as spans of hours and days for an async round (named in its
 * transcript, or longer than a live round can be: a file written by hand), else on the clock.
 */
export function transcriptMode(transcript: Pick<Transcript, 'mode' | 'minutes'>): 'live' | 'async' {
  return transcript.mode ?? (transcript.minutes > MAX_MINUTES ? 'async' : 'live');
}
export type TranscriptMessage = z.infer<typeof TranscriptMessageSchema>;

/**
 * Whether the candidate said anything in the round: without it there is nothing to score. A
 * message of blank text (a hand-written or edited file) says nothing.
 */
export function candidateSpoke(transcript: Transcript): boolean {
  return transcript.messages.some((m) => m.role === 'candidate' && m.text.trim() !== '');
}

/** What a round was asked: its question, and the context the interviewer shares with it. */
export interface Asked {
  readonly prompt: string;
  /** Absent for a prompt no longer in the library (the round keeps only its id). */
  readonly context?: string;
}

/**
 * The transcript of a round, as scored and exported. It opens with the interviewer's question and
 * its context at 0:00, as the round's first card put them: the scorer reads the interviewer's own
 * quantities there ("about 2M rated conversations per cycle") as given, not as the candidate's.
 */
export function transcriptOf(
  session: Session,
  asked: Asked,
  messages: readonly StoredMessage[],
): Transcript {
  const opening =
    asked.context === undefined
      ? []
      : [
          {
            role: 'interviewer' as const,
            at: 0,
            text: `${asked.prompt}\n\nContext: ${asked.context}`,
          },
        ];
  return {
    prompt: asked.prompt,
    promptId: session.promptId,
    minutes: session.minutes,
    phases: session.phaseStarts.map((p) => ({ ...p })),
    ...(session.endedAt === null ? {} : { endedAt: Math.round(session.endedAt) }),
    ...(session.drill ? { drill: session.drill } : {}),
    ...(session.mode === 'async' ? { mode: 'async' as const } : {}),
    messages: [
      ...opening,
      ...messages
        .filter(
          (m): m is StoredMessage & { role: 'candidate' | 'interviewer' } =>
            m.role === 'candidate' || m.role === 'interviewer',
        )
        .sort((a, b) => a.at - b.at)
        .map((m) => ({ role: m.role, at: Math.round(m.at), text: m.text, id: m.id })),
    ],
  };
}
