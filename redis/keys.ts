/**
 * Redis keys of mockdesign. Every key of one session shares the hash tag `{<sessionId>}`, so a
 * session's keys live in one Redis Cluster slot and can be changed by one script.
 */
export function sessionKeys(prefix: string, sessionId: string) {
  const tag = `${prefix}:{${sessionId}}`;
  return {
    /** The session as JSON. */
    session: `${tag}:session`,
    /** Hash: message id → message JSON (stored once per id). */
    messages: `${tag}:messages`,
    /** List: message ids in the order they were stored. */
    order: `${tag}:order`,
    /** The scorecard as JSON. */
    scorecard: `${tag}:scorecard`,
    /** Set by `forget`: nothing of the round may be written again (a late scoring job, say). */
    gone: `${tag}:gone`,
    /** Who is posting the outbox entry `key` (a short-lived claim). */
    posting: (key: string) => `${tag}:posting:${key}`,
  };
}

/** Thread address → session id. */
export const threadKey = (prefix: string, thread: string) => `${prefix}:thread:{${thread}}`;

/** A user's active round on a platform → session id. */
export const activeKey = (prefix: string, platform: string, user: string) =>
  `${prefix}:active:{${platform}:${user}}`;

/** Sorted set of a user's session ids by start time (history and `forget`). */
export const userKey = (prefix: string, platform: string, user: string) =>
  `${prefix}:user:{${platform}:${user}}`;

/** Sorted set of session ids by when each next needs attention (`attentionAt`), for the sweeper. */
export const dueKey = (prefix: string) => `${prefix}:due`;

/** A team challenge as JSON, and the hash of its attempts (user id → round id). */
export function challengeKeys(prefix: string, challengeId: string) {
  const tag = `${prefix}:challenge:{${challengeId}}`;
  return { challenge: tag, attempts: `${tag}:attempts` };
}

/** A channel's open challenge → challenge id. */
export const openChallengeKey = (prefix: string, channel: string) =>
  `${prefix}:challenge-open:{${channel}}`;

/** Set of the people of a workspace or server who take part unranked. */
export const unrankedKey = (prefix: string, workspace: string) =>
  `${prefix}:unranked:{${workspace}}`;

/** A challenge schedule as JSON. */
export const scheduleKey = (prefix: string, id: string) => `${prefix}:schedule:{${id}}`;

/** Sorted set of a channel's schedule ids by creation time. */
export const channelSchedulesKey = (prefix: string, channel: string) =>
  `${prefix}:schedules:{${channel}}`;

/** A person's practice reminder as JSON. */
export const reminderKey = (prefix: string, id: string) => `${prefix}:reminder:{${id}}`;
