#!/usr/bin/env bash
# The two single-pass stages whose growth issue 18 measures, on data sets already built by scripts/bench-scale.sh:
# sample generation's binary pass (`sparrow features --split random --no-csv`) and the server's live state at
# start-up (the "start-up: live state" line of `sparrow serve`). Three runs of each per size, median quoted, so the
# growth from one size to the next can be set against n log n.
#
#   [LISTS=1] scripts/bench-growth.sh ROOT N...   # ROOT/scaleN/{data,artifacts} as bench-scale.sh leaves them
#
# LISTS=1 adds the offline lists of every user (`lists.bin` removed, `demo --no-serve --no-report` ranks them again:
# the "start-up: next-item lists of … users ranked" line), three runs per size like the others, taken in rounds over
# the sizes (1 M, 5 M, 25 M, 1 M, 5 M, …) so that a drift in the machine's speed over the minutes falls on every size;
# LISTS=only measures the lists alone.
#
# This machine pays several times more for memory a process touches for the first time in a while than for memory
# recently used (a virtual machine's host backs it lazily: 6 GB of fresh small allocations took 9.3 s cold, 2.3 s
# warm); that noise swamps the growth being measured, so the script touches 6 GB before each series.
set -euo pipefail
ROOT=$1
shift
BIN=${BIN:-.build/release/sparrow}
PORT=${PORT:-6019}
warm() { python3 -c 'b = bytearray(6 * 1024**3); [b.__setitem__(i, 1) for i in range(0, len(b), 4096)]'; }
median() { sort -g | sed -n 2p; }
for n in "$@"; do
    [ "${LISTS:-0}" = only ] && break
    dir="$ROOT/scale$n"
    features=()
    live=()
    # The server runs back to back, then the sample passes (whose output files would otherwise refill the page
    # cache between two start-ups, and the start-up after them pay for fresh memory again).
    warm
    for _ in 1 2 3; do
        "$BIN" serve --data "$dir/data" --artifacts "$dir/artifacts" --port "$PORT" --host 127.0.0.1 --no-web \
            > "$dir/growth-serve.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 600); do grep -q "ready" "$dir/growth-serve.log" && break; sleep 0.2; done
        kill "$pid"
        wait "$pid" 2> /dev/null || true
        live+=("$(sed -n 's/start-up: live state \([0-9.]*\) s/\1/p' "$dir/growth-serve.log")")
    done
    warm
    for _ in 1 2 3; do
        rm -rf "$dir/growth-samples"
        features+=("$("$BIN" features --data "$dir/data" --out "$dir/growth-samples" --split random --seed 42 \
            --no-csv 2>&1 | sed -n 's/.*features \([0-9.]*\) s.*/\1/p')")
    done
    rm -rf "$dir/growth-samples"
    echo "$n ratings: samples (binary) $(printf '%s\n' "${features[@]}" | median) s of ${features[*]}; live state at" \
        "start-up $(printf '%s\n' "${live[@]}" | median) s of ${live[*]}"
done
if [ "${LISTS:-0}" != 0 ]; then
    declare -A lists
    for _ in 1 2 3; do
        for n in "$@"; do
            dir="$ROOT/scale$n"
            warm
            rm -f "$dir/artifacts/next-item/lists.bin"
            lists[$n]+="$("$BIN" demo --data "$dir/data" --artifacts "$dir/artifacts" --no-serve --no-report 2>&1 \
                | sed -n 's/.*next-item lists of [0-9]* users ranked: \([0-9.]*\) s.*/\1/p') "
        done
    done
    for n in "$@"; do
        echo "$n ratings: offline lists $(printf '%s\n' ${lists[$n]} | median) s of ${lists[$n]% }"
    done
fi
