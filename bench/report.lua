-- wrk script: optional POST body from the environment, and a one-line JSON summary with p50/p95.
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local cookie = os.getenv("BENCH_COOKIE")
local csrf = os.getenv("BENCH_CSRF")
wrk.method = method
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end
if cookie and cookie ~= "" then wrk.headers["Cookie"] = cookie end
if csrf and csrf ~= "" then
  wrk.headers["X-CSRFToken"] = csrf
  wrk.headers["Referer"] = "http://127.0.0.1/"
end

-- A valid POST saves a draft, and every save moves the report's version on: BENCH_REPORTS
-- ("id:version,...") gives each wrk thread its own reports, used in turn, each with the version
-- its previous save left (a report comes round again only after its previous save answered).
local threads = 0
setup = function(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local reports = {}
local turn = 0
init = function(args)
  local spec = os.getenv("BENCH_REPORTS") or ""
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  local i = 0
  for id, version in string.gmatch(spec, "(%d+):(%d+)") do
    if i % n == tid then table.insert(reports, {id = id, version = tonumber(version)}) end
    i = i + 1
  end
end

request = function()
  if #reports == 0 then return wrk.request() end
  turn = turn % #reports + 1
  local r = reports[turn]
  local path = string.gsub(os.getenv("BENCH_REPORT_PATH"), "{id}", r.id)
  local body = string.gsub(wrk.body, "BENCHVERSION", tostring(r.version))
  r.version = r.version + 1
  return wrk.format(nil, path, nil, body)
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p95_us":%d,"p99_us":%d,' ..
    '"socket_errors":%d,"non_2xx_3xx":%d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
