import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { activeKey, sessionKeys, threadKey } from '../../redis/keys.js';
import { RedisSessionStore } from '../../redis/redis-session-store.js';
import { MemorySessionStore } from '../../src/memory/memory-session-store.js';
import type { SessionStore, SessionUpdate } from '../../src/ports/session-store.js';
import { newSession, type Session } from '../../src/session.js';
import { dropPrefix, randomPrefix, redisClient } from './redis-harness.js';

const redis = redisClient();
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await dropPrefix(redis, p);
  redis.disconnect();
});

const session = (id: string, user = 'U1', startedAt = 1000): Session =>
  newSession({
    id,
    platform: 'test',
    channel: 'test:C1',
    thread: `test:C1:${id}`,
    mode: 'live',
    promptId: 'p',
    minutes: 45,
    timeScale: 1,
    candidates: [user],
    startedAt,
    firstPhase: 'framing',
  });

/** A key prefix of its own, dropped after the file's tests. */
function newPrefix(): string {
  const prefix = randomPrefix();
  prefixes.push(prefix);
  return prefix;
}

/** A Redis store keeping rounds 60 s, on `prefix` (shared by stores standing for two processes). */
const redisStore = (prefix = newPrefix()) =>
  new RedisSessionStore(redis, { prefix, retentionSeconds: 60 });

const stores: [string, () => SessionStore][] = [
  ['memory', () => new MemorySessionStore()],
  ['redis', () => redisStore()],
];

