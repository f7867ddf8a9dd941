import type { Redis } from 'ioredis';
import type { Challenge, Schedule } from '../src/challenges/challenge.js';
import type { ChallengeStore, ChallengeUpdate } from '../src/ports/challenge-store.js';
import { CLAIM, COMPARE_AND_SET, DELETE_IF_EQUAL } from './claims.js';
import {
  challengeKeys,
  channelSchedulesKey,
  openChallengeKey,
  scheduleKey,
  unrankedKey,
} from './keys.js';

export interface RedisChallengeStoreOptions {
  /** Key prefix (default `md`); tests use a random one. */
  readonly prefix?: string;
  /** How long a challenge is kept after its deadline, in seconds (default 30 days). */
  readonly retentionSeconds?: number;
  /** Epoch ms now (for expiries). */
  readonly now: () => number;
}

/**
 * Challenges in Redis: each as JSON with a hash of its attempts, kept until the retention period
 * after its deadline; a channel's open challenge is a claim key; schedules and leaderboard choices
 * stay until removed. Updates are compare-and-set, retried on conflict.
 */
export class RedisChallengeStore implements ChallengeStore {
  private readonly prefix: string;
  private readonly ttl: number;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisChallengeStoreOptions,
  ) {
    this.prefix = options.prefix ?? 'md';
    this.ttl = Math.round(options.retentionSeconds ?? 30 * 24 * 3600);
  }

  async open(challenge: Challenge): Promise<{ opened: true } | { current: Challenge }> {
    const key = openChallengeKey(this.prefix, challenge.channel);
    // The claim outlives the deadline a little, so a close that failed for good frees it anyway.
    const hold = String(Math.max(1000, challenge.deadline - this.options.now() + 3600_000));
    for (let tries = 0; tries < 3; tries++) {
      const holder = (await CLAIM(this.redis, [key], [challenge.id, hold])) as string | null;
      if (holder === null) {
        const keys = challengeKeys(this.prefix, challenge.id);
        await this.redis.set(
          keys.challenge,
          JSON.stringify(challenge),
          'EX',
          this.ttlOf(challenge),
          'NX',
        );
        return { opened: true };
      }
      const current = await this.get(holder);
      if (current?.status === 'open' && current.deadline > this.options.now()) return { current };
      // A claim left by a challenge that is gone, closed or past its deadline (its close job may
      // not have run yet; it releases only its own claim) is freed.
      await DELETE_IF_EQUAL(this.redis, [key], [holder]);
    }
    throw new Error(`could not claim the channel of challenge ${challenge.id}`);
  }

  async get(id: string): Promise<Challenge | undefined> {
    const json = await this.redis.get(challengeKeys(this.prefix, id).challenge);
    return json === null ? undefined : (JSON.parse(json) as Challenge);
  }

  async update(id: string, update: ChallengeUpdate): Promise<Challenge | undefined> {
    const key = challengeKeys(this.prefix, id).challenge;
    for (;;) {
      const json = await this.redis.get(key);
      if (json === null) return undefined;
      const next = update(JSON.parse(json) as Challenge);
      if (!next) return undefined;
      const done = await COMPARE_AND_SET(this.redis, [key], [json, JSON.stringify(next)]);
      if (done === 1) return next;
    }
  }

  async discard(challenge: Challenge): Promise<void> {
    const keys = challengeKeys(this.prefix, challenge.id);
    await this.release(challenge);
    await this.redis.del(keys.challenge, keys.attempts);
  }

  async release(challenge: Challenge): Promise<void> {
    await DELETE_IF_EQUAL(
      this.redis,
      [openChallengeKey(this.prefix, challenge.channel)],
      [challenge.id],
    );
  }

  async claimAttempt(
    challengeId: string,
    user: string,
    sessionId: string,
  ): Promise<string | undefined> {
    const keys = challengeKeys(this.prefix, challengeId);
    if ((await this.redis.hsetnx(keys.attempts, user, sessionId)) === 1) {
      const ttl = await this.redis.ttl(keys.challenge);
      if (ttl > 0) await this.redis.expire(keys.attempts, ttl);
      return undefined;
    }
    return (await this.redis.hget(keys.attempts, user)) ?? undefined;
  }

  async releaseAttempt(challengeId: string, user: string, sessionId: string): Promise<void> {
    const keys = challengeKeys(this.prefix, challengeId);
    if ((await this.redis.hget(keys.attempts, user)) === sessionId) {
      await this.redis.hdel(keys.attempts, user);
    }
  }

  async attempts(challengeId: string): Promise<ReadonlyMap<string, string>> {
    const all = await this.redis.hgetall(challengeKeys(this.prefix, challengeId).attempts);
    return new Map(Object.entries(all));
  }

  async setRanked(workspace: string, user: string, ranked: boolean): Promise<void> {
    const key = unrankedKey(this.prefix, workspace);
    if (ranked) await this.redis.srem(key, user);
    else await this.redis.sadd(key, user);
  }

  async unranked(workspace: string): Promise<ReadonlySet<string>> {
    return new Set(await this.redis.smembers(unrankedKey(this.prefix, workspace)));
  }

  async saveSchedule(schedule: Schedule): Promise<void> {
    await this.redis.set(scheduleKey(this.prefix, schedule.id), JSON.stringify(schedule));
    await this.redis.zadd(
      channelSchedulesKey(this.prefix, schedule.channel),
      schedule.createdAt,
      schedule.id,
    );
  }

  async getSchedule(id: string): Promise<Schedule | undefined> {
    const json = await this.redis.get(scheduleKey(this.prefix, id));
    return json === null ? undefined : (JSON.parse(json) as Schedule);
  }

  async schedules(channel: string): Promise<Schedule[]> {
    const ids = await this.redis.zrange(channelSchedulesKey(this.prefix, channel), '0', '-1');
    const all = await Promise.all(ids.map((id) => this.getSchedule(id)));
    return all.filter((s): s is Schedule => s !== undefined);
  }

  async deleteSchedule(schedule: Schedule): Promise<void> {
    await this.redis.zrem(channelSchedulesKey(this.prefix, schedule.channel), schedule.id);
    await this.redis.del(scheduleKey(this.prefix, schedule.id));
  }

  /** Seconds a challenge is kept: until its deadline, then the retention period. */
  private ttlOf(challenge: Challenge): number {
    return this.ttl + Math.max(0, Math.ceil((challenge.deadline - this.options.now()) / 1000));
  }
}
