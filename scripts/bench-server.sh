#!/usr/bin/env bash
# The serving benchmark: wrk on loopback against a release `sparrow serve`, GET /getrecforyou for users 1…610
# (bench-results/users.lua). MODEL=embedding-mlp (the default here, as in issue #7) ranks ~800 candidates with recall
# quotas from bench-results/candidates-800.json; MODEL=ranker measures the default served list (next-item signals →
# listwise ranker). wrk shares the machine's cores with the server.
#   [MODEL=ranker] [BIN=path/to/sparrow] scripts/bench-server.sh [DATA] [ARTIFACTS] [OUT]
# BIN compares another build (say, the previous commit's) on the same machine; by default the release build here.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-data/ml-latest-small}
ARTIFACTS=${2:-artifacts}
OUT=${3:-bench-results/server.txt}
PORT=${PORT:-6011}
MODEL=${MODEL:-embedding-mlp}
export MODEL
BIN=${BIN:-}
if [ -z "$BIN" ]; then swift build -c release > /dev/null; BIN=.build/release/sparrow; fi
# wrk is one client standing for many users: no per-client quota.
"$BIN" serve --data "$DATA" --artifacts "$ARTIFACTS" --port "$PORT" --host 127.0.0.1 --no-web \
    --quota-requests 0 --quota-events 0 --config bench-results/candidates-800.json > /tmp/sparrow-bench-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break; sleep 0.5; done
# Mean candidates ranked per request over the first 100 users.
candidates=$(for u in $(seq 1 100); do curl -s "http://127.0.0.1:$PORT/api/v1/recommend?user=$u&n=32&model=$MODEL&explain=true"; echo; done |
    python3 -c "import json,sys; s=[sum(json.loads(l)['recall'].values()) for l in sys.stdin if l.strip()]; print(f'{sum(s)/len(s):.0f} (min {min(s)}, max {max(s)})')")
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ)  wrk on loopback against sparrow serve ($(nproc) cores shared with wrk; release build; $DATA),"
    echo "  GET /getrecforyou?id=<1..610>&size=32&model=$MODEL; candidates ranked per request: $candidates"
} | tee -a "$OUT"
wrk -t2 -c16 -d3s -s bench-results/users.lua "http://127.0.0.1:$PORT/" > /dev/null  # warm-up
for spec in "1 1" "1 4" "2 8" "2 16" "2 64"; do
    set -- $spec
    echo "--- wrk -t$1 -c$2 -d15s --latency -s bench-results/users.lua" | tee -a "$OUT"
    wrk -t"$1" -c"$2" -d15s --latency -s bench-results/users.lua "http://127.0.0.1:$PORT/" | grep -E "Latency|50%|75%|90%|99%|requests in|Requests/sec|Non-2xx|Socket errors" | tee -a "$OUT"
done
# Paced: 64 connections that each wait a random 0–2×DELAY_MS between requests, offering ~2,000–2,400 requests/s —
# latency at a given load over 64 connections, rather than the closed loop's queue of 64 waiting requests.
for delay in 30 26; do
    echo "--- DELAY_MS=$delay wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua" | tee -a "$OUT"
    DELAY_MS=$delay wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua "http://127.0.0.1:$PORT/" | grep -E "Latency|50%|75%|90%|99%|requests in|Requests/sec|Non-2xx|Socket errors" | tee -a "$OUT"
done
