/**
 * The cards of a person's progress: their history with each criterion's trend, why `adaptive`
 * picked a prompt, and the answers to `export`. Each sentence is written once, here.
 */
import type { Rubric } from '../../rubric/schema.js';
import type { AdaptiveChoice } from '../progress/adaptive.js';
import type { KeptRound } from '../progress/kept-round.js';
import type { Trend } from '../progress/progress.js';
import { DRILLS } from '../round/drills.js';
import type { Card, Line } from './card.js';
import { count, roundLength } from './format.js';
import { type Surface, startUsage } from './help-card.js';
import { noticeCard } from './replies.js';

/** A criterion's short label: the first word of its name ("Hypothesis", "Experimental"). */
export function shortLabel(name: string): string {
  return name.split(/\s+/)[0] ?? name;
}

/** Why `adaptive` picked the prompt it did, in one sentence. */
export function adaptiveReason(choice: AdaptiveChoice, whose: 'your' | 'their'): string {
  if (!choice.weakest) {
    return choice.why === 'no_rounds'
      ? `Picked at random: ${whose === 'your' ? 'you have' : 'its opener has'} no scored rounds yet, so there is no weakest criterion to aim at.`
      : 'Picked at random: no prompt in the library stresses the weakest criterion.';
  }
  const { criterion, mean, rounds } = choice.weakest;
  const owner = whose === 'your' ? 'your' : 'the opener’s';
  return `Picked for ${owner} weakest criterion, ${criterion.name} (mean level ${mean.toFixed(1)} of 4 over the last ${count(rounds, 'scored round')}): this prompt stresses it.`;
}

const ARROWS: Readonly<Record<Trend['direction'], string>> = {
  up: '↑',
  down: '↓',
  steady: '→',
  new: '',
};

/** One criterion's trend: `Hypothesis 2.7 ↑ (from 2.0)`. */
function trendLine(trend: Trend): Line {
  const now = trend.recent.toFixed(1);
  const tail = trend.before === undefined ? '' : ` (from ${trend.before.toFixed(1)})`;
  const arrow = ARROWS[trend.direction];
  return [{ strong: trend.criterion.name }, ` ${now}${arrow ? ` ${arrow}` : ''}${tail}`];
}

/** The result of a round in a history row: `72/100 · Hire · H3 E2 S2 R1 C3`, or where it stands. */
function result(rubric: Rubric, round: KeptRound): string {
  const card = round.scorecard;
  if (!card) {
    if (round.status === 'active') return 'in progress';
    // Done without a scorecard: scoring failed on it every time (its thread says so).
    return round.status === 'scoring' ? 'scoring' : 'not scored (scoring failed)';
  }
  if (round.replies === 0) return 'nothing was said (left out of your trends)';
  if (round.drill) {
    const drill = DRILLS[round.drill];
    const criterion = card.criteria.find((c) => c.id === drill.criterion);
    return `${drill.name} — ${criterion?.name ?? drill.criterion} ${criterion?.level ?? 0}/4`;
  }
  const levels = rubric.criteria
    .map((c) => `${shortLabel(c.name)} ${card.criteria.find((x) => x.id === c.id)?.level ?? 0}`)
    .join(' · ');
  return `${card.overall}/100 ${card.band} — ${levels}`;
}

/**
 * A person's recent rounds, newest first, each with its overall and five levels, and the trend of
 * each criterion (the last three scored rounds against the three before). `chart` says where the
 * chart went, when one was made.
 */
