import type { OpenAI } from 'openai';
import {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  ContentFilterFinishReasonError,
  LengthFinishReasonError,
} from 'openai/core/error';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import type { Reference, Rubric } from '../../../rubric/schema.js';
import { words } from '../../analysis/sentences.js';
import { MockdesignError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { Scorer } from '../../ports/scorer.js';
import { DRILLS } from '../../round/drills.js';
import type { Transcript } from '../../transcript.js';
import type { Scorecard } from '../scorecard.js';
import { combineScorecard } from './combine.js';
import { judgeMessages } from './judge-prompt.js';
import { type Judgement, type JudgeSchema, judgeSchema } from './judge-schema.js';
import { prepareTranscript } from './turns.js';

/** Default per-attempt timeout of a judge call. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** SDK retries of 408/409/429/5xx and connection failures, with exponential backoff. */
const MAX_RETRIES = 2;
/** Judge calls per transcript when the output is unusable: the first and one retry. */
const OUTPUT_ATTEMPTS = 2;
/**
 * `engine.reason` of a scorecard after a fallback. The card is posted in the channel, so it never
 * carries the server's own error text (which can name hosts, accounts or quotas); that is logged.
 */
export const LLM_FALLBACK_REASON =
  'llm fallback: the judge could not be used, so the heuristic scored this round';

export interface LlmScorerOptions {
  /** The rubric the judge scores against; criterion and red-flag ids become schema enums. */
  readonly rubric: Rubric;
  /**
   * OpenAI client, created by the caller from `OPENAI_API_KEY` / `OPENAI_BASE_URL` (any
   * OpenAI-compatible server). Never created here, so tests hand in one pointed at a fake.
   */
  readonly client: OpenAI;
  /** Model name (`MOCKDESIGN_MODEL`). */
  readonly model: string;
  /**
   * The heuristic engine: it cross-checks every LLM card (low-confidence criteria), supplies
   * phase discipline and the triad, and scores the transcript alone when the LLM fails.
   */
  readonly fallback: Scorer;
  /**
   * Timeout of one HTTP attempt in milliseconds; the SDK retries a timed-out attempt up to twice,
   * so a hung server costs about three times this plus backoff. Default 30 000.
   */
  readonly timeoutMs?: number;
  /** Where retries and fallbacks are reported; no candidate text is logged. */
  readonly logger?: Logger;
  /** Reference answers by prompt id: the judge compares against the transcript's prompt's one. */
  readonly references?: ReadonlyMap<string, Reference>;
}

/** The judge's answer could not be used: schema violation, refusal, unparsable or truncated JSON. */
class InvalidJudgeOutput extends MockdesignError {
  constructor(message: string) {
    super('llm_output', message);
  }
}

/** Below this many words from the candidate the judge is not asked about a round. */
export const MIN_WORDS_FOR_JUDGE = 40;

/**
 * Below this many words the judge is not asked about a drill: a drill's whole answer can be one
 * sentence, and a complete hypothesis takes about ten words ("Reranking cuts hallucination 15% on
 * TruthfulQA versus top-5 retrieval"), far fewer than a round needs.
 */
export const MIN_WORDS_FOR_DRILL_JUDGE = 10;

/** The engine reason on a round's card the judge was not asked about. */
export const TOO_LITTLE_REASON = `llm skipped: fewer than ${MIN_WORDS_FOR_JUDGE} words were said, so the heuristic scored this round`;

/** The engine reason on a drill's card the judge was not asked about. */
export const TOO_LITTLE_DRILL_REASON = `llm skipped: fewer than ${MIN_WORDS_FOR_DRILL_JUDGE} words were said, so the heuristic scored this drill`;

function candidateWords(transcript: Transcript): number {
  return transcript.messages
    .filter((m) => m.role === 'candidate')
    .reduce((n, m) => n + words(m.text).length, 0);
}

/**
 * The LLM engine: one structured-output judge call per transcript, verified and combined with the
 * heuristic card, falling back to the heuristic card when the model cannot be used.
 *
 * Why one call with every criterion rather than one call per criterion: the transcript is most of
 * the prompt, so one call sends it once instead of five times (about a fifth of the input tokens
 * and cost), costs one round-trip and one rate-limit slot instead of five, and lets the judge
 * calibrate the levels against each other and against the flags and improvements, which need the
 * whole answer anyway — five isolated judges tend to credit the same sentence everywhere. What it
 * gives up (an all-or-nothing output, attention spread over five criteria) is bought back by the
 * retry, the evidence-first field order and the quote verification.
 */
export class LlmScorer implements Scorer {
  readonly name = 'llm';
  private readonly rubric: Rubric;
  private readonly client: OpenAI;
  private readonly model: string;
  private readonly fallback: Scorer;
  private readonly timeoutMs: number;
  private readonly logger: Logger | undefined;
  /** A round's answer schema; its JSON schema is the response format of rounds and drills alike. */
  private readonly schema: JudgeSchema;
  private readonly format: ReturnType<typeof zodResponseFormat<JudgeSchema>>;
  /** Set once the server has rejected `json_schema`; later calls go straight to JSON mode. */
  private jsonMode = false;
  private readonly references: ReadonlyMap<string, Reference>;

  constructor(options: LlmScorerOptions) {
    this.rubric = options.rubric;
    this.client = options.client;
    this.model = options.model;
    this.fallback = options.fallback;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.logger = options.logger;
    this.references = options.references ?? new Map();
    this.schema = judgeSchema(options.rubric);
    this.format = zodResponseFormat(this.schema, 'scorecard');
  }

  async score(transcript: Transcript): Promise<Scorecard> {
    const prepared = prepareTranscript(transcript);
    const heuristic = await this.fallback.score(prepared.transcript);
    // Too little to judge: the judge is not asked (a round started and ended at once costs
    // nothing), and the card says why.
    const [least, reason] = transcript.drill
      ? [MIN_WORDS_FOR_DRILL_JUDGE, TOO_LITTLE_DRILL_REASON]
      : [MIN_WORDS_FOR_JUDGE, TOO_LITTLE_REASON];
    if (candidateWords(prepared.transcript) < least) {
      return {
        ...heuristic,
        engine: { name: heuristic.engine.name, reason },
        ...(prepared.warnings.length > 0 ? { warnings: prepared.warnings } : {}),
      };
    }
    let judgement: Judgement;
    const usage = { tokens: 0 };
    try {
      judgement = await this.judge(prepared.transcript, usage);
    } catch (error) {
      this.logger?.warn('llm scoring failed; using the heuristic scorecard', {
        model: this.model,
        reason: this.reasonFor(error),
        ...(error instanceof APIError && error.status !== undefined
          ? { status: error.status }
          : {}),
      });
      return {
        ...heuristic,
        engine: { name: heuristic.engine.name, reason: LLM_FALLBACK_REASON },
        ...(prepared.warnings.length > 0 ? { warnings: prepared.warnings } : {}),
      };
    }
    const card = combineScorecard({
      rubric: this.rubric,
      judgement,
      heuristic,
      turns: prepared.turns,
      model: this.model,
      warnings: prepared.warnings,
      ...(transcript.drill ? { drill: DRILLS[transcript.drill] } : {}),
    });
    return { ...card, engine: { ...card.engine, tokens: usage.tokens } };
  }

  /** Asks the judge, retrying unusable output once and switching to JSON mode if told to. */
  private async judge(transcript: Transcript, usage: { tokens: number }): Promise<Judgement> {
    let last: InvalidJudgeOutput | undefined;
    for (let attempt = 0; attempt < OUTPUT_ATTEMPTS; ) {
      try {
        return await this.ask(transcript, usage);
      } catch (error) {
        if (!this.jsonMode && rejectsJsonSchema(error)) {
          // Not the model's fault, so it does not use up the retry.
          this.jsonMode = true;
          this.logger?.info('server rejected json_schema; using JSON mode', { model: this.model });
          continue;
        }
        if (!(error instanceof InvalidJudgeOutput)) throw error;
        last = error;
        attempt++;
        this.logger?.warn('llm judge output unusable', {
          model: this.model,
          attempt,
          problem: error.message,
        });
      }
    }
    throw new InvalidJudgeOutput(`invalid output twice (${last?.message ?? 'unknown'})`);
  }

  private requestOptions() {
    return { timeout: this.timeoutMs, maxRetries: MAX_RETRIES };
  }

  /** The judge's two messages for a transcript, with its prompt's reference answer if any. */
  private messages(transcript: Transcript, jsonSchema?: Record<string, unknown>) {
    const reference = transcript.promptId ? this.references.get(transcript.promptId) : undefined;
    return judgeMessages(this.rubric, transcript, { reference, jsonSchema });
  }

  /**
   * One judge call: structured output (`json_schema`), or in JSON mode the schema in the prompt;
   * the reply is parsed and validated here in both cases, so the tokens of an unusable reply
   * are counted too.
   */
  private async ask(transcript: Transcript, usage: { tokens: number }): Promise<Judgement> {
    const completion = await this.client.chat.completions.create(
      {
        model: this.model,
        temperature: 0,
        ...(this.jsonMode
          ? {
              messages: this.messages(transcript, this.format.json_schema.schema),
              response_format: { type: 'json_object' as const },
            }
          : { messages: this.messages(transcript), response_format: this.format }),
      },
      this.requestOptions(),
    );
    usage.tokens += completion.usage?.total_tokens ?? 0;
    const choice = completion.choices[0];
    if (!choice) throw new InvalidJudgeOutput('no choices in the response');
    if (choice.message.refusal) {
      throw new InvalidJudgeOutput(`refusal: ${clip(choice.message.refusal)}`);
    }
    if (choice.finish_reason === 'length') throw asInvalidOutput(new LengthFinishReasonError());
    if (choice.finish_reason === 'content_filter') {
      throw asInvalidOutput(new ContentFilterFinishReasonError());
    }
    if (!choice.message.content) throw new InvalidJudgeOutput('empty response');
    let data: unknown;
    try {
      data = JSON.parse(stripCodeFence(choice.message.content));
    } catch (error) {
      throw asInvalidOutput(error);
    }
    const result = this.schemaFor(transcript).safeParse(data);
    if (!result.success) throw asInvalidOutput(result.error);
    return result.data;
  }

  /**
   * What a usable answer holds for a transcript: a level for every criterion of a round, for a
   * drill's one criterion alone (any other the judge adds is not used).
   */
  private schemaFor(transcript: Transcript): JudgeSchema {
    return transcript.drill
      ? judgeSchema(this.rubric, [DRILLS[transcript.drill].criterion])
      : this.schema;
  }

  /** A short reason for a failed judge call, for the log (not the card: it quotes the server). */
  private reasonFor(error: unknown): string {
    if (error instanceof InvalidJudgeOutput) return error.message;
    if (error instanceof APIConnectionTimeoutError) {
      return `timed out after ${this.timeoutMs} ms (${MAX_RETRIES + 1} attempts)`;
    }
    if (error instanceof APIConnectionError) return `connection failed: ${clip(error.message)}`;
    if (error instanceof APIError && error.status !== undefined) {
      return `HTTP ${error.status}: ${clip(error.message)}`;
    }
    return clip(error instanceof Error ? error.message : String(error));
  }
}

/** HTTP 400 from a server that does not support `response_format: json_schema`. */
function rejectsJsonSchema(error: unknown): boolean {
  if (!(error instanceof APIError) || error.status !== 400) return false;
  return /response_format|json_schema/i.test(`${error.message} ${JSON.stringify(error.error)}`);
}

/** Turns the SDK's and zod's parse failures into `InvalidJudgeOutput`; rethrows anything else. */
function asInvalidOutput(error: unknown): unknown {
  if (error instanceof z.ZodError) {
    const issue = error.issues[0];
    const path = issue?.path.length ? issue.path.join('.') : '(top level)';
    return new InvalidJudgeOutput(`schema violation at ${path}: ${issue?.message ?? 'invalid'}`);
  }
  if (error instanceof SyntaxError) return new InvalidJudgeOutput('unparsable JSON');
  if (error instanceof LengthFinishReasonError) {
    return new InvalidJudgeOutput('output truncated at the token limit');
  }
  if (error instanceof ContentFilterFinishReasonError) {
    return new InvalidJudgeOutput('output stopped by the content filter');
  }
  return error;
}

/** Some JSON-mode servers still wrap the object in a Markdown code fence. */
function stripCodeFence(text: string): string {
  const fenced = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return fenced?.[1] ?? text;
}

function clip(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}
