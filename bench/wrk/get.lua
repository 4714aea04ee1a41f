-- A GET of the URL given to wrk (headers from -H kept), with the same JSON summary line as the POST script.
done = function(summary, latency, requests)
  io.write(string.format("JSON {\"requests\":%d,\"rps\":%.1f,\"p50_ms\":%.2f,\"p90_ms\":%.2f,\"p99_ms\":%.2f,\"non2xx\":%d,\"socket_errors\":%d}\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
