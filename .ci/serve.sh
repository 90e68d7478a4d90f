# Sourced by the CI scripts: `serve_until_ready LOG [serve options…]` starts `$BIN serve` on 127.0.0.1:$PORT with
# $DATA and $ART, logging to LOG, stops it when the script exits, and waits up to 120 s for /health/ready (else
# prints the log and exits 1). Sets SERVER to its pid.
serve_until_ready() {
    local log=$1
    shift
    "$BIN" serve --data "$DATA" --artifacts "$ART" --port "$PORT" --host 127.0.0.1 "$@" > "$log" 2>&1 &
    SERVER=$!
    trap 'kill $SERVER 2>/dev/null || true' EXIT
    for _ in $(seq 1 120); do
        curl -fs "http://127.0.0.1:$PORT/health/ready" > /dev/null 2>&1 && return 0
        sleep 1
    done
    echo "server did not become ready"
    cat "$log"
    exit 1
}
