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
check "#/lab" 'Offline metrics' 'ROC curves' 'embedding map' 'Side by side for user' 'Top-K recommendation' \
    'served (default)' 'long tail'

# Locked down: a keys file, the page served with a read key. The API refuses a request without a key; the page works.
kill "$SERVER" && wait "$SERVER" 2>/dev/null || true
rm -f "$ART/ui-keys.json"
PAGE_KEY=$("$BIN" keys add --file "$ART/ui-keys.json" --name web-page --scopes read)
serve_until_ready "$ART/serve-keys.log" --web Web --api-keys "$ART/ui-keys.json" --web-key "$PAGE_KEY"
status=$(curl -s -o /dev/null -w "%{http_code}" "http://127.0.0.1:$PORT/api/v1/recommend?user=1")
if [[ $status == 401 ]]; then passed=$((passed + 1)); echo "✔ without a key: 401"; else
    failed=$((failed + 1)); echo "✘ without a key: $status, expected 401"; fi
check "#/user/1" 'Recommended for you' 'class="why"' 'Watched (newest first)'
check "#/movie/1" 'Toy Story' 'Similar by item2vec'
echo "ui: $passed passed, $failed failed"
(( failed == 0 ))
