-- POST /query with a body picked at random from BODIES_FILE (one JSON body per line, as
-- printed by `query_bench bodies`), so each request asks about another twin.
local api = os.getenv("API_VERSION") or "2023-10-31"
local bodies = {}
init = function(args)
  for line in io.lines(os.getenv("BODIES_FILE")) do bodies[#bodies + 1] = line end
end
request = function()
  return wrk.format("POST", "/query?api-version=" .. api,
                    {["Authorization"] = "Bearer bench", ["Content-Type"] = "application/json"},
                    bodies[math.random(#bodies)])
end
