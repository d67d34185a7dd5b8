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

/**
 * Counts one failed sign-in (KEYS: address, address + account, account counters;
 * address block, address + account block) and sets the blocks it earns.
 * ARGV: window s, address limit, pair limit, account limit, backoff base ms, backoff max ms.
 * A block lasts base * 2^(failures - limit), capped; on an account over its own
 * limit every failing address is blocked from its first failure. Returns the longest block in ms.
 */
export const LOGIN_FAILURE = `
local function bump(key)
  local n = redis.call('INCR', key)
  redis.call('EXPIRE', key, ARGV[1])
  return n
end
local function block(key, n, limit)
  if n < limit then return 0 end
  local ms = math.floor(math.min(tonumber(ARGV[5]) * 2 ^ math.min(n - limit, 40), tonumber(ARGV[6])))
  redis.call('SET', key, '1', 'PX', ms)
  return ms
end
local ip, pair, account = bump(KEYS[1]), bump(KEYS[2]), bump(KEYS[3])
local pairLimit = tonumber(ARGV[3])
if account >= tonumber(ARGV[4]) then pairLimit = 1 end
return math.max(block(KEYS[4], ip, tonumber(ARGV[2])), block(KEYS[5], pair, pairLimit))`;
