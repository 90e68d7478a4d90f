#!/usr/bin/env bash
# The near-line crash test (issue #9): post 10,000 events, SIGKILL the server at a random moment, restart it, and
# require every acknowledged event present exactly once — with the embedded log, then through a real redis-server
# (AOF, appendfsync always). Needs: a built sparrow, SPARROW_DATA, redis-server; SPARROW_ARTIFACTS is reused.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SPARROW_BIN:-.build/debug/sparrow}
DATA=${SPARROW_DATA:?set SPARROW_DATA to a MovieLens folder}
ART=${SPARROW_ARTIFACTS:-$(mktemp -d)}
# Embedded: the server checkpoints every second, so the kill can land while a checkpoint is being written.
"$BIN" bench crash --data "$DATA" --artifacts "$ART" --events 10000 --checkpoint-every 1
dir=$(mktemp -d)
port=${CRASH_REDIS_PORT:-6391}
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly yes --appendfsync always --dir "$dir" \
    --daemonize yes --pidfile "$dir/redis.pid" > /dev/null
trap 'redis-cli -p "$port" shutdown nosave > /dev/null 2>&1 || true' EXIT
for _ in $(seq 1 100); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.05; done
"$BIN" bench crash --data "$DATA" --artifacts "$ART" --events 10000 --redis "redis://127.0.0.1:$port"
