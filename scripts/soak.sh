#!/usr/bin/env bash
# The soak: wrk at 256 connections for 60 s against a release `sparrow serve` over a mix of recommendation,
# similar-movie, movie and event-posting requests (bench-results/soak.lua), after a 20 s warm-up with the same mix.
# Reports socket errors, statuses by class and the server's RSS after the warm-up, every 10 s and at the end.
#   scripts/soak.sh [DATA] [ARTIFACTS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-data/ml-latest-small}
ARTIFACTS=${2:-artifacts}
OUT=${3:-bench-results/soak.txt}
PORT=${PORT:-6012}
DURATION=${DURATION:-60}
swift build -c release > /dev/null
# A copy of the artifacts, so that the soak's events land in a throw-away log.
events=$(mktemp -d)
cp -r "$ARTIFACTS" "$events/artifacts"
rm -f "$events/artifacts/events.log"
.build/release/sparrow serve --data "$DATA" --artifacts "$events/artifacts" --port "$PORT" --host 127.0.0.1 --no-web \
    --quota-requests 0 --quota-events 0 \
    > /tmp/sparrow-soak-server.log 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; rm -rf "$events"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break; sleep 0.5; done
MOVIES=$(awk -F, 'NR > 1 && NR <= 3001 { print $1 }' "$DATA/movies.csv" | paste -sd, -)
export MOVIES
rss() { awk '/VmRSS/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status"; }
wrk -t2 -c256 -d20s -s bench-results/soak.lua "http://127.0.0.1:$PORT/" > /dev/null  # warm-up
warm=$(rss)
( for _ in $(seq 1 $((DURATION / 10))); do sleep 10; echo "$(rss)"; done ) > "$events/rss" &
sampler=$!
result=$(wrk -t2 -c256 -d"${DURATION}s" --latency -s bench-results/soak.lua "http://127.0.0.1:$PORT/")
wait $sampler || true
end=$(rss)
growth=$(python3 -c "print(f'{($end - $warm) / $warm * 100:+.1f}')")
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ)  soak: wrk -t2 -c256 -d${DURATION}s -s bench-results/soak.lua (50 % /getrecforyou, 20 % similar,"
    echo "  20 % movie, 10 % POST /api/v1/events) against a release sparrow serve ($(nproc) cores shared with wrk; $DATA)"
    grep -E "Latency|50%|99%|requests in|Requests/sec|Non-2xx|Socket errors|statuses" <<<"$result"
    [[ $result == *"Socket errors"* ]] || echo "  Socket errors: none"
    echo "  RSS after warm-up ${warm} MB; every 10 s: $(paste -sd' ' "$events/rss") MB; at the end ${end} MB (${growth} %)"
    echo "  events log after the soak: $(wc -l < "$events/artifacts/events.log") events, $(du -h "$events/artifacts/events.log" | cut -f1)"
} | tee -a "$OUT"
