#!/usr/bin/env bash
# Loads with wrk every API read the main pages make on the large programme
# (1,000 controls, 100,000 evidence records, 10 engagements) and prints one
# table: requests per second, p50 and p99 per read, with the load average.
# Then times the first read of engagement 1's dashboard and summary after a
# change (a control edited, a result recorded, evidence linked to a control).
#   bench/pages.sh [path/to/socmap]     (default: bin/socmap, see make build)
# Needs wrk. Settings: DURATION (10s), CONNECTIONS (8), PATHS (below),
# DATA: a data directory already holding the large programme and the
# bench@example.com admin (copied, never changed), to skip the minute of loading.
set -euo pipefail
bin=${1:-bin/socmap}
duration=${DURATION:-10s}
connections=${CONNECTIONS:-8}
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
pid=""
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

if [ -n "${DATA:-}" ]; then
  cp -a "$DATA" "$work/data"
else
  "$bin" demo --size large --data "$work/data" --today 2026-11-24 >/dev/null
  printf 'quarterly-review-signed-off\n' | "$bin" user create --email bench@example.com --role admin --data "$work/data" >/dev/null
fi
"$bin" serve --addr "127.0.0.1:$port" --data "$work/data" --log-level warn &
pid=$!
base="http://127.0.0.1:$port"
until curl -fsS "$base/readyz" >/dev/null 2>&1; do sleep 0.05; done
# The scheduler refreshes every task at start-up: wait until the server has
# used under 5 % of a core for two seconds running.
cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
quiet=0
while [ "$quiet" -lt 2 ]; do
  before=$(cpu "$pid"); sleep 1; after=$(cpu "$pid")
  if [ $((after - before)) -lt 5 ]; then quiet=$((quiet + 1)); else quiet=0; fi
done
jar="$work/cookies"
curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"quarterly-review-signed-off"}' "$base/api/v1/auth/login" >"$work/login.json"
cookie=$(awk '$6 == "socmap_session" {print $7}' "$jar")
csrf=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$work/login.json")
# The owner of engagement 1's control 1 has tasks: My tasks reads theirs.
owner=$(curl -fsS -b "$jar" "$base/api/v1/controls/1" | sed -n 's/.*"owner_id":\([0-9]*\).*/\1/p' | head -1)

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg); $connections connections, $duration per read"
printf '%-16s %-62s %9s %9s %9s %9s\n' page read bytes rps p50 p99
default_paths=(
  "dashboard=/api/v1/dashboard"
  "my-tasks=/api/v1/tasks?owner_id=$owner&state=overdue&limit=50&offset=0"
  "my-tasks=/api/v1/tasks?owner_id=$owner&state=due&limit=50&offset=0"
  "my-tasks=/api/v1/tasks?owner_id=$owner&state=upcoming&limit=50&offset=0"
  "my-tasks=/api/v1/requests/mine"
  "controls=/api/v1/controls?limit=50&offset=0"
  "control=/api/v1/controls/1"
  "control=/api/v1/controls/1/engagements"
  "engagements=/api/v1/engagements?limit=50&offset=0"
  "engagement=/api/v1/engagements/1"
  "engagement=/api/v1/dashboard?engagement_id=1"
  "engagement=/api/v1/tasks/counts?engagement_id=1"
  "engagement=/api/v1/engagements/1/rollup"
  "engagement=/api/v1/engagements/1/exceptions"
  "engagement=/api/v1/engagements/1/complementary"
  "grid=/api/v1/engagements/1/controls?scope=included&limit=50&offset=0"
  "eng-control=/api/v1/engagements/1/controls/1"
  "eng-control=/api/v1/engagements/1/controls/1/work"
  "eng-control=/api/v1/engagements/1/controls/1/result"
  "eng-control=/api/v1/engagements/1/controls/1/walkthrough"
  "eng-control=/api/v1/engagements/1/controls/1/evidence"
  "requests=/api/v1/engagements/1/requests?limit=50&offset=0"
  "evidence=/api/v1/evidence?limit=50&offset=0"
  "coverage=/api/v1/coverage?expiring_days=30"
  "matrix=/api/v1/matrix"
)
read -r -a paths <<<"${PATHS:-${default_paths[*]}}"
for entry in "${paths[@]}"; do
  page=${entry%%=*} path=${entry#*=}
  [ "$page" != "$entry" ] || page=-
  bytes=$(curl -fsS -b "$jar" "$base$path" | wc -c)
  wrk -t2 -c"$connections" -d"$duration" --timeout 30s --latency -H "Cookie: socmap_session=$cookie" "$base$path" >"$work/wrk.txt"
  if grep -q Non-2xx "$work/wrk.txt"; then echo "$path: answers were not 2xx" >&2; exit 1; fi
  awk -v page="$page" -v path="$path" -v bytes="$bytes" '
    /Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    END {printf "%-16s %-62s %9s %9s %9s %9s\n", page, path, bytes, rps, p50, p99}' "$work/wrk.txt"
done

# The first reads after a change: the engagement dashboard (which
# recomputes engagement 1's progress, the rollup's too), the organisation
# dashboard and coverage (which recompute coverage).
ms() { curl -fsS -o /dev/null -b "$jar" -w '%{time_total}' "$base$1" | awk '{printf "%.1f", $1 * 1000}'; }
write() { curl -fsS -o /dev/null -b "$jar" -H "X-CSRF-Token: $csrf" "$@"; }
first_reads() {
  printf '%-32s %16s ms %16s ms %16s ms\n' "$1" \
    "$(ms '/api/v1/dashboard?engagement_id=1')" "$(ms /api/v1/dashboard)" "$(ms '/api/v1/coverage?expiring_days=30')"
}
echo
echo "first reads after a change (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
printf '%-32s %19s %19s %19s\n' change engagement-dash org-dashboard coverage
first_reads "none (read before)" >/dev/null
first_reads "none"
write -H 'Content-Type: application/json' -X PATCH -d '{"description":"Reviewed by the bench."}' "$base/api/v1/controls/1"
first_reads "control 1 edited"
write -H 'Content-Type: application/json' -X PUT -d '{"design_notes":"Walked through by the bench."}' \
  "$base/api/v1/engagements/1/controls/1/result"
first_reads "result of control 1 recorded"
printf 'bench evidence\n' >"$work/evidence.txt"
write -F title="Bench access review" -F control_ids=1 -F collected_on=2026-11-20 -F "file=@$work/evidence.txt" "$base/api/v1/evidence"
first_reads "evidence uploaded for control 1"
