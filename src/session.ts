import { randomBytes } from 'node:crypto';
import type { OutboundMessage } from './messages.js';
import type { DrillKind } from './round/drills.js';

/** How a round runs: a timed live round, a round over hours or days, or a team challenge entry. */
export type RoundMode = 'live' | 'async' | 'challenge';

/** Where a round is in its life. */
export type SessionStatus = 'active' | 'scoring' | 'done';

/**
 * A message of a round, as stored: the candidate's answers, the interviewer's lines, control
 * words (`next`, `end`, `status`) typed in the thread, replies refused (too long, past the limit)
 * with the refusal in place of their text, and messages deleted on the platform (`withdrawn`,
 * with no text). The last three are kept only so a message the platform delivers again, or a
 * catch-up reads again, is not applied or answered twice, and are left out of the transcript.
 */
export interface StoredMessage {
  /** Platform message id; a message is stored once per id. */
  readonly id: string;
  readonly role: 'candidate' | 'interviewer' | 'command' | 'refused' | 'withdrawn';
  /** Platform user id of the author (empty for the interviewer). */
  readonly author: string;
  /** Seconds of round time since the start (unscaled by `MOCKDESIGN_TIME_SCALE`). */
  readonly at: number;
  readonly text: string;
}

/** A technology probe the round has scheduled or posted. */
export interface Probe {
  /** The technology the candidate named. */
  readonly technology: string;
  /** Round seconds at which it falls due. */
  readonly at: number;
  /** The id of the candidate's message that named it. */
  readonly from?: string;
  /** Its message was deleted before it was asked: it is not asked, and holds back no other. */
  readonly withdrawn?: true;
}

/**
 * A message as the outbox keeps it: a scorecard by reference to the round's stored scorecard
 * (`SessionStore.getScorecard`), so its several kilobytes are written once, not with every change
 * of the round until it is posted.
 */
export type OutboxMessage =
  | Exclude<OutboundMessage, { kind: 'scorecard' }>
  | Omit<Extract<OutboundMessage, { kind: 'scorecard' }>, 'scorecard'>;

/** What the outbox keeps of `message` (see `OutboxMessage`). */
export function outboxMessage(message: OutboundMessage): OutboxMessage {
  if (message.kind !== 'scorecard') return message;
  const { scorecard: _stored, ...reference } = message;
  return reference;
}

/**
 * An interviewer message decided but not yet confirmed posted. It is written in the same atomic
 * update that decides it, and removed once the platform has it, so a crash in between loses
 * nothing: the timer job that decided it runs again and posts it (`job`), or else the sweeper
 * finds it by the round's attention time.
 */
export interface OutboxEntry {
  /** Stored-message id, e.g. `event-pivot`. */
  readonly key: string;
  readonly message: OutboxMessage;
  /** Epoch milliseconds at which it was decided. */
  readonly since: number;
  /**
   * The timer job that decided it and is posting it, in a process that serves the round's
   * platform. While that job lives the entry needs no sweeper: a job whose process died runs
   * again and posts it. Dropped when the post fails, which hands the entry to the sweeper.
   */
  readonly job?: string;
}

/** One interview round. Plain data: it travels through Redis and is re-read by every worker. */
export interface Session {
  /** Short random id; contains no `:` so it can be part of job ids. */
  readonly id: string;
  /** Platform name, the scheme of its addresses (`slack`, `discord`, `terminal`). */
  readonly platform: string;
  /** Address of the channel the round was started in. */
  readonly channel: string;
  /** Address of the round's thread; every interviewer message goes there. */
  readonly thread: string;
  readonly mode: RoundMode;
  readonly promptId: string;
  /** Round length in minutes (5–240 live; longer for async). */
  readonly minutes: number;
  /** Wall-clock milliseconds per round millisecond (`MOCKDESIGN_TIME_SCALE` at start). */
  readonly timeScale: number;
  /** Platform user ids of the candidates; only they control the round and only their replies count. */
  readonly candidates: readonly string[];
  /** Epoch milliseconds of the start. */
  readonly startedAt: number;
  readonly status: SessionStatus;
  /** Current phase id; the last phase stays current once the round is over. */
  readonly phase: string;
  /** Round seconds at which each phase began, in order. */
  readonly phaseStarts: readonly { readonly phase: string; readonly at: number }[];
  /** Round seconds of the first message that stated a hypothesis, or null. */
  readonly hypothesisAt: number | null;
  /** Ids of the interviewer events already posted. */
  readonly fired: readonly string[];
  /** Technology probes, in order; the n-th has event id `probe-n` (1-based). */
  readonly probes: readonly Probe[];
  /** How many candidate messages have been stored. */
  readonly replies: number;
  /**
   * How many of them the candidate deleted while the round ran: taken out of the transcript, they
   * no longer count as said (see `answersStanding`).
   */
  readonly withdrawn?: number;
  /**
   * How many times the candidate moved the round on to its next phase with `next` (typed or
   * pressed); with the replies, what keeps an async round from being quiet (none when absent).
   */
  readonly movedOn?: number;
  /**
   * Round seconds of the candidate's last move: a reply stored, or a `next` that opened a phase.
   * An async round's nudge waits from it, and a nudge timer that names another move does nothing.
   * None before the first move, and for a round whose moves came before rounds kept it.
   */
  readonly lastMoveAt?: number;
  /**
   * Round seconds at which the round ended (time, `end`, or `next` past the last phase); a
   * prepared answer's round (piped into the terminal) is taken to have run its whole length.
   */
  readonly endedAt: number | null;
  /** Interviewer messages decided but not yet confirmed posted (see `OutboxEntry`). */
  readonly outbox: readonly OutboxEntry[];
  /** The team challenge this round is an attempt at, if any. */
  readonly challengeId?: string;
  /**
   * A direct conversation whose plain messages count as the round's replies too, while it runs
   * (a Slack attempt: the person's direct messages with the bot).
   */
  readonly conversation?: string;
  /** Message id of the round's first message (its prompt card), when it was kept. */
  readonly opening?: string;
  /** A drill: a short round on one criterion, with no cut-ins. */
  readonly drill?: DrillKind;
  /**
   * The candidate's IANA time zone for an async round, read once at its start (`--tz`, else their
   * platform's profile, else their reminder's): its nudges wait out their night (the rubric's
   * `nudge.quietHours`). None when nothing said, or for a round stored before rounds kept it:
   * nudges then come at any hour.
   */
  readonly timeZone?: string;
  /**
   * The candidate was told their message came after the round ended: the thread is theirs to
   * talk in from then on, and later messages are let be.
   */
  readonly toldOver?: true;
  /** The candidate was told that an edit of an answer is not taken (once a round). */
  readonly toldEdit?: true;
  /**
   * The round's thread refused a post for good, and its candidates were told in their direct
   * messages that its scorecard comes there (once a round).
   */
  readonly toldRefused?: true;
  /** How many times scoring failed on the round (see `SCORING_TRIES`). */
  readonly scoringFailures?: number;
}

