/**
 * The cards of team challenges: the challenge card in the channel, its leaderboard, and the
 * answers to the challenge, attempt, schedule and leaderboard commands. Each sentence is written
 * once, here.
 */
import type { Prompt } from '../../rubric/schema.js';
import type { Challenge, Schedule } from '../challenges/challenge.js';
import { localTime } from '../challenges/schedule-rule.js';
import type { PlatformRefusal } from '../errors.js';
import type { Card, Line } from './card.js';
import { count, roundLength, span } from './format.js';
import { type Surface, scheduleUsage } from './help-card.js';
import { noticeCard, textCard, whyRefused } from './replies.js';

/** How many lines of the prompt's context the challenge card shows. */
const CONTEXT_LINES = 2;

/**
 * The card in the channel: the prompt, the deadline, how attempts work, the live count of
 * attempts and the Start my attempt button (gone once closed).
 */
export function challengeCard(
  challenge: Challenge,
  prompt: Prompt,
  attempts: number,
  roundMinutes: number,
): Card {
  const open = challenge.status === 'open';
  const context = prompt.context.split('\n').filter((line) => line.trim() !== '');
  const tally = `${count(attempts, 'attempt')} so far`;
  return {
    kind: 'challenge',
    tone: open ? 'brand' : 'neutral',
    summary: `Team challenge: ${prompt.title} — ${open ? 'open' : 'closed'}, ${count(attempts, 'attempt')}`,
    title: `Team challenge: ${prompt.title}`,
    threadName: `Challenge: ${prompt.title}`,
    threadMinutes: Math.ceil((challenge.deadline - challenge.openedAt) / 60_000) + 60,
    blocks: [
      { type: 'text', lines: [[{ strong: prompt.prompt }]] },
      ...(context.length > 0
        ? [{ type: 'quote' as const, lines: context.slice(0, CONTEXT_LINES).map((l): Line => [l]) }]
        : []),
      open
        ? {
            type: 'text',
            lines: [
              ['Open until ', { date: challenge.deadline }, ` · ${tally}`],
              [
                `Press Start my attempt for a ${roundLength(roundMinutes)} round of your own, in a private conversation with me, whenever suits you before the deadline.`,
              ],
            ],
          }
        : {
            type: 'text',
            lines: [
              ['Closed ', { date: challenge.deadline }, ` · ${count(attempts, 'attempt')}`],
              ['The leaderboard is in the thread of this message.'],
            ],
          },
      {
        type: 'note',
        lines: [
          [
            'Nothing of an attempt shows here before the deadline; then the leaderboard goes in this thread. `leaderboard off` takes part unranked.',
          ],
        ],
      },
    ],
    controls: open
      ? [
          {
            id: 'attempt',
            label: 'Start my attempt',
            style: 'primary',
            value: challenge.id,
            onlyFor: [],
          },
        ]
      : [],
  };
}

/** One ranked person on a leaderboard. */
export interface LeaderboardRow {
  /** 1 for the best; people with the same score share a rank. */
  readonly rank: number;
  readonly user: string;
  readonly overall: number;
  readonly band: string;
  /** Name of the person's strongest criterion. */
  readonly strongest: string;
}

/** What the leaderboard shows. */
export interface Leaderboard {
  readonly title: string;
  readonly rows: readonly LeaderboardRow[];
  /** People who took part unranked (`leaderboard off`): a count only. */
  readonly unranked: number;
  /** Attempts still running or being scored: they join when scored. */
  readonly running: number;
  /** The strongest hypothesis sentence of a ranked person, and whose it is. */
  readonly hypothesis?: { readonly quote: string; readonly user: string };
}

