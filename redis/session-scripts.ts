/**
 * The Lua scripts that write a round's own keys (its JSON, messages and scorecard) in one atomic
 * step, each refusing to write once `forget` has left the round's tombstone, and the digest by
 * which the round's text is compared.
 */
import { createHash } from 'node:crypto';
import { luaScript } from './lua-script.js';

/** The SHA1 of a round's stored text, as Redis's `redis.sha1hex` computes it. */
export function digest(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Replaces the session JSON whose SHA1 is ARGV[1] with ARGV[2] only if it is still what we read
 * (compare-and-set by digest: the round's text goes over the wire once, not twice), and stores the
 * messages given as id/JSON pairs from ARGV[5] on, each once per id, in the same step. With ARGV[4]
 * `1` (the round has just stopped running) the round and its messages are kept for the retention
 * ARGV[3] from now; otherwise message keys live as long as the round's own key (a round that
 * never expires, as a test may write, keeps them for the retention). Returns 1 when done, -1 when
 * the session changed meanwhile (nothing written: read it again), 0 when the round is gone.
 */
export const COMMIT = luaScript(`
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if redis.sha1hex(current) ~= ARGV[1] then return -1 end
local ttl = tonumber(ARGV[3])
if ARGV[4] == '1' then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ttl)
else
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  local left = redis.call('TTL', KEYS[1])
  if left >= 0 then ttl = left end
end
for i = 5, #ARGV, 2 do
  if redis.call('HSETNX', KEYS[2], ARGV[i], ARGV[i + 1]) == 1 then
    redis.call('RPUSH', KEYS[3], ARGV[i])
  end
end
if ARGV[4] == '1' or #ARGV > 4 then
  redis.call('EXPIRE', KEYS[2], ttl)
  redis.call('EXPIRE', KEYS[3], ttl)
end
return 1`);

/**
 * Stores a message once per id and remembers the order, unless the round was forgotten (with
 * ARGV[6] = '1', in place of the one stored under that id, only while that is still the JSON
 * ARGV[7], or nothing when ARGV[7] is ''); with ARGV[5] (the round's update) also replaces the
 * session whose SHA1 is ARGV[4] with ARGV[5], in the same step. Returns 0 when the message was
 * stored already (or the round is gone), -1 when the session or the message to replace changed
 * meanwhile (nothing written: read them again), 1 when done. The message keys live as long as the
 * round's own key (while it runs, its length plus the retention; once over, the retention from its
 * end), never longer: a word typed in an old round's thread does not keep its messages past the
 * round, out of `forget`'s reach. A round whose key has expired stores nothing.
 */
export const ADD_MESSAGE = luaScript(`
if redis.call('EXISTS', KEYS[4]) == 1 then return 0 end
if ARGV[6] == '1' then
  if (redis.call('HGET', KEYS[1], ARGV[1]) or '') ~= ARGV[7] then return -1 end
elseif redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then
  return 0
end
if ARGV[5] ~= '' then
  local current = redis.call('GET', KEYS[3])
  if not current then return 0 end
  if redis.sha1hex(current) ~= ARGV[4] then return -1 end
  redis.call('SET', KEYS[3], ARGV[5], 'KEEPTTL')
end
local ttl = redis.call('TTL', KEYS[3])
if ttl == -2 then return 0 end
if ttl == -1 then ttl = tonumber(ARGV[3]) end
if redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  redis.call('RPUSH', KEYS[2], ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return 1`);

/** Stores the scorecard unless the round was forgotten. */
export const SAVE_SCORECARD = luaScript(`
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1`);
