import type { Redis } from 'ioredis';
import {
  asCommit,
  type SessionCommit,
  type SessionStore,
  type SessionUpdate,
} from '../src/ports/session-store.js';
import type { Scorecard } from '../src/scoring/scorecard.js';
import { attentionAt, type Session, type StoredMessage } from '../src/session.js';
import { CLAIM, DELETE_IF_EQUAL, TAKE_OVER } from './claims.js';
import { activeKey, dueKey, sessionKeys, threadKey, userKey } from './keys.js';
import { KnownRounds } from './known-rounds.js';
import { RedisSessionMessages } from './session-messages.js';
import { COMMIT, digest, SAVE_SCORECARD } from './session-scripts.js';

export interface RedisSessionStoreOptions {
  /** Key prefix (default `md`); tests use a random one. */
  readonly prefix?: string;
  /** How long a round's data is kept after its last change, in seconds (default 30 days). */
  readonly retentionSeconds?: number;
}

/**
 * Sessions in Redis. Updates are atomic per session (optimistic compare-and-set, retried on
 * conflict), messages are stored once per platform message id, and every key expires
 * `retentionSeconds` after the round's last change.
 */
export class RedisSessionStore implements SessionStore {
  private readonly prefix: string;
  private readonly ttl: number;
  /** The rounds' JSON as this store last read or wrote it, which a commit starts from. */
  private readonly rounds = new KnownRounds();
  /** The rounds' messages, kept beside each round's JSON. */
  private readonly sessionMessages: RedisSessionMessages;

  constructor(
    private readonly redis: Redis,
    options: RedisSessionStoreOptions = {},
  ) {
    this.prefix = options.prefix ?? 'md';
    this.ttl = Math.round(options.retentionSeconds ?? 30 * 24 * 3600);
    this.sessionMessages = new RedisSessionMessages(redis, this.prefix, this.ttl, this.rounds);
  }

  async claimActive(
    platform: string,
    user: string,
    sessionId: string,
    ttlMs: number,
  ): Promise<boolean> {
    const key = activeKey(this.prefix, platform, user);
    for (let tries = 0; tries < 3; tries++) {
      const holder = (await CLAIM(this.redis, [key], [sessionId, String(ttlMs)])) as string | null;
      if (holder === null) return true;
      // Held by a running round, or by a start still under way (no session yet): refused. A
      // round that ended without giving its claim back is taken over.
      const held = await this.get(holder);
      if (!held || held.status === 'active') return false;
      const took = await TAKE_OVER(this.redis, [key], [holder, sessionId, String(ttlMs)]);
      if (took === 1) return true;
    }
    return false;
  }

  async releaseActive(platform: string, user: string, sessionId: string): Promise<void> {
    await DELETE_IF_EQUAL(this.redis, [activeKey(this.prefix, platform, user)], [sessionId]);
  }

  async claimPost(sessionId: string, key: string, holder: string, ttlMs: number): Promise<boolean> {
    const claim = sessionKeys(this.prefix, sessionId).posting(key);
    return (await CLAIM(this.redis, [claim], [holder, String(ttlMs)])) === null;
  }

  async releasePost(sessionId: string, key: string, holder: string): Promise<void> {
    await DELETE_IF_EQUAL(this.redis, [sessionKeys(this.prefix, sessionId).posting(key)], [holder]);
  }

  async create(session: Session): Promise<void> {
    const keys = sessionKeys(this.prefix, session.id);
    const ttl = this.ttlFor(session);
    const json = JSON.stringify(session);
    // Separate keys may live in separate cluster slots: sent together, not as one transaction.
    const writes: Promise<unknown>[] = [
      // The index first: commands on one connection run in order, so it is never behind.
      this.index(session.id, attentionAt(session)),
      this.redis.set(keys.session, json, 'EX', ttl),
      this.redis.set(threadKey(this.prefix, session.thread), session.id, 'EX', ttl),
      // The newest round in a direct conversation takes its plain messages.
      ...(session.conversation
        ? [this.redis.set(threadKey(this.prefix, session.conversation), session.id, 'EX', ttl)]
        : []),
    ];
    for (const user of session.candidates) {
      const history = userKey(this.prefix, session.platform, user);
      writes.push(
        this.redis.set(activeKey(this.prefix, session.platform, user), session.id, 'EX', ttl),
        this.redis.zadd(history, session.startedAt, session.id),
        this.redis.expire(history, ttl),
      );
    }
    await Promise.all(writes);
    this.rounds.remember(session.id, json);
  }

