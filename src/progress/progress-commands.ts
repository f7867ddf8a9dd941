import type { Library } from '../../rubric/load.js';
import type { Prompt } from '../../rubric/schema.js';
import type { CommandResult, Origin } from '../commands/command.js';
import { PlatformError, UserError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Platforms } from '../platforms.js';
import type { OutgoingFile } from '../ports/chat-platform.js';
import type { SessionStore } from '../ports/session-store.js';
import {
  adaptiveReason,
  chartCard,
  exportText,
  progressCard,
} from '../presentation/progress-cards.js';
import { refusals } from '../presentation/round-replies.js';
import { adaptivePrompt, promptsStressing } from './adaptive.js';
import { exportBytes, exportOf } from './export.js';
import { chartSpecOf, type KeptRound, keptRounds, scored } from './kept-round.js';
import { RECENT_ROUNDS, trends } from './progress.js';

/** Rounds a history shows. */
export const HISTORY_ROUNDS = 10;
/** Most rounds one export holds. */
const EXPORT_ROUNDS = 1000;

export interface ProgressOptions {
  readonly library: Library;
  readonly store: SessionStore;
  readonly platforms: Platforms;
  readonly logger: Logger;
  /** Random numbers in [0, 1) for random prompts. */
  readonly random: () => number;
  /** Where `adaptive` reads a person's rounds, when not from the store (`RoundsOptions.kept`). */
  readonly kept?: KeptRounds;
}

/** A person's kept rounds, newest first, at most `limit`. */
export type KeptRounds = (
  person: Pick<Origin, 'platform' | 'user'>,
  limit: number,
) => Promise<KeptRound[]>;

/** A prompt as picked for a round or a challenge, and why when it was aimed at someone. */
export interface PromptChoice {
  readonly prompt: Prompt;
  readonly reason?: string;
}

/**
 * A person's progress in chat: `history` with each criterion's trend, `export` of every round as
 * transcript JSON (to their direct messages), and the prompts `adaptive` aims at their weakest
 * criterion.
 */
export class ProgressCommands {
  constructor(private readonly o: ProgressOptions) {}

  /**
   * The prompt for an id, `random` or `adaptive`; `adaptive` reads the rounds of `person` (the one
   * who asked, or a challenge's opener: `whose`).
   */
  async choose(
    id: string | undefined,
    person: Pick<Origin, 'platform' | 'user'>,
    whose: 'your' | 'their' = 'your',
  ): Promise<PromptChoice> {
    if (id !== 'adaptive') return { prompt: this.pick(id) };
    const rounds = this.o.kept
      ? await this.o.kept(person, RECENT_ROUNDS)
      : await keptRounds(this.o, person.platform, person.user, RECENT_ROUNDS);
    const cards = scored(rounds).map((r) => r.scorecard);
    const choice = adaptivePrompt(this.o.library, cards, this.o.random, rounds[0]?.promptId);
    return { prompt: choice.prompt, reason: adaptiveReason(choice, whose) };
  }

  /** A random prompt that stresses `criterion` (first where one does), else any. */
  stressing(criterion: string): Prompt {
    const stressing = promptsStressing(this.o.library, criterion);
    const pool = stressing.length > 0 ? stressing : [...this.o.library.prompts.values()];
    return pool[Math.floor(this.o.random() * pool.length)] as Prompt;
  }

  /** The prompt for an id or `random` (a `UserError` naming the ids for an unknown one). */
  pick(id: string | undefined): Prompt {
    const prompts = [...this.o.library.prompts.values()];
    if (id === undefined || id === 'random') {
      return prompts[Math.floor(this.o.random() * prompts.length)] as Prompt;
    }
    const prompt = this.o.library.prompts.get(id);
    if (!prompt) {
      throw new UserError(refusals.unknownPrompt(id, [...this.o.library.prompts.keys()]));
    }
    return prompt;
  }

  /**
   * `history`: the last rounds with their levels and each criterion's trend; the chart of every
   * scored round goes to the person's direct messages where the platform can send one.
   */
  async history(origin: Origin): Promise<CommandResult> {
    const recent = await keptRounds(this.o, origin.platform, origin.user, RECENT_ROUNDS);
    const cards = scored(recent).map((r) => r.scorecard);
    const card = progressCard(
      this.o.library.rubric,
      recent.slice(0, HISTORY_ROUNDS),
      trends(this.o.library.rubric, cards),
      cards.length > 0 ? await this.sendChart(origin, recent) : undefined,
      this.o.platforms.surfaceOf(origin),
    );
    return { card };
  }

  /** Sends the chart of `rounds` to the person's direct messages; says where it went. */
  private async sendChart(
    origin: Origin,
    rounds: readonly KeptRound[],
  ): Promise<'direct' | 'failed' | 'refused' | undefined> {
    const platform = this.o.platforms.for(origin.channel);
    if (!platform.direct) return undefined;
    const spec = chartSpecOf(this.o.library.rubric, rounds);
    // Loaded when first asked for: the PNG encoder is not needed to run rounds.
    const { progressChart } = await import('./chart.js');
    const file: OutgoingFile = {
      name: 'mockdesign-progress.png',
      contentType: 'image/png',
      bytes: progressChart(spec),
      title: `Your overall score and each criterion over your last ${spec.points.length} scored rounds`,
    };
    try {
      await platform.direct(origin.channel, origin.user, chartCard(spec.points.length), [file]);
      return 'direct';
    } catch (error) {
      if (error instanceof PlatformError && error.refusal) return 'refused';
      this.o.logger.warn('could not send the progress chart', { platform: platform.name, error });
      return 'failed';
    }
  }

  /** `export`: every round of the person as transcript JSON, sent to their direct messages. */
  async export(origin: Origin): Promise<CommandResult> {
    const platform = this.o.platforms.for(origin.channel);
    if (!platform.direct) throw new UserError(exportText.noDirect());
    const rounds = exportOf(
      await keptRounds(this.o, origin.platform, origin.user, EXPORT_ROUNDS, true),
    );
    if (rounds.length === 0) return { card: exportText.none(this.o.platforms.surfaceOf(origin)) };
    const file: OutgoingFile = {
      name: 'mockdesign-rounds.json',
      contentType: 'application/json',
      bytes: exportBytes(rounds),
      title: `Your ${rounds.length} mockdesign rounds`,
    };
    try {
      await platform.direct(origin.channel, origin.user, exportText.file(rounds.length), [file]);
    } catch (error) {
      // The person does not take direct messages from the bot: theirs to change, so it is said.
      if (error instanceof PlatformError && error.refusal) {
        throw new UserError(exportText.directRefused());
      }
      throw error;
    }
    return { card: exportText.sent(rounds.length) };
  }
}
