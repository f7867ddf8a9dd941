import type { LineKind, OutboundMessage, PlannedPhase } from '../messages.js';
import type { Drill } from '../round/drills.js';
import type { Card, Line, Tone } from './card.js';
import { roundControls } from './controls.js';
import { duration, formatClock, roundLength, roundTime } from './format.js';
import { optionUsage } from './help-card.js';
import { noticeCard } from './replies.js';
import { drillCard, scorecardCard } from './scorecard-card.js';

type Of<K extends OutboundMessage['kind']> = Extract<OutboundMessage, { kind: K }>;

/** The card of a message the core posts in a round's thread. */
export function present(message: OutboundMessage): Card {
  switch (message.kind) {
    case 'prompt':
      return promptCard(message);
    case 'interviewer':
      return interviewerCard(message);
    case 'scorecard':
      return message.drill
        ? drillCard(message.scorecard, message.drill, message.surface !== 'terminal')
        : scorecardCard(message.scorecard);
    case 'notice':
      return noticeCard(message.text);
  }
}

/** The thread root: the prompt, its context, the phase plan with times, how it runs, the buttons. */
function promptCard(m: Of<'prompt'>): Card {
  if (m.drill) return drillPromptCard(m, m.drill);
  const { prompt } = m;
  const kind = m.mode === 'async' ? 'Async round' : 'Live round';
  const chat = m.surface === 'chat';
  const how =
    m.mode === 'async'
      ? 'Answer in this thread at your own pace. Say `next` when a phase is done (it also moves on at its deadline), or `end` to finish.'
      : chat
        ? 'Answer in this thread; the interviewer cuts in on schedule. Say `next` to move on early, `end` to finish, `status` for the time left.'
        : 'Type your answers line by line; the interviewer cuts in on schedule. Type `next` to move on early, `end` to finish, `status` for the time left, `help` for more.';
  const attempt: Line[] =
    m.challengeDeadline === undefined
      ? []
      : [
          [
            'Your attempt at the team challenge: only you and I see this conversation. Your scorecard comes here; the leaderboard goes to the channel at ',
            { date: m.challengeDeadline },
            '.',
          ],
        ];
  const why: Line[] = m.reason ? [[m.reason]] : [];
  const night: Line[] = m.night ? [nightLine(m.night)] : [];
  const notes: Line[] = chat
    ? [...why, ...attempt, [how], ...night, ['Only the candidate can move the round on or end it.']]
    : [...why, [how], ...night];
  const mentions = m.candidates.flatMap(
    (user, i): Line => (i === 0 ? [{ mention: user }] : [' ', { mention: user }]),
  );
  return {
    kind: 'prompt',
    tone: 'brand',
    summary: `Mock design round: ${prompt.title} — ${prompt.prompt}`,
    title: prompt.title,
    threadName: `Mock round: ${prompt.title}`,
    threadMinutes: m.minutes,
    ...(chat
      ? {
          notify: {
            users: m.candidates,
            line: [...mentions, ' your round is ready: answer in the thread below.'],
          },
        }
      : {}),
    blocks: [
      { type: 'text', lines: [[{ strong: prompt.prompt }]] },
      { type: 'quote', lines: prompt.context.split('\n').map((line) => [line]) },
      {
        type: 'section',
        title: [`Phase plan — ${kind}, ${roundLength(m.minutes)}`],
        lines: m.phases.map(m.mode === 'async' ? asyncPhaseLine : phaseLine),
      },
      { type: 'note', lines: notes },
    ],
    // The round opens in the first phase of its plan, which is its last when it has no other.
    controls: roundControls(m.candidates, { phase: m.phases[0]?.id, last: m.phases.length === 1 }),
  };
}

/**
 * When an async round's nudges stay quiet: the night in the candidate's zone, or, with no zone
 * known, that they may come at any hour and how to give a zone where the card is read.
 */
function nightLine(night: NonNullable<Of<'prompt'>['night']>): Line {
  if (night.timeZone) {
    return [`No nudges between ${night.from} and ${night.until} ${night.timeZone}.`];
  }
  const tz = optionUsage(night.commands, 'tz', 'Area/City');
  return [`Nudges may come at any hour: add ${tz} to set your night.`];
}

function phaseLine(p: PlannedPhase): Line {
  const from = formatClock(p.startMinute * 60);
  const to = formatClock((p.startMinute + p.minutes) * 60);
  return [`${from}–${to} `, { strong: p.name }, ` — ${p.goal}`];
}

/**
 * A phase of an async round, which runs over days: until when (a date, in each reader's own time
 * zone where the platform has dates) and for how long, never a clock time such as `24:00:00`.
 */
function asyncPhaseLine(p: PlannedPhase): Line {
  const until: Line = p.endsAt === undefined ? [] : ['Until ', { date: p.endsAt }, ' · '];
  return [...until, { strong: p.name }, ` (${duration(p.minutes * 60)}) — ${p.goal}`];
}

const TONES: Readonly<Record<LineKind, Tone>> = {
  phase: 'phase',
  cue: 'interjection',
  probe: 'interjection',
  nudge: 'interjection',
  closing: 'closing',
};

/** An interviewer line under a banner: the phase, the time in and the time left. */
function interviewerCard(m: Of<'interviewer'>): Card {
  const mode = m.async ? 'async' : 'live';
  return {
    kind: 'interviewer',
    tone: TONES[m.line],
    summary: `Interviewer: ${m.text}`,
    banner: [
      'Interviewer · ',
      { strong: m.phaseName },
      ` · ${roundTime(m.minute * 60, mode)} in · ${roundTime(m.remainingMinutes * 60, mode)} left`,
    ],
    blocks: [{ type: 'text', lines: m.text.split(/\n{2,}/).map((p) => [p]) }],
    controls:
      m.controlsFor.length > 0
        ? roundControls(m.controlsFor, { phase: m.phase, last: m.lastPhase === true })
        : [],
  };
}

/** A drill's first message: the prompt, the task, the time it has, how to finish. */
function drillPromptCard(m: Of<'prompt'>, drill: Drill): Card {
  const { prompt } = m;
  const chat = m.surface === 'chat';
  return {
    kind: 'prompt',
    tone: 'brand',
    summary: `${drill.name}: ${prompt.title} — ${drill.task}`,
    title: `${drill.name}: ${prompt.title}`,
    threadName: `${drill.name}: ${prompt.title}`,
    threadMinutes: m.minutes,
    ...(chat
      ? {
          notify: {
            users: m.candidates,
            line: [
              { mention: m.candidates[0] ?? '' },
              ' your drill is ready: answer in the thread below.',
            ],
          },
        }
      : {}),
    blocks: [
      { type: 'text', lines: [[{ strong: prompt.prompt }]] },
      { type: 'section', title: [`Your task — ${roundLength(m.minutes)}`], lines: [[drill.task]] },
      {
        type: 'note',
        lines: [
          ...(m.reason ? [[m.reason] as Line] : []),
          [
            `${chat ? 'Answer in this thread' : 'Type your answer'}; say \`end\` when you are done. It is scored on ${drill.criterion === 'scalability' ? 'scalability' : drill.criterion === 'risk' ? 'risk' : 'the hypothesis'} alone.`,
          ],
        ],
      },
    ],
    controls: [],
  };
}
