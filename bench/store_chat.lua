-- wrk script for bench/store.sh: POST /api/chat as the admin for cust_001,
-- alternating "up by 1" and "down by 1" so the volume never clamps, and one
-- machine-readable RESULT line at the end.
local token = os.getenv("BENCH_TOKEN")
local texts = { "turn the volume up by 1", "turn the volume down by 1" }
local n = 0

request = function()
    n = n + 1
    local body = string.format('{"customerId":"cust_001","message":"%s"}', texts[n % 2 + 1])
    return wrk.format("POST", "/api/chat", {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "application/json",
    }, body)
end

done = function(summary, latency, requests)
    local e = summary.errors
    io.write(string.format("RESULT %d %d %d %d %d\n", summary.requests, summary.duration,
        latency:percentile(50), latency:percentile(99),
        e.status + e.connect + e.read + e.write + e.timeout))
end
