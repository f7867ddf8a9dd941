// The card's Signal–Impact–Evidence triad: each design choice put forward, and whether it is
// linked to the hypothesis and a measurement.
import { technologiesPutForward } from '../../analysis/technology.js';
import type { UntiedAnswer } from './probes.js';
import type { RoundReading } from './reader-features.js';

/**
 * Each design choice put forward, linked only where a hypothesis (`hypothesis`) was stated, and
 * never the one the technology flag names (`flagged`: the decider may raise it where the rules read
 * every technology tied, and the card must not show it linked beside the flag).
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
  if (flagged) tied.delete(flagged);
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
  return { choices, linked: choices.filter((c) => c.linked).length, total: choices.length };
}
