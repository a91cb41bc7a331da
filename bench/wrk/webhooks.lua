-- wrk script for bench/ingest.py: POST pre-signed, distinct Greenhouse webhooks.
--
-- PAYLOADS names a file of lines "event-id<TAB>sha256-hex<TAB>compact JSON body", made by
-- bench/ingest.py. Thread k of T sends lines k, k+T, k+2T, ... once each, then repeats its last
-- line (a duplicate delivery: verified, deduplicated, answered 202, never stored twice) until every
-- one of its distinct lines was acknowledged as new (202 with "duplicate":false); then it stops.
-- So the inbox must end up holding exactly as many rows as the file has lines.
--
-- A thread that is done creates the file DONE_PREFIX<thread id>: wrk itself runs for its whole
-- -d, so bench/ingest.py sends it SIGINT once every thread is done, and wrk's own clock (requests
-- per second) stops there.

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local path = os.getenv("PAYLOADS")
  local total = 0
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  requests_ = {}
  for line in io.lines(path) do
    if total % nthreads == id then
      local event_id, signature, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
      table.insert(requests_, wrk.format("POST", "/webhooks/greenhouse", {
        ["Content-Type"] = "application/json",
        ["Signature"] = "sha256 " .. signature,
        ["Greenhouse-Event-ID"] = event_id,
      }, body))
    end
    total = total + 1
  end
  quota = #requests_
  acked_new, acked_dup, refused = 0, 0, 0
  -- wrk calls request() once on thread 0 to check it before any is sent: that call must not
  -- use up a delivery (else it is never sent and thread 0 never finishes)
  sent = (id == 0) and -1 or 0
end

function request()
  sent = sent + 1
  return requests_[math.max(1, math.min(sent, quota))]
end

function response(status, headers, body)
  if status ~= 202 then
    refused = refused + 1
  elseif body:find('"duplicate":false', 1, true) then
    acked_new = acked_new + 1
  else
    acked_dup = acked_dup + 1
  end
  if acked_new >= quota and not finished then
    finished = true
    local marker = io.open(os.getenv("DONE_PREFIX") .. id, "w")
    marker:close()
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local new, dup, bad, out = 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    new = new + thread:get("acked_new")
    dup = dup + thread:get("acked_dup")
    bad = bad + thread:get("refused")
    out = out + thread:get("sent")
  end
  io.write(string.format(
    "RESULT {\"requests\": %d, \"seconds\": %.4f, \"p50_ms\": %.2f, \"p90_ms\": %.2f, " ..
    "\"p99_ms\": %.2f, \"max_ms\": %.2f, \"acked_new\": %d, \"acked_duplicate\": %d, " ..
    "\"refused\": %d, \"sent\": %d, \"socket_errors\": %d}\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    new, dup, bad, out,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
