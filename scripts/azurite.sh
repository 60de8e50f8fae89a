# Sourced by scripts/run, scripts/test and scripts/bench: installs the pinned Azurite and starts or stops it, always
# with --skipApiVersionCheck (our SDKs send newer service versions than Azurite knows).
# start_azurite: in memory on ports the OS picks (scripts/bench); its arguments are passed on to Azurite.
# start_local_azurite: on the standard ports with data in .local/azurite (scripts/run).

ensure_tools() {
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
  command -v npm >/dev/null || { echo "Node.js and npm are required for Azurite (npm not on PATH)." >&2; exit 1; }
  # Also when a package added to the lockfile later is missing (the flagd evaluation core the tests run).
  if [ ! -x "$ROOT/node_modules/.bin/azurite" ] || [ ! -f "$ROOT/node_modules/@openfeature/flagd-core/package.json" ]; then
    (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# Sets AZURITE_PID and AzureWebJobsStorage. With AZURITE_CPUS set (a taskset list, e.g. 0), Azurite runs on those CPUs only.
start_azurite() {
  local log
  log=$(mktemp)
  AZURITE_LOG=$log
  local pin=()
  [ -n "${AZURITE_CPUS:-}" ] && pin=(taskset -c "$AZURITE_CPUS")
  "${pin[@]}" "$ROOT/node_modules/.bin/azurite" --inMemoryPersistence --skipApiVersionCheck --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort 0 --queuePort 0 --tablePort 0 "$@" >"$log" 2>&1 &
  AZURITE_PID=$!
  local blob="" queue="" table=""
  for _ in $(seq 1 300); do
    blob=$(sed -n 's/.*Blob service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    queue=$(sed -n 's/.*Queue service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    table=$(sed -n 's/.*Table service is successfully listening at http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$log")
    [ -n "$blob" ] && [ -n "$queue" ] && [ -n "$table" ] && break
    kill -0 "$AZURITE_PID" 2>/dev/null || { cat "$log" >&2; echo "Azurite exited." >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$table" ] || { cat "$log" >&2; echo "Azurite did not start." >&2; exit 1; }
  local key="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
  export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$queue/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table/devstoreaccount1;"
  echo "Azurite (in memory): blob $blob, queue $queue, table $table"
}

# Prints what answers on 127.0.0.1:PORT: "free" (nothing listens), "azurite" (Azurite's SERVICE: Blob, Queue or
# Table, known by its Server header) or "other: <its Server header>".
azurite_port_state() {
  local port=$1 service=$2 headers rc=0 server
  headers=$(curl -sS -o /dev/null -D - --max-time 3 "http://127.0.0.1:$port/devstoreaccount1?comp=properties&restype=service" 2>/dev/null) || rc=$?
  if [ "$rc" = 7 ]; then echo free; return; fi
  server=$(printf '%s' "$headers" | tr -d '\r' | sed -n 's/^[Ss]erver: *//p' | head -n 1)
  case "$server" in
    "Azurite-$service"/*) echo azurite ;;
    *) echo "other: ${server:-no HTTP Server header}" ;;
  esac
}

# Azurite where every Azure tool looks (UseDevelopmentStorage=true: blob 10000, queue 10001, table 10002 on
# 127.0.0.1), keeping its data in .local/azurite so a restart keeps projects, exports and keys. An Azurite already
# answering there (an IDE's, Docker's, another scripts/run's) is used as it is; anything else there stops the start.
# With "fresh", the data is deleted first, which only the Azurite started here allows. Sets AZURITE_PID when it starts one.
start_local_azurite() {
  local fresh=${1:-} dir="$ROOT/.local/azurite" log="$ROOT/.local/azurite.log" running=0 service port state
  local -A ports=([Blob]=10000 [Queue]=10001 [Table]=10002)
  command -v curl >/dev/null || { echo "curl is required to see what answers on Azurite's ports (not on PATH)." >&2; exit 1; }
  for service in Blob Queue Table; do
    port=${ports[$service]}
    state=$(azurite_port_state "$port" "$service")
    case "$state" in
      free) ;;
      azurite) running=$((running + 1)) ;;
      *) echo "Port $port is taken by something that is not Azurite's $service service ($state). Stop it, or set AzureWebJobsStorage to the storage account to use." >&2
         exit 1 ;;
    esac
  done
  if [ "$running" = 3 ]; then
    if [ -n "$fresh" ]; then
      echo "An Azurite is already running on 127.0.0.1:10000-10002 (not started by this scripts/run), so --fresh cannot empty it." >&2
      echo "Stop that Azurite and run 'scripts/run --fresh' again (or delete its tables, queues and containers with Azure Storage Explorer)." >&2
      exit 1
    fi
    if [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 -H 'x-ms-version: 2099-01-01' "http://127.0.0.1:10002/devstoreaccount1/Tables")" = 400 ]; then
      echo "Warning: the running Azurite checks API versions; if storage calls fail with 'The API version … is not supported', restart it with --skipApiVersionCheck." >&2
    fi
    echo "Using the Azurite already running on 127.0.0.1:10000-10002 (UseDevelopmentStorage=true)."
    return 0
  fi
  if [ "$running" != 0 ]; then
    echo "Azurite answers on some of 127.0.0.1:10000-10002 but not all three (blob, queue, table). Start all three services, or stop it." >&2
    exit 1
  fi
  [ -n "$fresh" ] && rm -rf "$dir"
  mkdir -p "$dir"
  "$ROOT/node_modules/.bin/azurite" --location "$dir" --skipApiVersionCheck --disableTelemetry \
    --blobHost 127.0.0.1 --queueHost 127.0.0.1 --tableHost 127.0.0.1 \
    --blobPort 10000 --queuePort 10001 --tablePort 10002 >"$log" 2>&1 &
  AZURITE_PID=$!
  for _ in $(seq 1 300); do
    kill -0 "$AZURITE_PID" 2>/dev/null || { cat "$log" >&2; echo "Azurite exited." >&2; exit 1; }
    grep -q "Table service is successfully listening" "$log" && {
      echo "Azurite on 127.0.0.1:10000-10002 (UseDevelopmentStorage=true), data in .local/azurite (scripts/run --fresh empties it), log in .local/azurite.log"
      return 0
    }
    sleep 0.1
  done
  cat "$log" >&2; echo "Azurite did not start." >&2; exit 1
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null
    wait "$AZURITE_PID" 2>/dev/null
  fi
  [ -n "${AZURITE_LOG:-}" ] && rm -f "$AZURITE_LOG"
  return 0
}
