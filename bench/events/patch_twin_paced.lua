-- bench/http/patch_twin.lua (random twins' temperature, durable PATCH) paced: each connection
-- waits DELAY_MS (fractional) before each request, so CONNECTIONS connections send about
-- CONNECTIONS * 1000 / (DELAY_MS + latency) PATCHes/s. wrk takes whole milliseconds, so the
-- fraction is applied by drawing the next whole millisecond with that probability.
local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "../http/patch_twin.lua")

local delay_ms = tonumber(os.getenv("DELAY_MS") or "0")
local whole = math.floor(delay_ms)
local fraction = delay_ms - whole

delay = function()
  if math.random() < fraction then return whole + 1 end
  return whole
end
