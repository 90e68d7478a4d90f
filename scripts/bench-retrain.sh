#!/usr/bin/env bash
# Serving latency while the server retrains in the background (`serve --retrain-every`): wrk paced at ~2,000 req/s
# over 64 connections on GET /getrecforyou (the default served list) before, during and after a retraining run on
# the same 2 cores. Runs on a scratch copy of ARTIFACTS (its events.log is what the retraining learns from).
#   scripts/bench-retrain.sh [DATA] [ARTIFACTS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-data/ml-latest-small}
ARTIFACTS=${2:-artifacts}
OUT=${3:-bench-results/retrain.txt}
PORT=${PORT:-6012}
EVERY=${EVERY:-60}
export MODEL=ranker
swift build -c release > /dev/null
scratch=$(mktemp -d)
cp -r "$ARTIFACTS"/. "$scratch"/
rm -rf "$scratch/next-item-versions" "$scratch"/checkpoint*.json
log=$scratch/serve.log
.build/release/sparrow serve --data "$DATA" --artifacts "$scratch" --port "$PORT" --host 127.0.0.1 --no-web \
    --quota-requests 0 --quota-events 0 \
    --retrain-every "${EVERY}s" --retrain-min-gate-users 10 > "$log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$scratch"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break; sleep 0.5; done
started=$(date +%s)
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ)  latency while retraining (serve --retrain-every ${EVERY}s; $DATA, $(wc -l < "$scratch/events.log") logged events; $(nproc) cores shared by server, retraining and wrk)" | tee -a "$OUT"
paced() {
    echo "--- $1: DELAY_MS=30 wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua" | tee -a "$OUT"
    DELAY_MS=30 wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua "http://127.0.0.1:$PORT/" |
        grep -E "Latency|50%|99%|requests in|Requests/sec|Non-2xx|Socket errors" | tee -a "$OUT"
}
# Warm-up: every user's list computed once (cached until their next rating or the next model version).
for u in $(seq 1 610); do curl -s -o /dev/null "http://127.0.0.1:$PORT/getrecforyou?id=$u&size=32"; done
wrk -t2 -c16 -d3s -s bench-results/users.lua "http://127.0.0.1:$PORT/" > /dev/null
paced "before retraining"
# The first run starts EVERY seconds after start-up; measure once it is well under way.
while (( $(date +%s) < started + EVERY + 10 )); do sleep 1; done
grep -q "^retrain: " "$log" || { echo "retraining did not start" | tee -a "$OUT"; exit 1; }
paced "during retraining"
for _ in $(seq 1 900); do grep -q "^retraining: version" "$log" && break; sleep 1; done
grep -E "^retraining: |^loaded next-item|^retrain: version" "$log" | sed 's/^/  /' | tee -a "$OUT"
paced "after the new version was loaded (the active users' lists ranked by it before the switch)"
