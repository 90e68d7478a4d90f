-- users.lua with pacing: each connection waits a random 0–2×DELAY ms before its next request, so 64 connections
-- offer about 64 / (DELAY + latency) requests per second instead of as many as the server can absorb (closed loop).
-- USERS (default 610) is how many user ids, 1…USERS, the requests cycle through.
local counter = 0
local model = os.getenv("MODEL") or "embedding-mlp"
local mean = tonumber(os.getenv("DELAY_MS") or "30")
local users = tonumber(os.getenv("USERS") or "610")
math.randomseed(os.time())
request = function()
  counter = counter + 1
  local id = (counter % users) + 1
  return wrk.format("GET", "/getrecforyou?id=" .. id .. "&size=32&model=" .. model)
end
delay = function()
  return math.random() * 2 * mean
end
