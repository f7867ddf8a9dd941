import type { Redis } from 'ioredis';
import type { SessionStore, SessionUpdate } from '../src/ports/session-store.js';
import type { Session, StoredMessage } from '../src/session.js';
import { sessionKeys } from './keys.js';
import type { KnownRounds } from './known-rounds.js';
import { ADD_MESSAGE, digest } from './session-scripts.js';

/** The part of `SessionStore` that keeps a round's messages. */
type SessionMessageStore = Pick<
  SessionStore,
  'addMessage' | 'withdrawMessage' | 'dropMessage' | 'addReply' | 'messages' | 'message'
>;

/**
 * A round's messages in Redis, for `RedisSessionStore`: a hash of message JSON by platform message
 * id with a list of the ids in the order stored, kept as long as the round's own key. A message
 * that changes the round (a reply, a withdrawal) is written with the round's update in one step.
 */
export class RedisSessionMessages implements SessionMessageStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    /** The retention, in seconds, for a round whose key never expires. */
    private readonly ttl: number,
    /** The store's memory of each round's JSON, told of the round's updates written here. */
    private readonly rounds: KnownRounds,
  ) {}

  async addMessage(sessionId: string, message: StoredMessage): Promise<boolean> {
    const keys = sessionKeys(this.prefix, sessionId);
    const added = await ADD_MESSAGE(
      this.redis,
      [keys.messages, keys.order, keys.session, keys.gone],
      [message.id, JSON.stringify(message), String(this.ttl), '', ''],
    );
    return added === 1;
  }

  async withdrawMessage(
    sessionId: string,
    withdrawn: StoredMessage,
    update: SessionUpdate,
  ): Promise<void> {
    const keys = sessionKeys(this.prefix, sessionId);
    for (;;) {
      const [before, json] = await Promise.all([
        this.redis.get(keys.session),
        this.redis.hget(keys.messages, withdrawn.id),
      ]);
      if (before === null) return;
      const stored = json === null ? undefined : (JSON.parse(json) as StoredMessage);
      if (stored && stored.role !== 'candidate') return;
      const next = stored && update(JSON.parse(before) as Session);
      const after = next ? JSON.stringify(next) : '';
      const placeholder = stored
        ? { ...withdrawn, author: stored.author, at: stored.at }
        : withdrawn;
      // Written only while the message is still what was read here: of two processes told of the
      // same deletion, the second finds it withdrawn already, and counts nothing.
      const result = await ADD_MESSAGE(
        this.redis,
        [keys.messages, keys.order, keys.session, keys.gone],
        [
          withdrawn.id,
          JSON.stringify(placeholder),
          String(this.ttl),
          digest(before),
          after,
          '1',
          json ?? '',
        ],
      );
      if (result === -1) continue; // the message or the round changed meanwhile: decide again
      if (result === 1 && next) this.rounds.remember(sessionId, after);
      return;
    }
  }

  async dropMessage(sessionId: string, messageId: string): Promise<void> {
    const keys = sessionKeys(this.prefix, sessionId);
    await this.redis.hdel(keys.messages, messageId);
    await this.redis.lrem(keys.order, 0, messageId);
  }

  async addReply(
    sessionId: string,
    message: StoredMessage,
    update: SessionUpdate,
  ): Promise<{ readonly stored: boolean; readonly session?: Session }> {
    const keys = sessionKeys(this.prefix, sessionId);
    for (;;) {
      const before = await this.redis.get(keys.session);
      if (before === null) return { stored: false };
      const next = update(JSON.parse(before) as Session);
      const after = next ? JSON.stringify(next) : '';
      const result = await ADD_MESSAGE(
        this.redis,
        [keys.messages, keys.order, keys.session, keys.gone],
        [message.id, JSON.stringify(message), String(this.ttl), digest(before), after, ''],
      );
      if (result === -1) continue; // the round changed meanwhile: apply the update again
      if (result === 1 && next) this.rounds.remember(sessionId, after);
      return result === 1
        ? { stored: true, ...(next ? { session: next } : {}) }
        : { stored: false };
    }
  }

  async messages(sessionId: string): Promise<StoredMessage[]> {
    const keys = sessionKeys(this.prefix, sessionId);
    const ids = await this.redis.lrange(keys.order, 0, -1);
    if (ids.length === 0) return [];
    const values = await this.redis.hmget(keys.messages, ...ids);
    return values.flatMap((v) => (v === null ? [] : [JSON.parse(v) as StoredMessage]));
  }

  async message(sessionId: string, messageId: string): Promise<StoredMessage | undefined> {
    const value = await this.redis.hget(sessionKeys(this.prefix, sessionId).messages, messageId);
    return value === null ? undefined : (JSON.parse(value) as StoredMessage);
  }
}
