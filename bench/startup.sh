#!/usr/bin/env bash
# Measures how long socmap takes from exec to a ready /readyz: on a new data
# directory (migrations and catalog load), on restarts of it (the floor:
# the binary's fixed start-up cost), and on restarts with the large
# programme (1,000 controls, 100,000 evidence records, 10 engagements).
#   bench/startup.sh [path/to/socmap]     (default: bin/socmap, see make build)
set -euo pipefail
bin=${1:-bin/socmap}
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
pid=""
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

# measure LABEL DATA: prints and remembers the milliseconds to ready.
measure() {
  local start end
  start=$(date +%s%N)
  "$bin" serve --addr "127.0.0.1:$port" --data "$2" --log-level warn &
  pid=$!
  until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { echo "server exited" >&2; exit 1; }
    sleep 0.005
  done
  end=$(date +%s%N)
  last=$(( (end - start) / 1000000 ))
  echo "$1: $last ms to ready"
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

measure "first start (migrate, load catalogs)" "$work/empty"
floor=0
for i in 1 2 3; do measure "restart $i, empty" "$work/empty"; floor=$((floor + last)); done
"$bin" demo --size large --data "$work/large" --today 2026-11-24 >/dev/null
large=0
for i in 1 2 3; do measure "restart $i, large programme" "$work/large"; large=$((large + last)); done
echo "mean: empty $((floor / 3)) ms, large $((large / 3)) ms, ratio $(echo "$large / $floor" | bc -l | cut -c1-4)"
