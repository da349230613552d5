-- Fluent Bit Lua filter of the cluster's DaemonSet (the chart's luaScripts, mounted as
-- /fluent-bit/scripts/fleetwatch.lua; Fluent Bit runs it with its embedded LuaJIT, Lua 5.1).
-- Copied verbatim into argocd/platform/fluent-bit.yaml; deploy/test/logs.test.ts runs it with LuaJIT.
--
-- Each record gets the tenant its namespace belongs to, and the prefix of the index it goes to:
--   tenant-<id>   -> tenant <id>,      index prefix logs-<id>       (a Fleetwatch tenant's services)
--   anything else -> tenant platform,  index prefix logs-platform   (kube-system, logging, monitoring...)
-- The OpenSearch output appends the day: logs-<tenant>-YYYY.MM.DD.
--
-- Why Lua: Fluent Bit's other filters cannot copy a part of a value (the id after "tenant-") into a
-- field. Both fields are always overwritten, so a service cannot pick another tenant's index by
-- logging a `tenant` or `index_prefix` of its own.

local PLATFORM = "platform"
local INDEX_PREFIX = "logs-"

-- A tenant namespace: "tenant-" and the tenant id of argocd/tenant-file.schema.json
-- (^[a-z][a-z0-9-]{1,38}[a-z0-9]$). Anything else is not a tenant's, and is the platform's.
local TENANT_NAMESPACE = "^tenant%-([a-z][a-z0-9%-]*[a-z0-9])$"

-- The tail input's tag is kube.<file path with / as .>, and the kubelet names the file
-- <pod>_<namespace>_<container>-<id>.log (no "_" in pod or namespace names).
local NAMESPACE_IN_TAG = "^kube%.var%.log%.containers%.[^_]+_([^_]+)_"

local function namespace_of(tag, record)
  local kubernetes = record["kubernetes"]
  if type(kubernetes) == "table" and type(kubernetes["namespace_name"]) == "string" then
    return kubernetes["namespace_name"]
  end
  -- No metadata (the API server could not be asked): the namespace is in the file name too.
  if type(tag) == "string" then
    return string.match(tag, NAMESPACE_IN_TAG)
  end
  return nil
end

local function tenant_of(namespace)
  if type(namespace) ~= "string" or string.len(namespace) > 63 then
    return PLATFORM
  end
  -- A tenant named "platform" would share the platform's index: its logs stay with the platform
  -- (visible to platform administrators only), never the other way round.
  return string.match(namespace, TENANT_NAMESPACE) or PLATFORM
end

-- Fluent Bit calls this for every record: return code 2 keeps the record's timestamp.
function fleetwatch_route(tag, timestamp, record)
  local tenant = tenant_of(namespace_of(tag, record))
  record["tenant"] = tenant
  record["index_prefix"] = INDEX_PREFIX .. tenant
  -- The CRI partial/full flag has done its work in the multiline parser.
  record["_p"] = nil
  return 2, timestamp, record
end
