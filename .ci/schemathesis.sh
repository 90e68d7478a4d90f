#!/usr/bin/env bash
# Fuzzes the live server against its own /openapi.json with schemathesis: every check (schemathesis 4 runs all of
# them by default; .ci/schemathesis.toml turns one off for two operations and says why) and every phase — examples,
# coverage, fuzzing, stateful (links: event → user → recommend). Fails unless it generated ≥ MIN_CASES cases and
# found 0 failures. The server runs locked down (a keys file, quotas on): the fuzzer's key has every scope, and the
# contract's bearer security makes schemathesis also check that a request without it is refused (401).
# Needs: a built sparrow, SPARROW_DATA, artifacts (SPARROW_ARTIFACTS, else built here), PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${SPARROW_BIN:-.build/debug/sparrow}
DATA=${SPARROW_DATA:?set SPARROW_DATA to a MovieLens folder}
ART=${SPARROW_ARTIFACTS:-$(mktemp -d)}
PORT=${FUZZ_PORT:-6094}
MIN_CASES=${MIN_CASES:-1000}
VENV=${SCHEMATHESIS_VENV:-.ci-venv}

if [[ ! -x "$VENV/bin/schemathesis" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q "schemathesis==4.32.5"
fi
if [[ ! -d "$ART/models" ]]; then
    "$BIN" eval --data "$DATA" --artifacts "$ART" --out "$ART/report" --models embedding-mlp,neuralcf > "$ART/eval.log" 2>&1
fi
source .ci/serve.sh
rm -f "$ART/fuzz-keys.json"
KEY=$("$BIN" keys add --file "$ART/fuzz-keys.json" --name fuzz --scopes read,write,admin --requests-per-second 100000)
"$BIN" keys add --file "$ART/fuzz-keys.json" --name page --scopes read > /dev/null
serve_until_ready "$ART/fuzz-serve.log" --api-keys "$ART/fuzz-keys.json"

log="$ART/schemathesis.log"
set +e
"$VENV/bin/schemathesis" --config-file .ci/schemathesis.toml run "http://127.0.0.1:$PORT/openapi.json" \
    --phases examples,coverage,fuzzing,stateful --max-examples "${MAX_EXAMPLES:-60}" --max-time "${MAX_TIME:-180}" \
    --workers 2 --seed 20261202 -H "Authorization: Bearer $KEY" --no-color > "$log" 2>&1
status=$?
set -e
sed -n '/SUMMARY/,$p' "$log"
cases=$(grep -oE "[0-9]+ generated" "$log" | tail -n 1 | grep -oE "[0-9]+" || echo 0)
if kill -0 "$SERVER" 2>/dev/null; then alive=yes; else alive=no; fi
echo "schemathesis: $cases cases generated, exit status $status, server alive after the run: $alive"
if (( status != 0 )) || (( cases < MIN_CASES )) || [[ $alive != yes ]]; then
    grep -B2 -A25 -E "^_+ .* _+$" "$log" | head -200
    echo "schemathesis: FAILED"
    exit 1
fi
echo "schemathesis: 0 failures"