describe.each(stores)('%s session store', (_name, make) => {
  it('finds a session by id, thread and active user', async () => {
    const store = make();
    await store.create(session('r1'));
    expect((await store.get('r1'))?.thread).toBe('test:C1:r1');
    expect((await store.findByThread('test:C1:r1'))?.id).toBe('r1');
    expect((await store.findActive('test', 'U1'))?.id).toBe('r1');
    expect(await store.findActive('test', 'U2')).toBeUndefined();
    expect(await store.get('nope')).toBeUndefined();
  });

  it('lets one holder at a time post an outbox entry, and the next once it is given up', async () => {
    const store = make();
    expect(await store.claimPost('r1', 'event-end', 'job-a', 30_000)).toBe(true);
    expect(await store.claimPost('r1', 'event-end', 'job-b', 30_000)).toBe(false);
    expect(await store.claimPost('r1', 'scorecard', 'job-b', 30_000)).toBe(true);
    expect(await store.claimPost('r2', 'event-end', 'job-b', 30_000)).toBe(true);
    await store.releasePost('r1', 'event-end', 'job-b'); // not its claim: nothing happens
    expect(await store.claimPost('r1', 'event-end', 'job-b', 30_000)).toBe(false);
    await store.releasePost('r1', 'event-end', 'job-a');
    expect(await store.claimPost('r1', 'event-end', 'job-b', 30_000)).toBe(true);
  });

  it('gives a person’s active slot to one of two starts, and back once the round is over', async () => {
    const store = make();
    const claims = await Promise.all([
      store.claimActive('test', 'U1', 'r1', 60_000),
      store.claimActive('test', 'U1', 'r2', 60_000),
    ]);
    expect(claims.filter(Boolean)).toHaveLength(1);
    const winner = claims[0] ? 'r1' : 'r2';
    const loser = winner === 'r1' ? 'r2' : 'r1';
    await store.releaseActive('test', 'U1', loser); // not the loser's to give back
    expect(await store.claimActive('test', 'U1', 'r3', 60_000)).toBe(false);
    await store.create(session(winner));
    expect(await store.claimActive('test', 'U1', 'r3', 60_000)).toBe(false);
    await store.update(winner, (s) => ({ ...s, status: 'scoring' }));
    expect(await store.claimActive('test', 'U1', 'r3', 60_000)).toBe(true);
    await store.releaseActive('test', 'U1', 'r3');
    expect(await store.claimActive('test', 'U1', 'r4', 60_000)).toBe(true);
  });

  it('indexes rounds that need attention, and drops them once nothing is left to do', async () => {
    const store = make();
    const s = session('r9');
    await store.create(s);
    const end = s.startedAt + 45 * 60_000;
    expect(await store.due(end - 1, 10)).toEqual([]);
    expect(await store.due(end, 10)).toEqual(['r9']);
    // The sweeper's wait: not due again before it, and due by what it needs once that is later.
    await store.reindex('r9', end + 60_000);
    expect(await store.due(end + 59_999, 10)).toEqual([]);
    expect(await store.due(end + 60_000, 10)).toEqual(['r9']);
    await store.reindex('r9', end - 60_000);
    expect(await store.due(end, 10)).toEqual(['r9']);
    await store.update('r9', (x) => ({ ...x, status: 'done', endedAt: 60 }));
    expect(await store.due(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
  });

  it('applies concurrent updates one after another, never losing one', async () => {
    const store = make();
    await store.create(session('r2'));
    await Promise.all(
      Array.from({ length: 50 }, () =>
        store.update('r2', (s) => ({ ...s, replies: s.replies + 1 })),
      ),
    );
    expect((await store.get('r2'))?.replies).toBe(50);
    expect(await store.update('r2', () => undefined)).toBeUndefined();
    expect(await store.update('missing', (s) => s)).toBeUndefined();
  });

  it('applies an update given an out-of-date copy of the round to the newest round', async () => {
    const store = make();
    await store.create(session('r8'));
    const read = await store.get('r8');
    const first = await store.update('r8', (s) => ({ ...s, replies: s.replies + 1 }), read);
    expect(first?.replies).toBe(1);
    // `read` is now out of date: the update is applied to what is stored, not to it.
    const second = await store.update('r8', (s) => ({ ...s, replies: s.replies + 1 }), read);
    expect(second?.replies).toBe(2);
    // The round an update returned is current: given back, it is taken as it is.
    const third = await store.update('r8', (s) => ({ ...s, replies: s.replies + 1 }), second);
    expect(third?.replies).toBe(3);
    expect((await store.get('r8'))?.replies).toBe(3);
  });

  it('updates a round whose text is not ASCII, by update and with a reply alike', async () => {
    const store = make();
    await store.create(session('r10'));
    const message = {
      kind: 'interviewer' as const,
      event: 'pivot',
      line: 'cue' as const,
      text: 'Naïve — ‘é’ 🚀',
      phaseName: 'Déjà vu',
      minute: 20,
      remainingMinutes: 25,
      controlsFor: [],
    };
    const noted = await store.update('r10', (s) => ({
      ...s,
      outbox: [{ key: 'event-pivot', message, since: 1 }],
    }));
    expect(noted?.outbox[0]?.message).toEqual(message);
    const reply = { id: 'm1', role: 'candidate' as const, author: 'U1', at: 1, text: 'ça' };
    const added = await store.addReply('r10', reply, (s) => ({ ...s, replies: s.replies + 1 }));
    expect(added.stored).toBe(true);
    const after = await store.update('r10', (s) => ({ ...s, outbox: [] }), noted);
    expect(after).toMatchObject({ replies: 1, outbox: [] });
  });

  it('stores a message once per id, in order', async () => {
    const store = make();
    await store.create(session('r3'));
    const m = (id: string) => ({ id, role: 'candidate' as const, author: 'U1', at: 1, text: id });
    expect(await store.addMessage('r3', m('a'))).toBe(true);
    expect(await store.addMessage('r3', m('a'))).toBe(false);
    expect(await store.addMessage('r3', m('b'))).toBe(true);
    expect((await store.messages('r3')).map((x) => x.id)).toEqual(['a', 'b']);
    // Taken back (a command that failed), the same id is stored again.
    await store.dropMessage('r3', 'a');
    expect((await store.messages('r3')).map((x) => x.id)).toEqual(['b']);
    expect(await store.addMessage('r3', m('a'))).toBe(true);
    expect((await store.messages('r3')).map((x) => x.id)).toEqual(['b', 'a']);
  });

  it('withdraws a candidate’s message in its place and counts it once, and leaves any other alone', async () => {
    const store = make();
    await store.create(session('r11', 'U5'));
    type Role = 'candidate' | 'command' | 'withdrawn';
    const m = (id: string, role: Role, text: string, at = 1) => ({
      id,
      role,
      author: 'U5',
      at,
      text,
    });
    const count: SessionUpdate = (s) => ({ ...s, withdrawn: (s.withdrawn ?? 0) + 1 });
    await store.addMessage('r11', m('a', 'candidate', 'first'));
    await store.addMessage('r11', m('b', 'candidate', 'second'));
    await store.addMessage('r11', m('n', 'command', 'next'));
    // The placeholder's author and time are for a message not stored yet: a stored one keeps its own.
    await store.withdrawMessage('r11', { ...m('a', 'withdrawn', '', 9), author: 'U6' }, count);
    // Told of again, and of a command word: nothing changes, nothing more is counted.
    await store.withdrawMessage('r11', m('a', 'withdrawn', '', 9), count);
    await store.withdrawMessage('r11', m('n', 'withdrawn', '', 9), count);
    // A deletion reported before its message: the message, delivered after, is not stored.
    await store.withdrawMessage('r11', m('c', 'withdrawn', '', 9), count);
    expect(await store.addMessage('r11', m('c', 'candidate', 'late'))).toBe(false);
    expect(await store.messages('r11')).toEqual([
      m('a', 'withdrawn', ''),
      m('b', 'candidate', 'second'),
      m('n', 'command', 'next'),
      m('c', 'withdrawn', '', 9),
    ]);
    expect((await store.get('r11'))?.withdrawn).toBe(1);
    expect(await store.message('r11', 'b')).toEqual(m('b', 'candidate', 'second'));
    expect(await store.message('r11', 'nope')).toBeUndefined();
    await store.forgetUser('test', 'U5');
    await store.withdrawMessage('r11', m('d', 'withdrawn', ''), count);
    expect(await store.messages('r11')).toEqual([]);
  });

  it('is no longer active once ended, keeps history newest first, and forgets a user', async () => {
    const store = make();
    await store.create(session('r4', 'U9', 1000));
    await store.update('r4', (s) => ({ ...s, status: 'done' }));
    await store.create(session('r5', 'U9', 2000));
    expect((await store.findActive('test', 'U9'))?.id).toBe('r5');
    expect((await store.history('test', 'U9', 10)).map((s) => s.id)).toEqual(['r5', 'r4']);
    expect(await store.forgetUser('test', 'U9')).toBe(2);
    expect(await store.get('r4')).toBeUndefined();
    expect(await store.findByThread('test:C1:r5')).toBeUndefined();
    expect(await store.history('test', 'U9', 10)).toEqual([]);
  });

  it('leaves a round started while it forgets in the history, with its claim on the active slot', async () => {
    const store = make();
    await store.create(session('r10', 'U7', 1000));
    await store.update('r10', (s) => ({ ...s, status: 'done' }));
    // The new round's writes go out while forget works through the rounds it read.
    const [count] = await Promise.all([
      store.forgetUser('test', 'U7'),
      (async () => {
        expect(await store.claimActive('test', 'U7', 'r11', 60_000)).toBe(true);
        await store.create(session('r11', 'U7', 2000));
      })(),
    ]);
    expect(count).toBe(1);
    expect((await store.history('test', 'U7', 10)).map((s) => s.id)).toEqual(['r11']);
    expect((await store.findActive('test', 'U7'))?.id).toBe('r11');
  });

  it('writes nothing more of a forgotten round, even from a job that was still running', async () => {
    const store = make();
    await store.create(session('r6', 'U8'));
    await store.forgetUser('test', 'U8');
    const card = { overall: 50 } as unknown as Parameters<SessionStore['saveScorecard']>[1];
    await store.saveScorecard('r6', card);
    const message = { id: 'm1', role: 'candidate' as const, author: 'U8', at: 1, text: 'late' };
    expect(await store.addMessage('r6', message)).toBe(false);
    expect(await store.getScorecard('r6')).toBeUndefined();
    expect(await store.messages('r6')).toEqual([]);
    expect(await store.update('r6', (s) => ({ ...s, status: 'done' }))).toBeUndefined();
  });
});

describe('the Redis session store with Redis unreachable', () => {
  it('refuses a commit and leaves none of its commands’ failures unhandled', async () => {
    const unhandled: unknown[] = [];
    const note = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', note);
    // Nothing listens on port 1, and nothing is queued for later: every command fails at once.
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      enableAutoPipelining: true,
    });
    down.on('error', () => {});
    try {
      const store = new RedisSessionStore(down, { prefix: newPrefix(), retentionSeconds: 60 });
      const round = session('r1');
      // Ended: the round needs the sweeper's attention at another time, so its index changes too.
      const ended = { ...round, status: 'scoring' as const, endedAt: 60 };
      await expect(
        store.commit('r1', () => ({ session: ended, messages: [] }), round),
      ).rejects.toThrow();
      await new Promise((r) => setTimeout(r, 100));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', note);
      down.disconnect();
    }
  });
});

