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
