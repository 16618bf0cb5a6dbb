#!/usr/bin/env bash
# Measures how long socmap takes from exec to a ready /readyz, on a new data
# directory (migrations and catalog load) and on a restart of the same one.
#   bench/startup.sh [path/to/socmap]     (default: bin/socmap, see make build)
set -euo pipefail
bin=${1:-bin/socmap}
data=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
pid=""
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$data"' EXIT

measure() {
  local start end
  start=$(date +%s%N)
  "$bin" serve --addr "127.0.0.1:$port" --data "$data" --log-level warn &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited" >&2; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  echo "$1: $(( (end - start) / 1000000 )) ms to ready"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure "first start (migrate, load catalogs)"
for i in 1 2 3; do measure "restart $i"; done