describe('the Redis session store’s retention', () => {
  it('keeps a long round’s messages as long as the round, not just the retention period', async () => {
    const prefix = newPrefix();
    const store = redisStore(prefix);
    await store.create({ ...session('r7'), mode: 'async', minutes: 72 * 60 });
    await store.addMessage('r7', { id: 'm1', role: 'candidate', author: 'U1', at: 1, text: 'x' });
    const ttl = await redis.ttl(`${prefix}:{r7}:messages`);
    expect(ttl).toBeGreaterThan(72 * 3600);
  });
});

describe('the Redis session store’s retention once a round stops', () => {
  it('keeps the round and its messages for the retention period from its end', async () => {
    const prefix = newPrefix();
    const store = redisStore(prefix);
    await store.create({ ...session('r9'), mode: 'async', minutes: 72 * 60 });
    await store.addMessage('r9', { id: 'm1', role: 'candidate', author: 'U1', at: 1, text: 'x' });
    const keys = sessionKeys(prefix, 'r9');
    expect(await redis.ttl(keys.session)).toBeGreaterThan(72 * 3600);
    await store.commit('r9', (s) => ({
      session: { ...s, status: 'scoring', endedAt: 60 },
      messages: [{ id: 'event-end', role: 'interviewer', author: '', at: 60, text: 'Time.' }],
    }));
    const expiring = async () => {
      for (const key of [
        keys.session,
        keys.messages,
        keys.order,
        threadKey(prefix, 'test:C1:r9'),
      ]) {
        const ttl = await redis.ttl(key);
        expect(ttl, key).toBeGreaterThan(0);
        expect(ttl, key).toBeLessThanOrEqual(60);
      }
    };
    await expiring();
    // A word typed in its thread later, or a later change to it, keeps nothing longer.
    await redis.expire(keys.session, 30);
    await store.addMessage('r9', {
      id: 'm2',
      role: 'command',
      author: 'U1',
      at: 90,
      text: 'status',
    });
    await store.update('r9', (s) => ({ ...s, outbox: [] }));
    for (const key of [keys.messages, keys.order])
      expect(await redis.ttl(key), key).toBeLessThanOrEqual(30);
    // Once the round itself has expired, nothing of it is stored again.
    await redis.del(keys.session);
    expect(
      await store.addMessage('r9', {
        id: 'm3',
        role: 'command',
        author: 'U1',
        at: 99,
        text: 'help',
      }),
    ).toBe(false);
  });
});

