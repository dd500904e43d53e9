-- wrk script: each request takes a random path from the file in PATHS_FILE,
-- and the summary prints latency percentiles in microseconds and the bytes
-- received as one line.
local paths = {}
local file = os.getenv("PATHS_FILE")
for line in io.lines(file) do
  paths[#paths + 1] = line
end
math.randomseed(tonumber(os.getenv("SEED") or "7"))

request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end

done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    "RESULT requests=%d duration_us=%d errors=%d bytes=%d p50_us=%d p99_us=%d p999_us=%d max_us=%d\n",
    summary.requests, summary.duration, errors, summary.bytes,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9), latency.max))
end
