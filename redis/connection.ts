import { Redis, type RedisOptions } from 'ioredis';
import { ConfigError } from '../src/errors.js';

/** The URL without its password, safe to print. */
export function safeUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured URL';
  }
}

/**
 * What a connection is for: `store`, the rounds' data; `queue`, adding and removing BullMQ jobs;
 * `worker`, BullMQ's workers (and their blocking fetches).
 */
export type ConnectionName = 'store' | 'queue' | 'worker';

/**
 * How a connection sends its commands. The store's connection pipelines automatically: the
 * commands that many rounds' jobs issue in the same tick go out in one write and come back in one
 * read, instead of one system call each, which was most of the busy process's CPU at 10,000
 * rounds. It carries no BullMQ queue: BullMQ defines its 64 scripts on the connection it is
 * given, and ioredis copies every defined script into each pipeline it builds (one per batch),
 * which cost a pipeline 54 µs instead of 4. The queue's and the worker's connections send each
 * command on its own.
 */
export function connectionOptions(
  name: ConnectionName,
): Pick<RedisOptions, 'enableAutoPipelining'> {
  return { enableAutoPipelining: name === 'store' };
}

/**
 * Opens an ioredis connection and checks it answers; throws a `ConfigError` naming `REDIS_URL`
 * when it does not within `timeoutMs`. After start, a lost connection is retried with capped
 * backoff. A `worker` connection (BullMQ's blocking commands) waits for Redis to come back; any
 * other fails a command after a few retries, so a reply is refused visibly instead of hanging.
 */
export async function connectRedis(
  url: string,
  name: ConnectionName,
  timeoutMs = 5000,
): Promise<Redis> {
  const redis = new Redis(url, {
    ...connectionOptions(name),
    connectionName: `mockdesign-${name}`,
    maxRetriesPerRequest: name === 'worker' ? null : 3,
    lazyConnect: true,
    retryStrategy: (attempt) => Math.min(2000, 50 * 2 ** attempt),
  });
  redis.on('error', () => {}); // reconnects are handled by retryStrategy; commands surface errors
  try {
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      timeoutMs,
    );
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigError(`REDIS_URL: cannot reach Redis at ${safeUrl(url)} (${reason})`);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
