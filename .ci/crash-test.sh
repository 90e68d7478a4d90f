#!/usr/bin/env bash
# The near-line crash test (issue #9): post 10,000 events, SIGKILL the server at a random moment, restart it, and
# require every acknowledged event present exactly once — with the embedded log, then through a real redis-server
# (AOF, appendfsync always). Needs: a built sparrow, SPARROW_DATA, redis-server; SPARROW_ARTIFACTS is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SPARROW_BIN:-.build/debug/sparrow}
# The benchmark binary built beside it starts that sparrow (SPARROW_BIN) as its servers.
BENCH=${SPARROW_BENCH_BIN:-$(dirname "$BIN")/sparrow-bench}
export SPARROW_BIN="$BIN"
DATA=${SPARROW_DATA:?set SPARROW_DATA to a MovieLens folder}
ART=${SPARROW_ARTIFACTS:-$(mktemp -d)}
# Embedded: the server checkpoints every second, so the kill can land while a checkpoint is being written.
# Each run must end with its verdict line: a run that printed anything else (its help, say) checked nothing.
crash() {
    local out
    out=$(mktemp)
    "$BENCH" crash "$@" | tee "$out"
    grep -q "present exactly once" "$out" || { echo "crash-test: no verdict from sparrow-bench crash $*" >&2; exit 1; }
}
crash --data "$DATA" --artifacts "$ART" --events 10000 --checkpoint-every 1
dir=$(mktemp -d)
# A port free now (not a fixed one: two CI runs on one machine would share a redis-server, and one's exit stop the
# other's); the server is ours once its pid file exists, and only ours is stopped.
port=${CRASH_REDIS_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" > /dev/null
trap '[ -f "$dir/redis.pid" ] && kill "$(cat "$dir/redis.pid")" 2> /dev/null || true' EXIT
for _ in $(seq 1 100); do [ -f "$dir/redis.pid" ] && redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.05; done
[ -f "$dir/redis.pid" ] || { echo "crash-test: redis-server did not start on port $port" >&2; exit 1; }
crash --data "$DATA" --artifacts "$ART" --events 10000 --redis "redis://127.0.0.1:$port"
