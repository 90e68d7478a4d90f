#!/usr/bin/env bash
# The served list against every single model over several synthetic sets (issue 14): for each seed, the default synthetic
# set (`sparrow data synth --seed S`), `sparrow eval --top-k-only` leave-last-out and `--protocol time`, defaults
# untouched; one line per set and protocol, then the means over the seeds and, pooled over every set's users, the
# served list against each single model user by user (users only the served list hits, only the model hits, and the
# two-sided sign test's p).
#   scripts/eval-seeds.sh WORK SEED...      e.g. scripts/eval-seeds.sh /tmp/seeds 1 2 3 4 5 6 7 8 42
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=${1:?usage: scripts/eval-seeds.sh WORK SEED...}
shift
BIN=${BIN:-}
if [ -z "$BIN" ]; then swift build -c release > /dev/null; BIN=.build/release/sparrow; fi
mkdir -p "$WORK"
for s in "$@"; do
    [ -d "$WORK/data-$s" ] || "$BIN" data synth --seed "$s" --to "$WORK/data-$s" > /dev/null
    for p in leave-last-out time; do
        o="$WORK/s$s-$p"
        "$BIN" eval --data "$WORK/data-$s" --artifacts "$o/artifacts" --out "$o/report" --top-k-only --protocol "$p" \
            > "$o.log" 2>&1 || { echo "eval-seeds: seed $s, $p failed; see $o.log" >&2; exit 1; }
    done
done
python3 - "$WORK" "$@" <<'PY'
import json, sys, collections, math
work, seeds = sys.argv[1], sys.argv[2:]


def sign_test(a, b):
    """Two-sided exact sign test of a users won against b lost."""
    n, k = a + b, min(a, b)
    return min(1.0, 2 * sum(math.comb(n, i) for i in range(k + 1)) / 2**n) if n else 1.0


for p in ["leave-last-out", "time"]:
    sums, wins = collections.defaultdict(lambda: [0.0, 0.0]), 0
    pooled, users = collections.defaultdict(lambda: [0, 0]), 0
    for s in seeds:
        r = json.load(open(f"{work}/s{s}-{p}/report/report.json"))
        e = {x["method"]: x["metrics"] for x in r["topK"] if not x["method"].startswith(("recall", "served:"))}
        paired = {x["method"]: x.get("versusServed") for x in r["topK"]}
        singles = {k: v for k, v in e.items() if not k.startswith("served")}
        best = max(singles, key=lambda k: singles[k]["hitRate"])
        served = e["served (default)"]
        wins += served["hitRate"] >= singles[best]["hitRate"]
        print(f"seed {s}, {p} ({served['users']} users): served {served['hitRate']:.4f} / {served['ndcg']:.4f}; best "
              f"single {best} {singles[best]['hitRate']:.4f} / {singles[best]['ndcg']:.4f}"
              + (f" (served vs it: +{v['onlyFirst']} / -{v['onlySecond']} users, p {v['pValue']:.2f})"
                 if (v := paired.get(best)) else ""))
        users += served["users"]
        for k, v in paired.items():
            if v and k in singles:
                pooled[k][0] += v["onlyFirst"]
                pooled[k][1] += v["onlySecond"]
        for k, v in e.items():
            sums[k][0] += v["hitRate"] / len(seeds)
            sums[k][1] += v["ndcg"] / len(seeds)
    print(f"{p}, mean over {len(seeds)} seeds (served >= the seed's best single model in {wins}):")
    for k, (h, n) in sorted(sums.items(), key=lambda kv: -kv[1][0]):
        print(f"  {k}: HR@10 {h:.4f}  NDCG@10 {n:.4f}")
    print(f"{p}, pooled over the {users} test users of the {len(seeds)} sets, served against each single model:")
    for k, (a, b) in sorted(pooled.items(), key=lambda kv: kv[1][0] - kv[1][1]):
        q = sign_test(a, b)
        print(f"  {k}: +{a} / -{b} users, p " + (f"{q:.4f}" if q >= 1e-4 else "< 0.0001"))
PY
