-- wrk script for bench/load.py: each request takes the next path of the file named by
-- NEWSDESK_PATHS; at the end one line of figures that load.py reads.
local paths = {}
for line in io.lines(os.getenv("NEWSDESK_PATHS")) do
  paths[#paths + 1] = line
end
local counter = math.random(#paths)

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    "RESULT requests=%d seconds=%.3f p50=%.1f p95=%.1f p99=%.1f errors=%d\n",
    summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors.connect + errors.read + errors.write + errors.timeout + errors.status))
end
