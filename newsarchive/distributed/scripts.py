"""The Lua scripts that make each frontier step atomic on the Redis server.

Times are the server's (TIME), in milliseconds, so workers on machines with skewed clocks agree
on lease deadlines.
"""

from __future__ import annotations

NOW = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
"""

# KEYS dupefilter, queue, seq. ARGV fingerprint ('' = do not filter), entry, base score.
PUSH = """
if ARGV[1] ~= '' and redis.call('SADD', KEYS[1], ARGV[1]) == 0 then return 0 end
local seq = redis.call('INCR', KEYS[3]) % 1000000000
redis.call('ZADD', KEYS[2], string.format('%.0f', tonumber(ARGV[3]) + seq), ARGV[2])
return 1
"""

# KEYS queue, leases, owners, lease_scores. ARGV worker, lease ms.
POP = (
    NOW
    + """
local item = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #item == 0 then return false end
redis.call('ZREM', KEYS[1], item[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), item[1])
redis.call('HSET', KEYS[3], item[1], ARGV[1])
redis.call('HSET', KEYS[4], item[1], item[2])
return item[1]
"""
)

# KEYS leases, owners, lease_scores, attempts. ARGV worker, entries... Only this worker's leases:
# one that expired and was taken over by another worker is not ours to drop.
ACK = """
local done = 0
for i = 2, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZREM', KEYS[1], ARGV[i])
    redis.call('HDEL', KEYS[2], ARGV[i])
    redis.call('HDEL', KEYS[3], ARGV[i])
    redis.call('HDEL', KEYS[4], ARGV[i])
    done = done + 1
  end
end
return done
"""

# KEYS leases, owners, workers. ARGV worker, lease ms, entries... Returns how many of the given
# entries are no longer leased to this worker.
RENEW = (
    NOW
    + """
local deadline = now + tonumber(ARGV[2])
redis.call('ZADD', KEYS[3], deadline, ARGV[1])
local lost = 0
for i = 3, #ARGV do
  if redis.call('HGET', KEYS[2], ARGV[i]) == ARGV[1] then
    redis.call('ZADD', KEYS[1], 'XX', deadline, ARGV[i])
  else
    lost = lost + 1
  end
end
return lost
"""
)

# KEYS leases, owners, lease_scores, attempts, queue. ARGV max attempts, batch size.
# Returns {requeued count, entries given up}.
REQUEUE_EXPIRED = (
    NOW
    + """
local expired = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local requeued = 0
local dropped = {}
for _, entry in ipairs(expired) do
  local score = redis.call('HGET', KEYS[3], entry) or '0'
  redis.call('ZREM', KEYS[1], entry)
  redis.call('HDEL', KEYS[2], entry)
  redis.call('HDEL', KEYS[3], entry)
  local n = redis.call('HINCRBY', KEYS[4], entry, 1)
  if n > tonumber(ARGV[1]) then
    redis.call('HDEL', KEYS[4], entry)
    table.insert(dropped, entry)
  else
    redis.call('ZADD', KEYS[5], score, entry)
    requeued = requeued + 1
  end
end
return {requeued, dropped}
"""
)

# KEYS seeded, workers. ARGV worker, mode ('start': claim if free or orphaned; 'takeover':
# only if orphaned). 1 = this worker seeds now.
CLAIM_SEEDING = (
    NOW
    + """
local owner = redis.call('GET', KEYS[1])
if not owner then
  if ARGV[2] == 'takeover' then return 0 end
  redis.call('SET', KEYS[1], ARGV[1])
  return 1
end
if owner == 'done' then return 0 end
if owner == ARGV[1] then return ARGV[2] == 'start' and 1 or 0 end
local deadline = redis.call('ZSCORE', KEYS[2], owner)
if deadline and tonumber(deadline) >= now then return 0 end
redis.call('SET', KEYS[1], ARGV[1])
return 1
"""
)

# KEYS seeded. ARGV worker.
SEEDING_DONE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], 'done') end
return 1
"""

# KEYS state, queue, leases, seeded, idle_since, current, then every run key (for EXPIRE).
# ARGV idle ms, run id, ttl seconds of a finished run's keys.
# Returns {state, queued, leased}: 'running', 'idle' (empty, not long enough) or 'finished'.
CHECK_END = (
    NOW
    + """
if redis.call('GET', KEYS[1]) == 'finished' then return {'finished', 0, 0} end
local queued = redis.call('ZCARD', KEYS[2])
local leased = redis.call('ZCARD', KEYS[3])
if queued + leased > 0 or redis.call('GET', KEYS[4]) ~= 'done' then
  redis.call('DEL', KEYS[5])
  return {'running', queued, leased}
end
local since = redis.call('GET', KEYS[5])
if not since then
  redis.call('SET', KEYS[5], now)
  return {'idle', 0, 0}
end
if now - tonumber(since) < tonumber(ARGV[1]) then return {'idle', 0, 0} end
redis.call('SET', KEYS[1], 'finished')
if redis.call('GET', KEYS[6]) == ARGV[2] then redis.call('DEL', KEYS[6]) end
for i = 7, #KEYS do redis.call('EXPIRE', KEYS[i], tonumber(ARGV[3])) end
return {'finished', 0, 0}
"""
)

# KEYS current. ARGV proposed run id. Returns {run id, 1 if created}.
JOIN = """
local current = redis.call('GET', KEYS[1])
if current then return {current, 0} end
redis.call('SET', KEYS[1], ARGV[1])
return {ARGV[1], 1}
"""

# KEYS written (hash key → worker that writes it), waiting. ARGV key, worker. A capture whose
# URL is its canonical URL: {1, 1 if it replaced a waiting duplicate} if this worker writes it,
# else {0, the worker that claimed it}.
CLAIM_CANONICAL = """
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then
  return {0, redis.call('HGET', KEYS[1], ARGV[1])}
end
return {1, redis.call('HDEL', KEYS[2], ARGV[1])}
"""

# KEYS written. ARGV key, dead worker, worker. Take over a claim whose worker died before
# writing the line.
TAKE_OVER_CLAIM = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
"""

# KEYS written, waiting. ARGV key, article JSON. 0 = duplicate of a written article,
# 1 = parked until the end of the run, 2 = duplicate of a parked one.
PARK = """
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 1 then return 0 end
if redis.call('HSETNX', KEYS[2], ARGV[1], ARGV[2]) == 1 then return 1 end
return 2
"""

# KEYS written, waiting. ARGV key, worker. The parked article if this worker is to write it.
TAKE_PARKED = """
local article = redis.call('HGET', KEYS[2], ARGV[1])
if not article then return false end
redis.call('HDEL', KEYS[2], ARGV[1])
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then return article end
return false
"""