export function progressCard(
  rubric: Rubric,
  rounds: readonly KeptRound[],
  trends: readonly Trend[],
  chart?: 'attached' | 'direct' | 'failed' | 'refused' | { readonly file: string },
  surface: Surface = 'chat',
): Card {
  if (rounds.length === 0) {
    return {
      kind: 'history',
      tone: 'neutral',
      summary: 'No rounds yet.',
      blocks: [
        {
          type: 'text',
          lines: [
            [
              `No rounds yet. Start one with ${startUsage(surface)}, or try ${startUsage(surface, 'adaptive')}.`,
            ],
          ],
        },
      ],
      controls: [],
    };
  }
  const heading = rounds.length === 1 ? 'Your last round' : `Your last ${rounds.length} rounds`;
  const chartNote: Line[] =
    chart === undefined
      ? []
      : chart === 'attached'
        ? [['The chart of your scores over time is attached.']]
        : chart === 'direct'
          ? [['The chart of your scores over time is in your direct messages with me.']]
          : chart === 'failed'
            ? [['The chart could not be sent just now; try `history` again in a moment.']]
            : chart === 'refused'
              ? [[directRefused('your chart', '`history`')]]
              : [[`Chart written to ${chart.file}.`]];
  return {
    kind: 'history',
    tone: 'neutral',
    summary: heading,
    title: heading,
    blocks: [
      {
        type: 'list',
        ordered: false,
        items: rounds.map(
          (r): Line => [
            { date: r.startedAt },
            ' — ',
            { strong: r.title },
            ` (${roundLength(r.minutes)}): ${result(rubric, r)}`,
          ],
        ),
      },
      trends.length > 0
        ? {
            type: 'section',
            title: [trendTitle(trends[0]?.rounds ?? { recent: 0, before: 0 })],
            lines: trends.map(trendLine),
          }
        : {
            type: 'note',
            lines: [['A trend shows once a full round is scored (drills are left out).']],
          },
      ...(trends.some((t) => t.direction === 'new')
        ? [
            {
              type: 'note' as const,
              lines: [['Trends compare once you have four or more scored rounds.']],
            },
          ]
        : []),
      ...(chartNote.length > 0 ? [{ type: 'note' as const, lines: chartNote }] : []),
    ],
    controls: [],
  };
}

/** Why nothing reached a person's direct messages, and what they can change. */
function directRefused(what: string, retry: string): string {
  return `I cannot send you direct messages, so ${what} could not be sent: allow direct messages from this server’s members (Discord: the server’s Privacy Settings), then try ${retry} again.`;
}

/** The card sent with a progress chart to the person's direct messages. */
export function chartCard(rounds: number): Card {
  return noticeCard(
    `Your progress over ${count(rounds, 'scored round')}: overall and each criterion.`,
  );
}

/** Answers of `export`. */
export const exportText = {
  sent: (rounds: number) =>
    noticeCard(
      `Your ${count(rounds, 'round')} are in your direct messages with me as transcript JSON; \`mockdesign score FILE\` scores them again.`,
    ),
  file: (rounds: number) =>
    noticeCard(`All your ${count(rounds, 'round')} as transcript JSON, each with its scorecard.`),
  none: (surface: Surface = 'chat') =>
    noticeCard(`You have no rounds to export yet. Start one with ${startUsage(surface)}.`),
  directRefused: () => directRefused('the export', '`export`'),
  noDirect: () =>
    'This platform cannot send you a file, so `export` works in Slack and Discord, or with `mockdesign export` in a terminal.',
};

/** The terminal's lines about its kept rounds (`mockdesign forget`, `mockdesign export --out`). */
export const keptRoundsText = {
  /** `forget` without `--confirm`: what it would delete. */
  forgetPreview: (rounds: number, dir: string) =>
    rounds === 0
      ? `You have no kept rounds in ${dir}, so there is nothing to delete.`
      : `mockdesign forget --confirm deletes your ${count(rounds, 'kept round')} in ${dir}.`,
  forgotten: (rounds: number) => `Deleted ${count(rounds, 'kept round')}.`,
  exported: (rounds: number, file: string) => `${count(rounds, 'round')} written to ${file}`,
};

/** "Trend — last 3 scored rounds against the 3 before", with the counts there are. */
function trendTitle(rounds: { readonly recent: number; readonly before: number }): string {
  const recent =
    rounds.recent === 1 ? 'the last scored round' : `last ${rounds.recent} scored rounds`;
  return `Trend — ${recent}${rounds.before > 0 ? ` against the ${rounds.before} before` : ''}`;
}
