import type { Library } from '../../rubric/load.js';
import type { Criterion, Prompt } from '../../rubric/schema.js';
import type { Scorecard } from '../scoring/scorecard.js';
import { weakestCriterion } from './progress.js';

/** Why `adaptive` picked a prompt: the criterion it aims at, or nothing to aim at yet. */
export type AdaptiveChoice =
  | {
      readonly prompt: Prompt;
      readonly weakest: {
        readonly criterion: Criterion;
        readonly mean: number;
        readonly rounds: number;
      };
    }
  | {
      readonly prompt: Prompt;
      readonly weakest?: undefined;
      readonly why: 'no_rounds' | 'no_prompt';
    };

/**
 * A prompt that stresses the person's weakest criterion over their recent scored rounds (`cards`,
 * newest first): one that lists it first in `stresses` where there is one, else one that lists it
 * at all; the prompt of their last round only when nothing else fits. With no scored rounds, or
 * no prompt stressing it, a random prompt.
 */
export function adaptivePrompt(
  library: Library,
  cards: readonly Scorecard[],
  random: () => number,
  lastPromptId?: string,
): AdaptiveChoice {
  const prompts = [...library.prompts.values()];
  const pick = (pool: readonly Prompt[]) => pool[Math.floor(random() * pool.length)] as Prompt;
  const weakest = weakestCriterion(library.rubric, cards);
  if (!weakest) return { prompt: pick(prompts), why: 'no_rounds' };
  const stressing = promptsStressing(library, weakest.criterion.id);
  if (stressing.length === 0) return { prompt: pick(prompts), why: 'no_prompt' };
  const fresh = stressing.filter((p) => p.id !== lastPromptId);
  return { prompt: pick(fresh.length > 0 ? fresh : stressing), weakest };
}

/**
 * The prompts that stress `criterion`: those that list it first where there are any (it is what
 * they are about), else those that list it at all; none when no prompt does.
 */
export function promptsStressing(library: Library, criterion: string): Prompt[] {
  const prompts = [...library.prompts.values()];
  const first = prompts.filter((p) => p.stresses[0] === criterion);
  return first.length > 0 ? first : prompts.filter((p) => p.stresses.includes(criterion));
}