/**
 * Failures of the scorer on one round before the candidate is told it cannot be scored: a
 * failure that comes back each time (an engine defect, a transcript the scoring thread never
 * finishes) would otherwise keep the round in scoring, and the candidate waiting, for good.
 */
export const SCORING_TRIES = 3;

/** Whether the round ended without a scorecard because scoring kept failing on it. */
export function unscored(session: Session): boolean {
  return session.status === 'done' && (session.scoringFailures ?? 0) >= SCORING_TRIES;
}

/** What a new round is made of; everything else starts empty. */
export type NewSession = Pick<
  Session,
  | 'id'
  | 'platform'
  | 'channel'
  | 'thread'
  | 'mode'
  | 'promptId'
  | 'minutes'
  | 'timeScale'
  | 'candidates'
  | 'startedAt'
  | 'challengeId'
  | 'conversation'
  | 'opening'
  | 'drill'
  | 'timeZone'
> & {
  /** The rubric's first phase, where the round starts. */
  readonly firstPhase: string;
};

/** A new round's id: short, random, with no `:` (it is part of job ids). */
export function newRoundId(): string {
  return `r${randomBytes(8).toString('hex')}`;
}

/** A round just started: active, in its first phase, nothing said or fired yet. */
export function newSession({ firstPhase, ...fields }: NewSession): Session {
  return {
    ...fields,
    status: 'active',
    phase: firstPhase,
    phaseStarts: [{ phase: firstPhase, at: 0 }],
    hypothesisAt: null,
    fired: [],
    probes: [],
    replies: 0,
    endedAt: null,
    outbox: [],
  };
}

/**
 * The candidate's answers that still stand: those stored, less those deleted while the round ran.
 * With none, nothing was said: the round closes as silent and stays out of trends and leaderboards.
 */
export function answersStanding(session: Pick<Session, 'replies' | 'withdrawn'>): number {
  return session.replies - (session.withdrawn ?? 0);
}

/** Round seconds elapsed at wall time `now`. */
export function roundSeconds(session: Session, now: number): number {
  return Math.max(0, (now - session.startedAt) / session.timeScale / 1000);
}

/** Wall epoch milliseconds at which round second `at` falls. */
export function wallTime(session: Session, at: number): number {
  return session.startedAt + at * 1000 * session.timeScale;
}

/**
 * How long a timer job's hold on the lines it decided is trusted: far longer than posting them
 * takes (a platform call is abandoned within seconds, and a failed post gives the hold up) or
 * than BullMQ takes to run the job again when its process dies. Past it the job is taken for lost
 * (one whose process died twice is failed, not run again), and the sweeper posts the lines; their
 * delivery keys keep a line the job did post from showing twice.
 */
export const HOLD_TRUSTED_MS = 5 * 60_000;

/** When `entry` becomes the sweeper's to post: at once, or once its job's hold runs out. */
function sweepableAt(entry: OutboxEntry): number {
  return entry.job === undefined ? entry.since : entry.since + HOLD_TRUSTED_MS;
}

/** Whether a timer job still holds `entry` at `now`: it posts it, not the sweeper. */
export function held(entry: OutboxEntry, now: number): boolean {
  return now < sweepableAt(entry);
}

/**
 * When a round next needs something done without anyone asking, in wall epoch ms: the end of a
 * running round, the moment a finished round began scoring, the oldest decided message not yet
 * posted, or, for one a job holds in a finished round, when that hold stops being trusted;
 * `undefined` for a round with nothing left to do. The sweeper looks at rounds whose time has
 * long passed. A running round's held lines leave its time at its end, so the index is not
 * written at every interviewer event: a line whose job was lost mid-round is posted first by the
 * round's next line (`OutboxDelivery.post`), or once the round is swept at its end.
 */
export function attentionAt(session: Session): number | undefined {
  const running = session.status === 'active';
  const times = session.outbox.flatMap((e) =>
    running && e.job !== undefined ? [] : [sweepableAt(e)],
  );
  if (session.status === 'active') times.push(wallTime(session, session.minutes * 60));
  if (session.status === 'scoring') times.push(wallTime(session, session.endedAt ?? 0));
  return times.length === 0 ? undefined : Math.min(...times);
}
