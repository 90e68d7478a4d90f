#!/usr/bin/env bash
# The scale benchmark (issue 18): the whole sequence on a synthetic set of RATINGS ratings with the 25M set's
# proportions (162,000 users and 62,000 movies per 25 M ratings) — synthesise, build every artifact (`demo --no-serve
# --no-report`), start the server, pace /getrecforyou at ~1,000 req/s over 64 connections — and one table row per step:
# wall time, peak RSS, output size. The demo's own stage lines (each artifact's time and peak RSS) are kept beside it.
#   [EVAL=1] [MOVIES=N] scripts/bench-scale.sh RATINGS [WORK] [OUT]      e.g. scripts/bench-scale.sh 1000000
# MOVIES=62000 holds the catalogue at the 25M set's size while the ratings (and users) grow: the growth in the ratings
# alone, apart from the catalogue's.
# EVAL=1 adds `sparrow eval --top-k-only --sample-users 10000` (top-K quality on a sample of the test users).
set -euo pipefail
cd "$(dirname "$0")/.."
RATINGS=${1:?usage: scripts/bench-scale.sh RATINGS [WORK] [OUT]}
WORK=${2:-/tmp/sparrow-scale-$RATINGS}
OUT=${3:-bench-results/scale.txt}
PORT=${PORT:-6012}
BIN=${BIN:-}
if [ -z "$BIN" ]; then swift build -c release > /dev/null; BIN=.build/release/sparrow; fi
USERS=$(( RATINGS * 162000 / 25000000 ))
USERS=$(( USERS < 100 ? 100 : USERS ))
FIXED=${MOVIES:+MOVIES=$MOVIES }
if [ -z "${MOVIES:-}" ]; then
    MOVIES=$(( RATINGS * 62000 / 25000000 ))
    MOVIES=$(( MOVIES < 2000 ? 2000 : MOVIES ))  # small sets: room for every user's ratings
fi
rm -rf "$WORK" && mkdir -p "$WORK"
rows=()
# Runs a step under /usr/bin/time; adds "| step | wall s | peak RSS MiB | output |" to the table.
step() {
    local name=$1 output=$2; shift 2
    if ! /usr/bin/time -f "%e %M" -o "$WORK/time.txt" "$@" > "$WORK/$name.log" 2>&1; then
        echo "bench-scale: '$name' failed; the end of its log ($WORK/$name.log):" >&2
        tail -n 20 "$WORK/$name.log" >&2
        exit 1
    fi
    read -r wall kb < "$WORK/time.txt"
    local size
    size=$(du -sh "$output" 2>/dev/null | cut -f1)
    rows+=("| $name | $wall | $(( kb / 1024 )) | ${size:-—} |")
}
step "synthesise ($USERS users, $MOVIES movies)" "$WORK/data" \
    "$BIN" data synth --users "$USERS" --movies "$MOVIES" --ratings "$RATINGS" --seed 1 --to "$WORK/data"
step "offline build (demo --no-serve --no-report)" "$WORK/artifacts" \
    "$BIN" demo --data "$WORK/data" --artifacts "$WORK/artifacts" --no-serve --no-report
# EVAL=1: top-K quality, leave-last-out on a sample of 10,000 test users (the served pipeline rebuilt on the split).
if [ "${EVAL:-0}" = 1 ]; then
    step "eval --top-k-only --sample-users 10000" "$WORK/eval-report" \
        "$BIN" eval --data "$WORK/data" --artifacts "$WORK/eval-artifacts" --out "$WORK/eval-report" --top-k-only \
        --sample-users 10000
fi
# The server: seconds to /health/ready, resident memory once ready, then paced requests.
start=$(date +%s.%N)
"$BIN" serve --data "$WORK/data" --artifacts "$WORK/artifacts" --port "$PORT" --host 127.0.0.1 --no-web \
    --quota-requests 0 --quota-events 0 \
    > "$WORK/serve.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in $(seq 1 2400); do curl -sf "http://127.0.0.1:$PORT/health/ready" > /dev/null && break; sleep 0.5; done
ready=$(echo "$(date +%s.%N) - $start" | bc)
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
rows+=("| server ready | $(printf %.1f "$ready") | $rss (resident once ready) | — |")
MODEL=ranker USERS=$USERS DELAY_MS=60 wrk -t2 -c64 -d20s --latency -s bench-results/users-paced.lua \
    "http://127.0.0.1:$PORT/" > "$WORK/wrk.txt" 2>&1 || true
p99=$(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")
rate=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$pid/status")
rows+=("| /getrecforyou paced, 64 connections: $rate req/s | p99 $p99 | $rss (resident after) | — |")
{
    echo "$(date -u +%Y-%m-%dT%H:%M:%SZ)  ${FIXED}scripts/bench-scale.sh $RATINGS ($(nproc) cores, release build)"
    echo "| step | wall s | peak RSS MiB | output |"
    echo "|---|---|---|---|"
    printf '%s\n' "${rows[@]}"
    if [ "${EVAL:-0}" = 1 ]; then
        echo "  top-K, leave-last-out on a sample of test users (eval log):"
        grep -E "^  [a-z0-9 ()-]+: HR@10|random sample" "$WORK/eval --top-k-only --sample-users 10000.log" | sed 's/^/  /'
    fi
    echo "  the offline build's stages (demo log):"
    grep -E "^  (built|trained|next-item: (SASRec|signals|sasrec:|[0-9]+ training)|start-up)|MiB peak" \
        "$WORK/offline build (demo --no-serve --no-report).log" | sed 's/^/  /'
} | tee -a "$OUT"
