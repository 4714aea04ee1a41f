-- POST /deliveryrequests with a unique procNo per request (run id + thread id + counter), Korean title.
-- Headers given with wrk -H (e.g. the gateway's Authorization) are kept.
-- Optional argument (after --): a target rate in requests/s for the whole run, spread over the connections,
-- followed by the number of connections, e.g. (about 1,000 requests/s of background load):
--   wrk -t2 -c20 -d60s -s post-deliveryrequests.lua http://127.0.0.1:8082 -- 1000 20
local counter = 0
local thread_id = 0
local threads = {}
local delay_ms = nil

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
  math.randomseed(os.time() + tid * 7919)
  run = string.format("%x", math.random(0, 0xffffff))
  local rate = tonumber(args[1])
  local connections = tonumber(args[2]) or 1
  if rate and rate > 0 then
    -- each connection waits this long before each request (the request's own time comes on top)
    delay_ms = connections / rate * 1000
    -- wrk looks for delay() after init, so defining it here keeps it out of unthrottled runs
    delay = function() return delay_ms end
  end
end

local headers = {}
for k, v in pairs(wrk.headers) do headers[k] = v end
headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local body = string.format(
    '{"procNo":"w%s-%d-%d","procTitle":"사무용 의자","procAgency":"서울시청","procPrice":1200000,"procQty":12}',
    run, thread_id, counter)
  return wrk.format("POST", "/deliveryrequests", headers, body)
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("JSON {\"requests\":%d,\"rps\":%.1f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"non2xx\":%d,\"socket_errors\":%d}\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