  async get(id: string): Promise<Session | undefined> {
    const json = await this.redis.get(sessionKeys(this.prefix, id).session);
    return json === null ? this.rounds.remember(id, undefined) : this.rounds.parsed(id, json);
  }

  async findByThread(thread: string): Promise<Session | undefined> {
    const id = await this.redis.get(threadKey(this.prefix, thread));
    return id === null ? undefined : this.get(id);
  }

  async findActive(platform: string, user: string): Promise<Session | undefined> {
    const id = await this.redis.get(activeKey(this.prefix, platform, user));
    const session = id === null ? undefined : await this.get(id);
    return session?.status === 'active' ? session : undefined;
  }

  async update(id: string, update: SessionUpdate, current?: Session): Promise<Session | undefined> {
    return this.commit(id, asCommit(update), current);
  }

  async commit(id: string, change: SessionCommit, current?: Session): Promise<Session | undefined> {
    const keys = sessionKeys(this.prefix, id);
    // JSON.stringify of what was parsed from the stored JSON reproduces it exactly.
    let stored = current;
    let remembered = current === undefined ? this.rounds.lastSeen(id) : undefined;
    let before = current
      ? (this.rounds.textOf(current) ?? JSON.stringify(current))
      : (remembered ?? (await this.redis.get(keys.session)));
    for (;;) {
      if (before === null) return this.rounds.remember(id, undefined);
      stored ??= this.rounds.parsed(id, before);
      const next = change(stored);
      if (!next && remembered !== undefined) {
        // Nothing to change is decided on the round as stored, never on what this process
        // remembers (another process may have moved it on: scheduled the probe now due).
        before = await this.redis.get(keys.session);
        stored = undefined;
        remembered = undefined;
        continue;
      }
      if (!next) return undefined;
      const after = JSON.stringify(next.session);
      // A round that comes to need attention is indexed before the change is written (sent on
      // the same connection, so in that order); one that no longer does leaves the index after.
      const was = attentionAt(stored);
      const will = attentionAt(next.session);
      const indexed = will !== undefined && will !== was ? this.index(id, will) : undefined;
      const stops = stored.status === 'active' && next.session.status !== 'active';
      // Both awaited together: when Redis is unreachable both fail, and neither failure may go
      // unhandled (that would stop the process).
      const [written] = await Promise.all([
        COMMIT(
          this.redis,
          [keys.session, keys.messages, keys.order, keys.gone],
          [
            digest(before),
            after,
            String(this.ttl),
            stops ? '1' : '0',
            ...next.messages.flatMap((m) => [m.id, JSON.stringify(m)]),
          ],
        ),
        indexed,
      ]);
      if (written === 1) {
        this.rounds.wrote(id, next.session, after);
        if (will === undefined && was !== undefined) await this.index(id, undefined);
        if (stops) {
          // Sent at once but not waited for, so the closing line is not held up by it: later
          // commands of this process follow it on the connection, and if it fails, the person's
          // next start takes the claim over (`claimActive`) and the thread's key expires when it
          // would have anyway (the round's length plus the retention).
          this.retire(next.session).catch(() => undefined);
        }
        return next.session;
      }
      if (written === 0) return this.rounds.remember(id, undefined); // deleted or forgotten
      before = await this.redis.get(keys.session); // changed meanwhile (or the hint was stale)
      stored = undefined;
      remembered = undefined;
    }
  }

  addMessage(sessionId: string, message: StoredMessage): Promise<boolean> {
    return this.sessionMessages.addMessage(sessionId, message);
  }

  withdrawMessage(
    sessionId: string,
    withdrawn: StoredMessage,
    update: SessionUpdate,
  ): Promise<void> {
    return this.sessionMessages.withdrawMessage(sessionId, withdrawn, update);
  }

  dropMessage(sessionId: string, messageId: string): Promise<void> {
    return this.sessionMessages.dropMessage(sessionId, messageId);
  }

  addReply(
    sessionId: string,
    message: StoredMessage,
    update: SessionUpdate,
  ): Promise<{ readonly stored: boolean; readonly session?: Session }> {
    return this.sessionMessages.addReply(sessionId, message, update);
  }

