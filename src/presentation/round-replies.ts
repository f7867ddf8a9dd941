/**
 * The sentences of the round's answers to a person: acknowledgements, refusals of what cannot be
 * done, and the status of a round. Each is written once, here.
 */
import type { Prompt, Rubric } from '../../rubric/schema.js';
import type { PlatformRefusal } from '../errors.js';
import { DRILLS, type Drill } from '../round/drills.js';
import { plannedPhases } from '../round/timeline.js';
import type { RunningRound } from '../running-round.js';
import { answersStanding, roundSeconds, type Session, unscored, wallTime } from '../session.js';
import type { Card, Line } from './card.js';
import {
  count,
  formatClock,
  roundLength as roundLengthOf,
  roundMoment,
  roundTime,
} from './format.js';
import { helpUsage, type Surface, startUsage } from './help-card.js';
import { noticeCard, textCard, whyRefused } from './replies.js';

export function roundStartedCard(prompt: Prompt, reason?: string): Card {
  return noticeCard(
    `Your round on "${prompt.title}" has started: answer in its thread.${reason ? `\n${reason}` : ''}`,
  );
}

export function drillStartedCard(drill: Drill, prompt: Prompt): Card {
  return noticeCard(
    `Your ${drill.name.toLowerCase()} on "${prompt.title}" has started: ${roundLengthOf(drill.minutes)}, answer in its thread.`,
  );
}

export function movedOnCard(phaseName: string): Card {
  return noticeCard(`Moved on to ${phaseName}.`);
}

export function roundEndedCard(drill = false): Card {
  return noticeCard(`${drill ? 'Drill' : 'Round'} ended — scoring it now.`);
}

/**
 * Posted in the thread instead of a scorecard when scoring failed on the round `tries` times: the
 * candidate is not left waiting for a card that cannot come.
 */
export function unscoredText(tries: number): string {
  return (
    `I could not score this round: scoring failed on it ${tries} times. Your answers stay in ` +
    'this thread, and the failure is in the bot’s log for whoever runs it. Sorry about that.'
  );
}

/**
 * To the candidate, in their direct messages: the round's thread refuses the bot's posts for good
 * (archived, the bot removed), so a running round was ended there, and its scorecard comes here.
 */
export function threadRefusedCard(title: string, refusal: PlatformRefusal, ended: boolean): Card {
  return textCard('notice', 'warning', [
    [
      `I can no longer post in the thread of your round on "${title}": ${whyRefused[refusal]}. `,
      ended ? 'So the round has ended; its scorecard comes here.' : 'Its scorecard comes here.',
    ],
  ]);
}

/** The texts of refusals the round makes; each becomes a `UserError`. */
export const refusals = {
  alreadyRunning: (running: RunningRound | undefined, here: boolean, now: number) => {
    const finish = 'to finish it and get your scorecard; then try again.';
    // The person's slot is held by a start still posting its card: the round has no thread yet.
    if (!running) {
      return `You already have a round running: it is starting now, in a new thread. Answer there, or say \`end\` in that thread ${finish}`;
    }
    const { session, title, link } = running;
    const left = roundTime(session.minutes * 60 - elapsedOf(session, now), session.mode);
    const round = `${here ? 'this' : 'your'} ${roundName(session)} on "${title}", with ${left} left`;
    if (here)
      return `You already have a round running: ${round}. Answer here, or say \`end\` ${finish}`;
    return link
      ? `You already have a round running: ${round}, in its thread: ${link}. Answer there, or say \`end\` in that thread ${finish}`
      : `You already have a round running: ${round}. Answer in its thread, or say \`end\` there ${finish}`;
  },
  noRound: (surface: Surface = 'chat') =>
    `You have no round running here. Start one with ${startUsage(surface)} (see ${helpUsage(surface)}).`,
  onlyCandidate: (action: 'next' | 'end' | 'status') =>
    `Only the candidate can ${
      {
        next: 'move this round to the next phase',
        end: 'end this round',
        status: 'check on this round',
      }[action]
    }.`,
  alreadyOver: (session: Session) => `This round is already over; ${afterTheEnd(session)}`,
  /** A Next phase button from a phase the round has left (see `stalePress`): where it is now. */
  stalePress: (rubric: Rubric, session: Session) => {
    const index = rubric.phases.findIndex((p) => p.id === session.phase);
    const phase = rubric.phases[index]?.name ?? session.phase;
    return index === rubric.phases.length - 1
      ? `The round is already in ${phase}, its last phase, so that Next phase button moved nothing. Press End round or say \`end\` when you are done.`
      : `The round is already in ${phase}, so that Next phase button moved nothing. To move on, say \`next\` or press Next phase on the interviewer’s latest line.`;
  },
  noRoundHere: () =>
    'No round is running here. Start one in a channel with `/mockdesign start`; `/mockdesign help` lists everything I do.',
  editNotTaken: () =>
    'Edits are not taken: your transcript keeps what you first sent, as in a live interview. To add or correct something, send it as a new reply.',
  commandAsMessage: (typed: string) =>
    `To give a command, type it after \`/mockdesign\`: \`/mockdesign ${typed.replaceAll('`', '')}\`.`,
  replyAfterEnd: (surface: Surface = 'chat') =>
    `This round is over, so that reply was not added. Start a new one with ${startUsage(surface)}.`,
  emptyReply: () =>
    'That reply was empty, so nothing was added. Write your answer as text, or say `next` or `end`.',
  attachmentsOnly: () =>
    'Files and images are not read, so nothing was added. Write your answer as text (describe a diagram in words).',
  replyTooLong: (length: number, limit: number) =>
    `That reply is ${length.toLocaleString('en')} characters; the limit is ${limit.toLocaleString('en')}. Nothing was added: split it into shorter messages.`,
  roundsPerDay: (limit: number) =>
    `You have started ${count(limit, 'round')} in the last 24 hours, the most this workspace allows. Finish one you have, or try again tomorrow.`,
  tooManyReplies: (limit: number) =>
    `This round has taken its ${count(limit, 'reply', 'replies')}, the most one round takes, so that one was not added. Say \`end\` to be scored on what you wrote.`,
  unknownPrompt: (id: string, ids: readonly string[]) =>
    `Unknown prompt "${id}". Use \`random\`, \`adaptive\` or one of: ${ids.join(', ')}.`,
  roundLength: (mode: 'live' | 'async', minutes: number, min: number, max: number) =>
    mode === 'async'
      ? `An async round lasts from ${min / 60} to ${max / 60} hours; ${minutes / 60} is out of range.`
      : `A round lasts from ${min} to ${max} minutes; ${minutes} is out of range.`,
};

