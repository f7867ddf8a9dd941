/** The cards of practice reminders: the reminder itself and the answers to `remind`. */

import type { Criterion } from '../../rubric/schema.js';
import { localTime } from '../challenges/schedule-rule.js';
import type { Drill } from '../round/drills.js';
import type { RunningRound } from '../running-round.js';
import type { Card, Line } from './card.js';
import { count, roundLength } from './format.js';
import { commandText, commandUsage, type Surface } from './help-card.js';
import { noticeCard } from './replies.js';
import { roundName } from './round-replies.js';

/** How to snooze and stop reminders, as typed where the card is read. */
function snoozeNote(surface: Surface, these: string): Line {
  return [
    `${commandUsage(surface, 'remind', 'snooze 1w')} pauses ${these} for a week; ${commandUsage(surface, 'remind', 'off')} stops ${these}.`,
  ];
}

/** The reminder: which drill, and why (the weakest criterion, when there is one). */
export function reminderCard(
  drill: Drill,
  weakest: { readonly criterion: Criterion; readonly mean: number } | undefined,
  surface: Surface = 'chat',
): Card {
  const why = weakest
    ? `Your weakest criterion lately is ${weakest.criterion.name} (mean level ${weakest.mean.toFixed(1)} of 4).`
    : 'You have no scored rounds yet: a hypothesis is where a research-first round starts.';
  return {
    kind: 'notice',
    tone: 'brand',
    summary: `Time to practise: ${drill.name.toLowerCase()}, ${roundLength(drill.minutes)}.`,
    title: 'Time to practise',
    blocks: [
      {
        type: 'text',
        lines: [
          [why],
          [
            'Try ',
            { code: commandText(surface, 'drill', drill.kind) },
            ` — ${roundLength(drill.minutes)}: ${drill.task}`,
          ],
        ],
      },
      { type: 'note', lines: [snoozeNote(surface, 'them')] },
    ],
    controls: [],
  };
}

/**
 * The reminder while the person has a round running (an async round lasts days): that round is
 * their practice, and a drill could not start beside it.
 */
export function runningRoundReminderCard(running: RunningRound, surface: Surface = 'chat'): Card {
  const { session, title, link } = running;
  const where = link ? `its thread: ${link}` : 'its thread';
  const line = `Your ${roundName(session)} on "${title}" is still running: pick it up in ${where}. A drill can start once it ends.`;
  return {
    kind: 'notice',
    tone: 'brand',
    summary: `Time to practise: ${line}`,
    title: 'Time to practise',
    blocks: [
      { type: 'text', lines: [[line]] },
      { type: 'note', lines: [snoozeNote(surface, 'them')] },
    ],
    controls: [],
  };
}

/** Answers of `remind`. */
export const reminderText = {
  set: (
    rule: string,
    timeZone: string,
    next: readonly number[],
    surface: Surface = 'chat',
  ): Card => ({
    ...noticeCard(`Reminder set: ${rule} in ${timeZone}.`),
    blocks: [
      {
        type: 'text',
        lines: [
          [
            `Reminder set: `,
            { code: rule },
            ` in ${timeZone}, with a drill on your weakest criterion, in your direct messages.`,
          ],
        ],
      },
      {
        type: 'section',
        title: ['Next three'],
        lines: next.map((ms): Line => [localTime(ms, timeZone)]),
      },
      { type: 'note', lines: [snoozeNote(surface, 'it')] },
    ],
  }),
  snoozed: (days: number, next: number | undefined, timeZone: string) =>
    noticeCard(
      `Reminders snoozed for ${count(days, 'day')}${next === undefined ? '' : `; the next one comes ${localTime(next, timeZone)}`}.`,
    ),
  off: (had: boolean) =>
    noticeCard(
      had
        ? 'Reminders are off: nothing more will be sent.'
        : 'You have no reminders set, so there is nothing to stop.',
    ),
  none: (surface: Surface = 'chat') =>
    `You have no reminder to snooze. Set one with ${commandUsage(surface, 'remind', 'weekly mon 09:00')}.`,
  noDirect: () => 'Reminders come as direct messages, which this platform cannot send.',
};