  messages(sessionId: string): Promise<StoredMessage[]> {
    return this.sessionMessages.messages(sessionId);
  }

  message(sessionId: string, messageId: string): Promise<StoredMessage | undefined> {
    return this.sessionMessages.message(sessionId, messageId);
  }

  async saveScorecard(sessionId: string, scorecard: Scorecard): Promise<void> {
    const keys = sessionKeys(this.prefix, sessionId);
    await SAVE_SCORECARD(
      this.redis,
      [keys.scorecard, keys.gone],
      [JSON.stringify(scorecard), String(this.ttl)],
    );
  }

  async getScorecard(sessionId: string): Promise<Scorecard | undefined> {
    const json = await this.redis.get(sessionKeys(this.prefix, sessionId).scorecard);
    return json === null ? undefined : (JSON.parse(json) as Scorecard);
  }

  async history(platform: string, user: string, limit: number): Promise<Session[]> {
    const ids = await this.redis.zrange(
      userKey(this.prefix, platform, user),
      '+inf',
      '-inf',
      'BYSCORE',
      'REV',
      'LIMIT',
      0,
      limit,
    );
    const sessions = await Promise.all(ids.map((id) => this.get(id)));
    return sessions.filter((s): s is Session => s !== undefined);
  }

  async running(platform: string): Promise<Session[]> {
    // Every running round is in the sweeper's index (due at its end), with the few that wait
    // for scoring or a post; the reads go out pipelined.
    const ids = await this.redis.zrange(dueKey(this.prefix), '0', '-1');
    const sessions = await Promise.all(ids.map((id) => this.get(id)));
    return sessions.filter((s): s is Session => s?.status === 'active' && s.platform === platform);
  }

  async due(before: number, limit: number): Promise<string[]> {
    return this.redis.zrangebyscore(dueKey(this.prefix), '-inf', before, 'LIMIT', 0, limit);
  }

  async reindex(id: string, notBefore: number): Promise<void> {
    const session = await this.get(id);
    const at = session && attentionAt(session);
    await this.index(id, at === undefined ? undefined : Math.max(at, notBefore));
  }

  /** Sets (or, with `undefined`, drops) a round's entry in the sweeper's index. */
  private async index(id: string, at: number | undefined): Promise<void> {
    if (at === undefined) await this.redis.zrem(dueKey(this.prefix), id);
    else await this.redis.zadd(dueKey(this.prefix), at, id);
  }

  /** Deletes every round of a user on a platform, with its messages and scorecard. */
  async forgetUser(platform: string, user: string): Promise<number> {
    const history = userKey(this.prefix, platform, user);
    const ids = await this.redis.zrange(history, '0', '-1');
    for (const id of ids) {
      const session = await this.get(id);
      this.rounds.remember(id, undefined);
      const keys = sessionKeys(this.prefix, id);
      // The tombstone first: a job still working on the round can no longer write to it.
      await this.redis.set(keys.gone, '1', 'EX', this.ttl);
      await this.redis.del(keys.session, keys.messages, keys.order, keys.scorecard);
      await this.index(id, undefined);
      if (session) await this.redis.del(threadKey(this.prefix, session.thread));
      if (session?.conversation) {
        await DELETE_IF_EQUAL(this.redis, [threadKey(this.prefix, session.conversation)], [id]);
      }
    }
    // Only what was deleted: a round started meanwhile keeps its place in the history and its
    // claim on the person's active slot (a later `forget` finds it).
    if (ids.length > 0) await this.redis.zrem(history, ...ids);
    for (const id of ids) {
      await DELETE_IF_EQUAL(this.redis, [activeKey(this.prefix, platform, user)], [id]);
    }
    return ids.length;
  }

  /**
   * A round left the active state: drop the active index and start the retention clock of its
   * thread's key (the commit that stopped it started its own keys').
   */
  private async retire(session: Session): Promise<void> {
    await Promise.all([
      ...session.candidates.map((user) =>
        DELETE_IF_EQUAL(this.redis, [activeKey(this.prefix, session.platform, user)], [session.id]),
      ),
      this.redis.expire(threadKey(this.prefix, session.thread), this.ttl),
    ]);
  }

  /** While a round runs, keep it for its whole (scaled) length plus the retention period. */
  private ttlFor(session: Session): number {
    return this.ttl + Math.ceil(session.minutes * 60 * session.timeScale);
  }
}
