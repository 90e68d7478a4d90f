counter = 0
local model = os.getenv("MODEL") or "embedding-mlp"
request = function()
  counter = counter + 1
  local id = (counter % 610) + 1
  return wrk.format("GET", "/getrecforyou?id=" .. id .. "&size=32&model=" .. model)
end
