import type { Challenge, Schedule } from '../challenges/challenge.js';

/** A change to a challenge: the new challenge, or `undefined` to leave it as it is. */
export type ChallengeUpdate = (challenge: Challenge) => Challenge | undefined;

/** Where team challenges, their attempts, schedules and leaderboard choices live. */
export interface ChallengeStore {
  /**
   * Stores `challenge` as its channel's open challenge, unless another one is open there and
   * before its deadline: then nothing is stored and that one is returned. Storing the same id
   * again is harmless (a retried scheduled occurrence).
   */
  open(challenge: Challenge): Promise<{ readonly opened: true } | { readonly current: Challenge }>;
  get(id: string): Promise<Challenge | undefined>;
  /** Applies `update` atomically; returns the stored challenge when it changed. */
  update(id: string, update: ChallengeUpdate): Promise<Challenge | undefined>;
  /** Drops a challenge whose card could not be posted, freeing its channel. */
  discard(challenge: Challenge): Promise<void>;
  /** Frees the channel of a closed challenge for the next one. */
  release(challenge: Challenge): Promise<void>;
  /**
   * Records `user`'s attempt as round `sessionId`, unless they have one: then the round id of
   * that one is returned and nothing changes.
   */
  claimAttempt(challengeId: string, user: string, sessionId: string): Promise<string | undefined>;
  /** Gives up an attempt whose round could not be started (only while it is still `sessionId`). */
  releaseAttempt(challengeId: string, user: string, sessionId: string): Promise<void>;
  /** Every attempt: user id → round id. */
  attempts(challengeId: string): Promise<ReadonlyMap<string, string>>;
  /** Sets whether `user` is ranked in `workspace` (`workspaceOf`); everyone is, until they say. */
  setRanked(workspace: string, user: string, ranked: boolean): Promise<void>;
  /** The people of `workspace` who asked not to be ranked. */
  unranked(workspace: string): Promise<ReadonlySet<string>>;
  saveSchedule(schedule: Schedule): Promise<void>;
  getSchedule(id: string): Promise<Schedule | undefined>;
  /** A channel's schedules, oldest first. */
  schedules(channel: string): Promise<Schedule[]>;
  deleteSchedule(schedule: Schedule): Promise<void>;
}