/** The leaderboard, posted at the deadline in the card's thread and edited as late attempts finish. */
export function leaderboardCard(board: Leaderboard): Card {
  const taking = board.rows.length + board.unranked + board.running;
  const blocks: Card['blocks'] =
    taking === 0
      ? [{ type: 'text', lines: [['Nobody attempted this challenge, so there is no ranking.']] }]
      : [
          board.rows.length > 0
            ? {
                type: 'list',
                ordered: false,
                items: board.rows.map(
                  (r): Line => [
                    { strong: `#${r.rank}` },
                    ' ',
                    { mention: r.user },
                    ` — ${r.overall}/100 · ${r.band} · strongest: ${r.strongest}`,
                  ],
                ),
              }
            : { type: 'text', lines: [['Nobody is ranked yet.']] },
          ...(board.hypothesis
            ? [
                {
                  type: 'section' as const,
                  title: ['Strongest hypothesis'] as Line,
                  lines: [
                    [{ quote: board.hypothesis.quote }, ' — ', { mention: board.hypothesis.user }],
                  ],
                },
              ]
            : []),
          {
            type: 'note',
            lines: [
              ...(board.unranked > 0
                ? [[`${count(board.unranked, 'person', 'people')} took part unranked.`] as Line]
                : []),
              ...(board.running > 0
                ? [
                    [
                      `${count(board.running, 'attempt')} still running: this leaderboard is updated as they finish.`,
                    ] as Line,
                  ]
                : []),
            ],
          },
        ];
  return {
    kind: 'leaderboard',
    tone: 'brand',
    summary: `Leaderboard: ${board.title} — ${count(board.rows.length, 'person', 'people')} ranked`,
    title: `Leaderboard: ${board.title}`,
    blocks: blocks.filter((b) => b.type !== 'note' || b.lines.length > 0),
    controls: [],
  };
}

/** The sentences of challenge answers and refusals; each refusal becomes a `UserError`. */
export const challengeText = {
  /** The opener's own answer: why this prompt (from their scores) is said to them alone. */
  opened: (prompt: Prompt, deadline: number, reason?: string): Card => ({
    ...noticeCard(`Challenge "${prompt.title}" is open in this channel.`),
    blocks: [
      {
        type: 'text',
        lines: [
          [`Challenge "${prompt.title}" is open in this channel until `, { date: deadline }, '.'],
        ],
      },
      ...(reason ? [{ type: 'note' as const, lines: [[`Only you see this: ${reason}`]] }] : []),
    ],
  }),
  alreadyOpen: (link: string | undefined) =>
    `This channel already has an open challenge${link ? ` (${link})` : ''}: one at a time. Wait for its deadline, or open one in another channel.`,
  closed: () =>
    'This challenge is closed: its deadline has passed. The leaderboard is in the thread of its card.',
  gone: () => 'This challenge no longer exists.',
  started: (link: string | undefined) =>
    noticeCard(
      `Your attempt has started${link ? `: ${link}` : ' in a private conversation with me'}. Answer there; nobody in the channel sees it before the deadline.`,
    ),
  alreadyAttempted: (link: string | undefined) =>
    noticeCard(
      `You already have an attempt at this challenge (one each)${link ? `: ${link}` : ', in the private conversation I opened for you'}.`,
    ),
  cannotOpenPrivately: () =>
    'Attempts run in a private conversation, which this platform cannot open here.',
  ranked: (ranked: boolean) =>
    noticeCard(
      ranked
        ? 'You are ranked on challenge leaderboards here again.'
        : 'You take part in challenges here unranked: leaderboards count you without your name or score. `leaderboard on` undoes it.',
    ),
};

/**
 * The answer to a new schedule: its id, rule and the next three occurrences in its time zone; with
 * `overlap`, a warning that its challenges stay open past the next occurrence (`gapMs` away at the
 * shortest), which then opens nothing, and the longest `--hours` that opens one every time.
 */
