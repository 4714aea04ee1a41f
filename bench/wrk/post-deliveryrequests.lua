-- POST /deliveryrequests with a unique procNo per request (thread id + counter), Korean title.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid
  math.randomseed(os.time() + tid)
  run = string.format("%x", math.random(0, 0xffffff))
end

request = function()
  counter = counter + 1
  local body = string.format(
    '{"procNo":"w%s-%d-%d","procTitle":"사무용 의자","procAgency":"서울시청","procPrice":1200000,"procQty":12}',
    run, thread_id, counter)
  return wrk.format("POST", "/deliveryrequests", {["Content-Type"] = "application/json"}, body)
end

done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("JSON {\"requests\":%d,\"rps\":%.1f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"non2xx\":%d,\"socket_errors\":%d}\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, non2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
