-- GET a random twin among bench-0 .. bench-(TWINS-1).
local twins = tonumber(os.getenv("TWINS") or "1000")
local api = os.getenv("API_VERSION") or "2023-10-31"
request = function()
  local id = math.random(0, twins - 1)
  return wrk.format("GET", "/digitaltwins/bench-" .. id .. "?api-version=" .. api,
                    {["Authorization"] = "Bearer bench"})
end