export function scheduleCreatedCard(
  schedule: Schedule,
  next: readonly number[],
  overlap?: { readonly gapMs: number; readonly hours: number },
  surface: Surface = 'chat',
): Card {
  return {
    kind: 'schedules',
    tone: 'neutral',
    summary: `Schedule ${schedule.id} made: ${schedule.rule} (${schedule.timeZone})`,
    title: `Challenge schedule ${schedule.id}`,
    blocks: [
      {
        type: 'text',
        lines: [
          [
            { code: schedule.rule },
            ` in ${schedule.timeZone}: a challenge opens here for ${count(schedule.hours, 'hour')} each time.`,
          ],
        ],
      },
      {
        type: 'section',
        title: ['Next three'],
        lines: next.map((ms): Line => [localTime(ms, schedule.timeZone)]),
      },
      {
        type: 'note',
        lines: [
          ...(overlap
            ? [
                [
                  `Each challenge stays open ${count(schedule.hours, 'hour')}, but occurrences come ${span(overlap.gapMs / 1000)} apart: one that comes while the last challenge is still open opens nothing. For a challenge every time, cancel this schedule and make it with ${surface === 'slash' ? `\`hours:${overlap.hours}\`` : `\`--hours ${overlap.hours}\``} or less.`,
                ] as Line,
              ]
            : []),
          [
            ['pause', 'resume', 'cancel']
              .map((action) => scheduleUsage(surface, action, schedule.id))
              .join(', ')
              .concat('.'),
          ],
        ],
      },
    ],
    controls: [],
  };
}

/** `schedule list`: the channel's schedules with id, rule, time zone and next occurrence. */
export function schedulesCard(
  schedules: readonly { readonly schedule: Schedule; readonly next?: number }[],
  surface: Surface = 'chat',
): Card {
  if (schedules.length === 0) {
    const example =
      surface === 'slash'
        ? '`/mockdesign schedule rule:0 10 * * MON tz:Europe/Berlin`'
        : '`schedule "0 10 * * MON" --tz Europe/Berlin`';
    return noticeCard(`This channel has no challenge schedules. Make one with ${example}.`);
  }
  return {
    kind: 'schedules',
    tone: 'neutral',
    summary: `${count(schedules.length, 'schedule')} in this channel`,
    title: 'Challenge schedules in this channel',
    blocks: [
      {
        type: 'list',
        ordered: false,
        items: schedules.map(
          ({ schedule: s, next }): Line => [
            { code: s.id },
            ` — ${s.rule} (${s.timeZone}), ${count(s.hours, 'hour')} each · `,
            s.paused
              ? 'paused'
              : next === undefined
                ? 'no next occurrence'
                : `next ${localTime(next, s.timeZone)}`,
          ],
        ),
      },
    ],
    controls: [],
  };
}

/** Answers and refusals of schedule commands. */
export const scheduleText = {
  changed: (id: string, action: 'cancel' | 'pause' | 'resume', surface: Surface = 'chat') =>
    noticeCard(
      {
        cancel: `Schedule ${id} is cancelled: no more challenges from it.`,
        pause: `Schedule ${id} is paused: ${scheduleUsage(surface, 'resume', id)} starts it again.`,
        resume: `Schedule ${id} runs again.`,
      }[action],
    ),
  unknown: (id: string, surface: Surface = 'chat') =>
    `There is no schedule "${id}" in this channel. ${scheduleUsage(surface, 'list')} shows the ids.`,
  notAllowed: () =>
    'Only workspace or server admins (Slack admins and owners; Discord Manage Server or Manage Channels), people listed in MOCKDESIGN_ADMINS, and whoever made a schedule can manage it. Anyone can open a one-off `challenge`.',
  chatOnly: () => 'Team challenges run in Slack and Discord channels, not in the terminal.',
  /** To a schedule's maker: its challenge's card was refused, so the schedule paused itself. */
  pausedRefused: (schedule: Schedule, refusal: PlatformRefusal, surface: Surface = 'chat'): Card =>
    textCard('notice', 'warning', [
      [
        'Your challenge schedule ',
        { code: schedule.id },
        ` (${schedule.rule}, ${schedule.timeZone}) could not open its challenge: ${whyRefused[refusal]}. I paused it, so it stops trying. Once that is fixed, say ${scheduleUsage(surface, 'resume', schedule.id)} in that channel.`,
      ],
    ]),
};
