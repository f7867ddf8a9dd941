import type { Scorecard } from '../scoring/scorecard.js';
import type { Session, StoredMessage } from '../session.js';

/** A change to a session: return the new session, or `undefined` to leave it as it is. */
export type SessionUpdate = (session: Session) => Session | undefined;

/** A change to a session that records messages with it (the interviewer lines it decided). */
export type SessionCommit = (
  session: Session,
) => { readonly session: Session; readonly messages: readonly StoredMessage[] } | undefined;

/** A plain update as a commit that records no messages. */
export function asCommit(update: SessionUpdate): SessionCommit {
  return (s) => {
    const session = update(s);
    return session && { session, messages: [] };
  };
}

/** Where rounds and their messages live. Every write completes before the platform is answered. */
export interface SessionStore {
  /**
   * Reserves `user`'s one active round on `platform` for round `sessionId`, about to start: false
   * when another round holds it (running, or being started). The claim lapses after `ttlMs`
   * unless `create` makes it the round's, so a start that crashed half-way blocks nothing.
   */
  claimActive(platform: string, user: string, sessionId: string, ttlMs: number): Promise<boolean>;
  /** Gives up a claim of `claimActive` (the start failed); a claim of another round stays. */
  releaseActive(platform: string, user: string, sessionId: string): Promise<void>;
  /**
   * Reserves posting the outbox entry `key` of round `sessionId` for `holder`, for `ttlMs`: false
   * while another holder has it. Jobs that may post the same line again (a retry, the sweeper's,
   * a later line posting it first) take it in turn, never at once.
   */
  claimPost(sessionId: string, key: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives up a claim of `claimPost`; one another holder took since is left alone. */
  releasePost(sessionId: string, key: string, holder: string): Promise<void>;
  /** Stores a new session and indexes it by thread and as its candidates' active round. */
  create(session: Session): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  /** The session whose thread is at `thread`, if any. */
  findByThread(thread: string): Promise<Session | undefined>;
  /** The active round of `user` on `platform`, if any. */
  findActive(platform: string, user: string): Promise<Session | undefined>;
  /**
   * Applies `update` atomically: concurrent updates of one session never interleave. Returns the
   * stored session when `update` changed it, `undefined` when it returned `undefined` or the
   * session does not exist. `current`, the session as the caller last read it, saves a read when
   * it is still what is stored (the update is retried on the stored one when it is not).
   */
  update(id: string, update: SessionUpdate, current?: Session): Promise<Session | undefined>;
  /**
   * Like `update`, and stores the messages the change returns (each once per id) in the same
   * atomic step: the round and what it recorded are written together or not at all.
   */
  commit(id: string, change: SessionCommit, current?: Session): Promise<Session | undefined>;
  /**
   * Stores a message once per id; returns false when a message with that id was stored already
   * (or the round was forgotten). Messages are kept as long as their round.
   */
  addMessage(sessionId: string, message: StoredMessage): Promise<boolean>;
  /**
   * Withdraws the message under `withdrawn.id`, deleted on its platform, in one atomic step: a
   * candidate's message stored there is replaced, in its place, by `withdrawn` (keeping its own
   * author and time) and `update` is applied to its round; with none stored yet (the deletion came
   * first), `withdrawn` is stored, so the message the platform may still deliver is not taken.
   * Any other message (an interviewer's line, a command word, one withdrawn already) is left as
   * it is, so a deletion told twice, or to two processes at once, is applied once. Nothing once
   * the round is forgotten or gone.
   */
  withdrawMessage(
    sessionId: string,
    withdrawn: StoredMessage,
    update: SessionUpdate,
  ): Promise<void>;
  /**
   * Takes back a message stored with `addMessage` (a command word whose command then failed), so
   * the platform's retry of the same message is taken again.
   */
  dropMessage(sessionId: string, messageId: string): Promise<void>;
  /**
   * Stores a candidate's message (once per id) and applies `update` to its round in one atomic
   * step: both happen or neither. `update` may return `undefined` to store the message alone.
   * Returns whether the message was new, and the round after the update when it changed.
   */
  addReply(
    sessionId: string,
    message: StoredMessage,
    update: SessionUpdate,
  ): Promise<{ readonly stored: boolean; readonly session?: Session }>;
  /** The session's messages in the order they were stored. */
  messages(sessionId: string): Promise<StoredMessage[]>;
  /** The message stored under `messageId`, if any (one read, not the whole transcript). */
  message(sessionId: string, messageId: string): Promise<StoredMessage | undefined>;
  /** Stores the scorecard of a finished round. */
  saveScorecard(sessionId: string, scorecard: Scorecard): Promise<void>;
  getScorecard(sessionId: string): Promise<Scorecard | undefined>;
  /** The rounds running on `platform` (in any channel, for any user). */
  running(platform: string): Promise<Session[]>;
  /** The user's rounds on a platform, newest first, at most `limit`. */
  history(platform: string, user: string, limit: number): Promise<Session[]>;
  /**
   * Deletes every round of the user on a platform with its messages and scorecard; returns how
   * many. Nothing of those rounds is stored again afterwards, even by a job already running.
   */
  forgetUser(platform: string, user: string): Promise<number>;
  /**
   * Ids of rounds that needed attention by `before` (epoch ms), oldest first, at most `limit`: a
   * running round past its end, a round being scored, a decided message not yet posted (see
   * `attentionAt`). The index is written before the session, so a crash between the two leaves
   * the round findable.
   */
  due(before: number, limit: number): Promise<string[]>;
  /**
   * Brings a round's entry in that index up to date with what is stored, due no sooner than
   * `notBefore` (the sweeper's part: a round it just swept waits its turn again). A change to what
   * the round needs indexes it by that again.
   */
  reindex(id: string, notBefore: number): Promise<void>;
}