describe('the Redis session store’s claim on a person’s active slot', () => {
  it('lets the next start take over a claim that an ended round never gave back', async () => {
    const prefix = newPrefix();
    const store = redisStore(prefix);
    expect(await store.claimActive('test', 'U1', 'r1', 60_000)).toBe(true);
    await store.create(session('r1'));
    // What a failed release leaves: the round is over, its claim is still held.
    const ended = { ...session('r1'), status: 'scoring' as const, endedAt: 60 };
    await redis.set(sessionKeys(prefix, 'r1').session, JSON.stringify(ended), 'KEEPTTL');
    expect(await redis.get(activeKey(prefix, 'test', 'U1'))).toBe('r1');
    expect(await store.claimActive('test', 'U1', 'r2', 60_000)).toBe(true);
    expect(await redis.get(activeKey(prefix, 'test', 'U1'))).toBe('r2');
  });
});

describe('the Redis session store’s claim on posting an outbox entry', () => {
  it('lapses after its time, so a holder that died blocks nothing for long', async () => {
    const store = redisStore();
    expect(await store.claimPost('r1', 'event-end', 'job-a', 200)).toBe(true);
    expect(await store.claimPost('r1', 'event-end', 'job-b', 200)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await store.claimPost('r1', 'event-end', 'job-b', 200)).toBe(true);
  });
});

describe('two Redis session stores on one round (two processes)', () => {
  it('decide a commit on the round as stored, not as one of them last saw it', async () => {
    const prefix = newPrefix();
    const [a, b] = [redisStore(prefix), redisStore(prefix)];
    await a.create(session('r8'));
    // `b` moves the round on; `a` still remembers it as it created it.
    await b.update('r8', (s) => ({ ...s, replies: 1 }));
    // A change that writes is applied to the round as it is now.
    const written = await a.commit('r8', (s) => ({
      session: { ...s, replies: s.replies + 1 },
      messages: [],
    }));
    expect(written?.replies).toBe(2);
    await b.update('r8', (s) => ({ ...s, replies: 5 }));
    // A change that finds nothing to do on what `a` remembers is decided again on what is stored.
    const decided = await a.update('r8', (s) =>
      s.replies === 5 ? { ...s, replies: 6 } : undefined,
    );
    expect(decided?.replies).toBe(6);
    expect((await b.get('r8'))?.replies).toBe(6);
  });

  it('withdraw a deleted answer both are told of at once in its place, and count it once', async () => {
    const prefix = newPrefix();
    const [a, b] = [redisStore(prefix), redisStore(prefix)];
    await a.create(session('r12'));
    const answer = (id: string, text: string) => ({
      id,
      role: 'candidate' as const,
      author: 'U1',
      at: 30,
      text,
    });
    const replied: SessionUpdate = (s) => ({ ...s, replies: s.replies + 1 });
    await a.addReply('r12', answer('m1', 'first'), replied);
    await a.addReply('r12', answer('m2', 'second'), replied);
    const placeholder = { id: 'm1', role: 'withdrawn' as const, author: 'U1', at: 90, text: '' };
    const count: SessionUpdate = (s) => ({ ...s, withdrawn: (s.withdrawn ?? 0) + 1 });
    // Each process handles the deletion more than once (a platform's retries), all at once.
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? a : b).withdrawMessage('r12', placeholder, count),
      ),
    );
    expect(await b.get('r12')).toMatchObject({ replies: 2, withdrawn: 1 });
    expect(await a.messages('r12')).toEqual([
      { ...answer('m1', ''), role: 'withdrawn' },
      answer('m2', 'second'),
    ]);
  });
});
