// The card's Signal–Impact–Evidence triad: each design choice put forward, and whether it is
// linked to the hypothesis and a measurement.
import { technologiesPutForward } from '../../analysis/technology.js';
import type { UntiedAnswer } from './probes.js';
import type { RoundReading } from './reader-features.js';

/**
 * Each design choice put forward, linked only where a hypothesis (`hypothesis`) was stated. Where
 * the technology flag is raised (`flagged`, the technology it names) but every choice reads tied,
 * as when the decider raises it over the rules, the one it names is shown untied: the card never
 * shows every choice linked beside the flag.
 */
export function triadOf(
  round: RoundReading,
  hypothesis: boolean,
  untied: readonly UntiedAnswer[],
  flagged?: string,
) {
  const choices: { choice: string; linked: boolean; quote: string }[] = [];
  // Linked as the red flag reads it: tied anywhere in the round, and not denied at its probe.
  const tied = new Set(round.tied);
  for (const { probe } of untied) {
    for (const t of probe.technologies) tied.delete(t);
  }
  const { all } = round;
  for (const s of all) {
    for (const choice of technologiesPutForward(s.norm)) {
      if (choices.some((c) => c.choice === choice)) continue;
      choices.push({
        choice,
        linked: hypothesis && tied.has(choice),
        quote: s.text,
      });
    }
  }
  const named = choices.find((c) => c.choice === flagged);
  if (named && choices.every((c) => c.linked)) named.linked = false;
  return { choices, linked: choices.filter((c) => c.linked).length, total: choices.length };
}
