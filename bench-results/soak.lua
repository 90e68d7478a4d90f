-- The soak mix: 50 % GET /getrecforyou, 20 % GET /api/v1/similar, 20 % GET /api/v1/movies/{id}, 10 % POST
-- /api/v1/events (a rating). Movie ids come from MOVIES (a comma-separated list); users are 1…610. Counts the
-- statuses per class across threads and prints them at the end.
local movies = {}
for id in string.gmatch(os.getenv("MOVIES") or "1", "[^,]+") do movies[#movies + 1] = id end
local threads = {}

function setup(thread)
    thread:set("seed", #threads + 1)
    table.insert(threads, thread)
end

function init(args)
    math.randomseed(seed * 7919)
    ok, client, server = 0, 0, 0
end

function request()
    local r = math.random(100)
    local m = movies[math.random(#movies)]
    if r <= 50 then
        return wrk.format("GET", "/getrecforyou?id=" .. math.random(610) .. "&size=32")
    elseif r <= 70 then
        return wrk.format("GET", "/api/v1/similar?movie=" .. m .. "&n=10")
    elseif r <= 90 then
        return wrk.format("GET", "/api/v1/movies/" .. m)
    end
    local body = string.format('{"userId":%d,"movieId":%s,"rating":%.1f}', math.random(610), m, math.random(10) / 2)
    return wrk.format("POST", "/api/v1/events", {["Content-Type"] = "application/json"}, body)
end

function response(status, headers, body)
    if status >= 500 then server = server + 1 elseif status >= 400 then client = client + 1 else ok = ok + 1 end
end

function done(summary, latency, requests)
    local a, b, c = 0, 0, 0
    for _, t in ipairs(threads) do a = a + t:get("ok"); b = b + t:get("client"); c = c + t:get("server") end
    io.write(string.format("statuses: 2xx %d, 4xx %d, 5xx %d\n", a, b, c))
end
