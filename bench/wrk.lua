-- bench/load.ts drives wrk with this script: the method comes after `--` on the
-- command line; at the end one JSON line of totals goes to stdout.
function init(args)
  wrk.method = args[1] or "GET"
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '\nWRK_JSON {"requests":%d,"durationUs":%d,"socketErrors":%d,"timeouts":%d,"statusOver399":%d,"p50Us":%d,"p99Us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write, e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
