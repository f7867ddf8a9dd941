/** Small scripts for keys that one holder owns at a time (an active round, a channel's challenge). */
import { luaScript } from './lua-script.js';

/** Deletes the key only while it holds the given value. */
export const DELETE_IF_EQUAL = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`);

/** Sets the key to ARGV[1] for ARGV[2] ms unless it holds another value, which it returns. */
export const CLAIM = luaScript(`
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return holder end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return false`);

/** Replaces the key's value ARGV[1] with ARGV[2] (keeping its expiry) only while it is ARGV[1]. */
export const COMPARE_AND_SET = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
return 1`);

/** Replaces the key's value ARGV[1] with ARGV[2] for ARGV[3] ms, only while it holds ARGV[1]. */
export const TAKE_OVER = luaScript(`
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1`);
