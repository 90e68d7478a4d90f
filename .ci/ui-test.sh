#!/usr/bin/env bash
# Drives the web UI through headless Chromium against a real `sparrow serve`, asserting on the rendered DOM and on
# the console log. Needs: chromium, a built sparrow, SPARROW_DATA (ml-latest-small).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SPARROW_BIN:-.build/debug/sparrow}
DATA=${SPARROW_DATA:?set SPARROW_DATA to a MovieLens folder}
ART=${SPARROW_ARTIFACTS:-$(mktemp -d)}
PORT=${UI_TEST_PORT:-6093}
passed=0
failed=0

"$BIN" eval --data "$DATA" --artifacts "$ART" --out "$ART/report" --models embedding-mlp,neuralcf > "$ART/eval.log" 2>&1
source .ci/serve.sh
serve_until_ready "$ART/serve.log" --web Web

# check PAGE PATTERN… : the page renders (data-ready), shows no error box, logs no console error, contains every pattern.
check() {
    local page=$1
    shift
    local dom="$ART/dom.html" log="$ART/chrome.log"
    timeout 90 chromium --headless --no-sandbox --disable-gpu --virtual-time-budget=15000 --enable-logging=stderr --v=0 \
        --user-data-dir="$ART/profile" --dump-dom "http://127.0.0.1:$PORT/$page" > "$dom" 2> "$log" || true
    local problems=()
    grep -q 'data-ready="true"' "$dom" || problems+=("page never finished rendering")
    grep -q 'class="error"' "$dom" && problems+=("error box: $(grep -o 'class="error"[^<]*<*[^<]*' "$dom" | head -1)")
    grep -qE 'Uncaught|INFO:CONSOLE' "$log" && problems+=("console: $(grep -E 'Uncaught|INFO:CONSOLE' "$log" | head -2)")
    for pattern in "$@"; do
        grep -q -- "$pattern" "$dom" || problems+=("missing: $pattern")
    done
    if (( ${#problems[@]} )); then
        failed=$((failed + 1))
        echo "✘ $page"
        printf '    %s\n' "${problems[@]}"
    else
        passed=$((passed + 1))
        echo "✔ $page ($(grep -o 'class="card"' "$dom" | wc -l) cards)"
    fi
}

check "#/" 'Popular now' 'Top rated: Drama' 'class="card"'
check "#/user/1" 'Recommended for you' 'class="why"' 'data-channel=' 'Watched (newest first)' 'Favourite genres'
check "#/movie/1" 'Toy Story' 'Similar by item2vec' 'IMDb' 'aria-pressed="true"'
check "#/movie/1" 'data-testid="prediction"'   # the user chosen on the previous page gets a real probability
check "#/" 'Recommended for you (user 1'
check "#/genre/Comedy/1" 'Comedy — top rated (page 2)' 'Next' 'class="card"'
check "#/search?q=amelie" 'Amélie'
check "#/lab" 'Offline metrics' 'ROC curves' 'embedding map' 'Side by side for user'
echo "ui: $passed passed, $failed failed"
(( failed == 0 ))
