-- PATCH (durable) a random twin's temperature among bench-0 .. bench-(TWINS-1).
local twins = tonumber(os.getenv("TWINS") or "1000")
local api = os.getenv("API_VERSION") or "2023-10-31"
request = function()
  local id = math.random(0, twins - 1)
  local body = '[{"op":"replace","path":"/temperature","value":' .. (math.random() * 40) .. '}]'
  return wrk.format("PATCH", "/digitaltwins/bench-" .. id .. "?api-version=" .. api,
                    {["Authorization"] = "Bearer bench",
                     ["Content-Type"] = "application/json-patch+json"}, body)
end
