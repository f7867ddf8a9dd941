import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A Lua script run by its SHA1 (`EVALSHA`), sent whole only when Redis does not know it yet. */
export type LuaScript = (
  redis: Redis,
  keys: readonly string[],
  args: readonly string[],
) => Promise<unknown>;

/**
 * A script that is sent once per Redis server rather than with every call: on a busy store the
 * script bodies were most of what went over the wire.
 */
export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return redis.eval(source, keys.length, ...keys, ...args);
    }
  };
}
