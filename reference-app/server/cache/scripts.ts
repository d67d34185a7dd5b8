/** Lua run atomically in Redis. */

/** Stores a value only if the scope's version is still the one the build started from (no stale write after an invalidation). */
export const SET_IF_VERSION = `
local v = redis.call('GET', KEYS[1]) or '0'
if v == ARGV[1] then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`;

/** Releases a lock only if we still hold it. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`;