/** What a round is called when it is named: `async round`, `risks drill`, `challenge attempt`. */
export function roundName(session: Session): string {
  if (session.drill) return DRILLS[session.drill].name.toLowerCase();
  if (session.challengeId) return 'challenge attempt';
  return session.mode === 'async' ? 'async round' : 'round';
}

/** Round seconds a round has run by `now`, never past its length. */
function elapsedOf(session: Session, now: number): number {
  return Math.min(roundSeconds(session, now), session.minutes * 60);
}

/** What became of a round that is over: its scorecard on its way, posted, or not to come. */
function afterTheEnd(session: Session): string {
  if (session.status !== 'done') return 'its scorecard is on its way.';
  return unscored(session)
    ? 'it could not be scored (see its thread).'
    : 'its scorecard is in its thread.';
}

/**
 * Where a round stands: its phase and the time left in it, the time left, a hypothesis, replies.
 * Asked away from its thread (`away`), it first names the round and links its thread.
 */
export function statusCard(
  rubric: Rubric,
  session: Session,
  now: number,
  away?: RunningRound,
): Card {
  if (session.status !== 'active') return noticeCard(`This round is over; ${afterTheEnd(session)}`);
  const elapsed = elapsedOf(session, now);
  // Those the candidate deleted are not counted: the round no longer counts them as said.
  const replies = count(answersStanding(session), 'reply', 'replies');
  const which: Line[] = away
    ? [
        [
          `Your ${roundName(session)} on "${away.title}"${away.link ? `: ${away.link}` : ', in its thread.'}`,
        ],
      ]
    : [];
  if (session.drill) {
    // A drill has no phases: its time is the drill's.
    return textCard('status', 'neutral', [
      ...which,
      [
        { strong: DRILLS[session.drill].name },
        `: ${formatClock(elapsed)} elapsed, ${formatClock(session.minutes * 60 - elapsed)} left; ${replies}.`,
      ],
    ]);
  }
  const { mode } = session;
  const index = rubric.phases.findIndex((p) => p.id === session.phase);
  const phase = rubric.phases[index];
  const plan = plannedPhases(rubric, session.minutes)[index];
  const phaseEnd = plan ? (plan.startMinute + plan.minutes) * 60 : 0;
  const phaseLeft = Math.max(0, phaseEnd - elapsed);
  // An async round's phase runs for hours or days: when it ends says more than a countdown.
  const until: Line =
    mode === 'async' && plan ? [', until ', { date: wallTime(session, phaseEnd) }] : [];
  const hypothesis =
    session.hypothesisAt === null
      ? 'no hypothesis yet'
      : `hypothesis stated ${roundMoment(session.hypothesisAt, mode)}`;
  const lines: Line[] = [
    ...which,
    [
      `Phase ${index + 1} of ${rubric.phases.length}: `,
      { strong: phase?.name ?? session.phase },
      ` (${roundTime(phaseLeft, mode)} left in it by the plan`,
      ...until,
      ').',
    ],
    [
      `${roundTime(elapsed, mode)} elapsed, ${roundTime(session.minutes * 60 - elapsed, mode)} left; ${hypothesis}; ${replies}.`,
    ],
  ];
  return textCard('status', 'neutral', lines);
}

/** `forget` without `confirm`: what it would delete, and the command that does, as typed there. */
export function forgetConfirmCard(rounds: number, surface: Surface = 'chat'): Card {
  return textCard('confirmation', 'warning', [
    [
      { code: surface === 'slash' ? '/mockdesign forget confirm:True' : 'forget confirm' },
      ` deletes ${rounds === 1 ? 'your 1 round' : `all ${count(rounds, 'round')} of yours`} here, with replies and scorecards, ends a running one and turns your reminders off. It cannot be undone.`,
    ],
  ]);
}

export function forgottenCard(rounds: number, reminder: boolean): Card {
  return noticeCard(
    `Deleted ${count(rounds, 'round')} with their replies and scorecards${reminder ? ', and turned your reminders off' : ''}.`,
  );
}
