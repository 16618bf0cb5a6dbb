#!/usr/bin/env bash
# Loads socmap's read endpoints with wrk on the large programme (1,000
# controls, 100,000 evidence records, 10 engagements) and compares each
# with its floor: a bare gin handler (bench/floor) returning the same bytes.
#   bench/api.sh [path/to/socmap]     (default: bin/socmap, see make build)
# Needs wrk (apt-get install wrk). Settings: DURATION (10s), CONNECTIONS (8),
# PATHS (the reads behind every page, below; engagement 1 and its control
# 1 have samples).
set -euo pipefail
bin=${1:-bin/socmap}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-8}
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
floor_port=$((port + 1))
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" demo --size large --data "$work/data" --today 2026-11-24 >/dev/null
printf 'quarterly-review-signed-off\n' | "$bin" user create --email bench@example.com --role admin --data "$work/data" >/dev/null
"$bin" serve --addr "127.0.0.1:$port" --data "$work/data" --log-level warn &
pids+=($!)
until curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; do sleep 0.05; done
# The scheduler refreshes every task at start-up: wait until the server has
# used under 5 % of a core for two seconds running.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
quiet=0
while [ "$quiet" -lt 2 ]; do
  before=$(cpu "${pids[0]}"); sleep 1; after=$(cpu "${pids[0]}")
  if [ $((after - before)) -lt 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
done
cookie=$(curl -fsS -c - -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"quarterly-review-signed-off"}' \
  "http://127.0.0.1:$port/api/v1/auth/login" | awk '$6 == "socmap_session" {print $7}')
(cd "$(dirname "$0")/.." && go build -o "$work/floor" ./bench/floor)

# rate URL: requests per second and 99th percentile latency from wrk.
rate() {
  wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -H "Cookie: socmap_session=$cookie" "$1" |
    awk '/Requests\/sec/ {rps=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4} END {printf "%s %s %s\n", rps, p99, bad+0}'
}

printf '%-40s %9s %12s %10s %12s %10s %7s\n' endpoint bytes socmap-rps p99 floor-rps floor-p99 ratio
default_paths=(
  "/api/v1/dashboard" "/api/v1/dashboard?engagement_id=1" "/api/v1/engagements"
  "/api/v1/tasks?state=overdue,due,upcoming&limit=100" "/api/v1/tasks?limit=50" "/api/v1/tasks/counts"
  "/api/v1/engagements/1" "/api/v1/engagements/1/controls" "/api/v1/engagements/1/rollup"
  "/api/v1/engagements/1/results" "/api/v1/engagements/1/exceptions" "/api/v1/engagements/1/complementary"
  "/api/v1/engagements/1/controls/1/work" "/api/v1/coverage?expiring_days=30"
  "/api/v1/controls?limit=50" "/api/v1/controls/1" "/api/v1/mappings" "/api/v1/evidence?limit=50"
  "/api/v1/frameworks/soc2-tsc-2017/requirements?limit=500" "/api/v1/users" "/api/v1/audit?limit=50" "/api/v1/outbox?limit=50"
)
read -r -a paths <<<"${PATHS:-${default_paths[*]}}"
for path in "${paths[@]}"; do
  curl -fsS -H "Cookie: socmap_session=$cookie" "http://127.0.0.1:$port$path" >"$work/body.json"
  bytes=$(wc -c <"$work/body.json")
  read -r rps p99 bad < <(rate "http://127.0.0.1:$port$path")
  [ "$bad" = 0 ] || { echo "$path: $bad answers were not 2xx" >&2; exit 1; }
  "$work/floor" -addr "127.0.0.1:$floor_port" -body "$work/body.json" 2>/dev/null &
  floor_pid=$!
  until curl -fsS "http://127.0.0.1:$floor_port/" >/dev/null 2>&1; do sleep 0.05; done
  read -r frps fp99 _ < <(rate "http://127.0.0.1:$floor_port$path")
  kill "$floor_pid"; wait "$floor_pid" 2>/dev/null || true
  printf '%-40s %9s %12s %10s %12s %10s %7.1f\n' "$path" "$bytes" "$rps" "$p99" "$frps" "$fp99" "$(echo "if ($rps > 0) $frps / $rps else 0" | bc -l)"
done
