-- PUT (create) new twins with unique ids: new-<thread>-<n>.
local api = os.getenv("API_VERSION") or "2023-10-31"
local counter = 0
local thread_tag = tostring(math.random(1, 1e9))
local body = nil
init = function(args)
  local f = io.open(os.getenv("TWIN_BODY_FILE"), "r")
  body = f:read("*a")
  f:close()
end
request = function()
  counter = counter + 1
  return wrk.format("PUT", "/digitaltwins/new-" .. thread_tag .. "-" .. counter .. "?api-version=" .. api,
                    {["Authorization"] = "Bearer bench", ["Content-Type"] = "application/json"}, body)
end
