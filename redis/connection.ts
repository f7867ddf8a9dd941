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
 * `worker`, BullMQ's workers (and their blocking fetches); `health`, the pings of a process that
 * holds no data (the shard manager's health check).
 */
export type ConnectionName = 'store' | 'queue' | 'worker' | 'health';

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
 * Opens an ioredis connection and checks it answers, in the database `url` names; throws a
 * `ConfigError` naming `REDIS_URL`, with what Redis or the network said (ECONNREFUSED, NOAUTH,
 * WRONGPASS, a database the server does not have), when it does not within `timeoutMs`. After
 * start, a lost connection is retried with capped backoff. A `worker` connection (BullMQ's
 * blocking commands) waits for Redis to come back; any other fails a command after a few retries,
 * so a reply is refused visibly instead of hanging.
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
  // The connect promise says only "Connection is closed."; the error event says why.
  let lastError: Error | undefined;
  const remember = (error: Error) => {
    lastError = error;
  };
  redis.on('error', remember);
  redis.on('error', () => {}); // reconnects are handled by retryStrategy; commands surface errors
  const db = redis.options.db ?? 0;
  try {
    await withTimeout(
      redis.connect().then(() => redis.ping()),
      timeoutMs,
    );
  } catch (error) {
    redis.disconnect();
    throw new ConfigError(unreachable(url, lastError ?? error));
  } finally {
    redis.off('error', remember);
  }
  // ioredis selects the database as it connects, and a refusal leaves the connection in
  // database 0 with only an error event: asked again, Redis says whether it has it.
  if (db !== 0) {
    try {
      await withTimeout(redis.select(db), timeoutMs);
    } catch (error) {
      redis.disconnect();
      throw new ConfigError(
        `REDIS_URL: database ${db} does not exist on this Redis (${firstLine(error)}): use one below its \`databases\` setting (16 by default)`,
      );
    }
  }
  return redis;
}

/** Why Redis at `url` could not be used, with the password hidden and a hint where one helps. */
function unreachable(url: string, error: unknown): string {
  const reason = firstLine(error);
  const at = safeUrl(url);
  if (reason.startsWith('NOAUTH')) {
    return `REDIS_URL: Redis at ${at} requires a password (NOAUTH): give it as redis://:PASSWORD@host:port (or redis://USER:PASSWORD@host:port)`;
  }
  if (reason.startsWith('WRONGPASS')) {
    return `REDIS_URL: Redis at ${at} refused the user or password (${reason})`;
  }
  return `REDIS_URL: cannot reach Redis at ${at} (${reason})`;
}

/** An error's message up to its first line break. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0] ?? message;
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
