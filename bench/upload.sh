#!/usr/bin/env bash
# Evidence upload throughput against its physical floor: the time to
# sha256sum the same file on this machine. Starts a throwaway server, creates
# an admin, a token and a control, then uploads the file with curl.
#   bench/upload.sh [size in MiB, default 512] [path/to/socmap]
set -euo pipefail
mib=${1:-512}
bin=${2:-bin/socmap}
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
pid=""
trap 'kill "$pid" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT

head -c $((mib << 20)) /dev/urandom >"$work/file.bin"
sync

echo "throughput-check-passphrase" | "$bin" user create --data "$work/data" --email bench@example.com --role admin >/dev/null
"$bin" serve --addr "127.0.0.1:$port" --data "$work/data" --log-level warn --max-upload-mib $((mib + 1)) &
pid=$!
until curl -fsS "$base/readyz" >/dev/null 2>&1; do sleep 0.05; done

jar="$work/cookies"
csrf=$(curl -fsS -c "$jar" -H 'Content-Type: application/json' \
  -d '{"email":"bench@example.com","password":"throughput-check-passphrase"}' "$base/api/v1/auth/login" |
  sed -E 's/.*"csrf_token":"([^"]+)".*/\1/')
token=$(curl -fsS -b "$jar" -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' \
  -d '{"name":"bench","scope":"read-write"}' "$base/api/v1/tokens" | sed -E 's/.*"token":"([^"]+)".*/\1/')
auth="Authorization: Bearer $token"
control=$(curl -fsS -H "$auth" -H 'Content-Type: application/json' \
  -d '{"ref":"BENCH-1","title":"Bench","frequency":"daily","nature":"automated","type":"detective"}' \
  "$base/api/v1/controls" | sed -E 's/.*"id":([0-9]+).*/\1/')

t0=$(date +%s%N)
want=$(sha256sum "$work/file.bin" | cut -d' ' -f1)
t1=$(date +%s%N)
got=$(curl -fsS -H "$auth" -F title=bench -F control_ids="$control" -F "file=@$work/file.bin" \
  "$base/api/v1/evidence" | sed -E 's/.*"sha256":"([0-9a-f]+)".*/\1/')
t2=$(date +%s%N)

[ "$want" = "$got" ] || { echo "hash mismatch: sha256sum $want, socmap $got" >&2; exit 1; }
sha_ms=$(( (t1 - t0) / 1000000 )); up_ms=$(( (t2 - t1) / 1000000 ))
echo "file: $mib MiB"
echo "sha256sum: $sha_ms ms ($(( mib * 1000 / (sha_ms > 0 ? sha_ms : 1) )) MiB/s)"
echo "upload:    $up_ms ms ($(( mib * 1000 / (up_ms > 0 ? up_ms : 1) )) MiB/s)"
awk -v u="$up_ms" -v s="$sha_ms" 'BEGIN { printf "ratio upload/sha256sum: %.2f\n", u / s }'
