-- mix.lua: wrk script that cycles through the benchmark's query mix (the
-- second column of the file gen_corpus --queries writes), so that wrk's
-- throughput is for the same blend of queries as the latency figures.
-- Usage: wrk -s bench/mix.lua URL -- QUERIES_FILE
local paths = {}
local next_path = 1

function init(args)
  for line in io.lines(args[1]) do
    local path = line:match("^[^\t]*\t([^\t]*)")
    if path and path ~= "" then
      paths[#paths + 1] = path
    end
  end
  -- Each wrk thread has its own Lua state: start them at different queries.
  next_path = math.random(#paths)
end

function request()
  local path = paths[next_path]
  next_path = next_path % #paths + 1
  return wrk.format("GET", path)
end

function done(summary, latency, requests)
  io.write(string.format("wrk_summary requests=%d errors=%d p50_ms=%.3f p99_ms=%.3f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.read
      + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
