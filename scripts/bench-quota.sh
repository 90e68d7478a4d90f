#!/usr/bin/env bash
# Quotas under a flood (issue 42): a release `sparrow serve --api-keys` with the default quotas; wrk paced at ~2,000
# req/s over 64 connections on a backend key (its own high quota) — alone, then beside one unpaced connection on
# another key: first a key under the default quota (500 req/s), then a key with no quota, for comparison. The paced
# clients ask for the default list (MODEL=ranker, mostly cached: ~0.3 ms); the flood for a CTR model's list
# (FLOOD_MODEL=embedding-mlp: ~540 candidates scored, ~1 ms of a core each), so that one connection can take a core.
# Quoted: the paced clients' latency percentiles in each case, and what the flood got (non-2xx = its 429s).
#   [BIN=path/to/sparrow] scripts/bench-quota.sh [DATA] [ARTIFACTS] [OUT]
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${1:-data/ml-latest-small}
ARTIFACTS=${2:-artifacts}
OUT=${3:-bench-results/quota.txt}
PORT=${PORT:-6012}
export MODEL=${MODEL:-ranker}
FLOOD_MODEL=${FLOOD_MODEL:-embedding-mlp}
BIN=${BIN:-}
if [ -z "$BIN" ]; then swift build -c release > /dev/null; BIN=.build/release/sparrow; fi
work=$(mktemp -d)
keys="$work/keys.json"
APP=$("$BIN" keys add --file "$keys" --name app --scopes read --requests-per-second 1000000)
FLOOD=$("$BIN" keys add --file "$keys" --name runaway --scopes read)
UNLIMITED=$("$BIN" keys add --file "$keys" --name runaway-unlimited --scopes read --requests-per-second 1000000)
"$BIN" serve --data "$DATA" --artifacts "$ARTIFACTS" --port "$PORT" --host 127.0.0.1 --no-web --api-keys "$keys" \
    > "$work/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break; sleep 0.5; done
url="http://127.0.0.1:$PORT/"
echo "$(date -u +%Y-%m-%dT%H:%M:%SZ)  quotas under a flood: sparrow serve --api-keys (default quotas: 500 req/s a key),"\
    "GET /getrecforyou?id=<1..610>&size=32&model=$MODEL (the flood: model=$FLOOD_MODEL); $(nproc) cores shared by the"\
    "server and three wrk threads" | tee -a "$OUT"
wrk -t2 -c16 -d3s -s bench-results/users.lua -H "Authorization: Bearer $APP" "$url" > /dev/null  # warm-up
for flood in none "$FLOOD" "$UNLIMITED"; do
    case $flood in
        none) label="paced alone" ;;
        "$FLOOD") label="beside a flood on a key under the default quota (500 req/s)" ;;
        *) label="beside a flood on a key without a quota" ;;
    esac
    echo "--- $label: DELAY_MS=30 wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua (key 'app')" | tee -a "$OUT"
    if [ "$flood" != none ]; then
        MODEL=$FLOOD_MODEL wrk -t1 -c1 -d22s -s bench-results/users.lua -H "Authorization: Bearer $flood" "$url" \
            > "$work/flood.txt" &
        flooder=$!
        sleep 1
    fi
    DELAY_MS=30 wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua -H "Authorization: Bearer $APP" "$url" \
        | grep -E "50%|75%|90%|99%|requests in|Requests/sec|Non-2xx|Socket errors" | tee -a "$OUT"
    if [ "$flood" != none ]; then
        wait "$flooder"
        echo "    the flood (wrk -t1 -c1, unpaced):" | tee -a "$OUT"
        grep -E "requests in|Requests/sec|Non-2xx" "$work/flood.txt" | sed 's/^/    /' | tee -a "$OUT"
    fi
done
