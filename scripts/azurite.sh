# Sourced by scripts/run and scripts/bench: installs the pinned Azurite and starts or stops it.
# Starts in memory on ports the OS picks, with --skipApiVersionCheck (our SDKs send newer service versions);
# start_azurite's arguments are passed on to Azurite.

ensure_tools() {
  command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (dotnet not on PATH)." >&2; exit 1; }
  command -v npm >/dev/null || { echo "Node.js and npm are required for Azurite (npm not on PATH)." >&2; exit 1; }
  if [ ! -x "$ROOT/node_modules/.bin/azurite" ]; then
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

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null
    wait "$AZURITE_PID" 2>/dev/null
  fi
  [ -n "${AZURITE_LOG:-}" ] && rm -f "$AZURITE_LOG"
  return 0
}
