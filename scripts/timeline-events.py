#!/usr/bin/env python3
"""Cut a MovieLens folder on its timeline for the feedback-loop benchmarks: the ratings before the given quantile
stay in OUT/ratings.csv (movies.csv, links.csv and README.txt copied), the newer ones become rating events in
EVENTS (one JSON line each, the format of ARTIFACTS/events.log), oldest first.

    scripts/timeline-events.py data/ml-latest-small /tmp/d90 /tmp/events90.log 0.9

Then build artifacts on OUT (`sparrow demo --no-serve --no-report --data OUT --artifacts ART`), copy EVENTS to
ART/events.log, and `sparrow retrain` or `scripts/bench-retrain.sh OUT ART`. Nothing written here is committed."""
import csv
import json
import os
import shutil
import sys

source, out, events, quantile = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4])
os.makedirs(out, exist_ok=True)
for name in ["movies.csv", "links.csv", "README.txt"]:
    if os.path.exists(os.path.join(source, name)):
        shutil.copy(os.path.join(source, name), out)
with open(os.path.join(source, "ratings.csv"), newline="") as f:
    rows = list(csv.reader(f))
header, rows = rows[0], rows[1:]
times = sorted(int(r[3]) for r in rows)
cut = times[int(len(times) * quantile)]
old = [r for r in rows if int(r[3]) < cut]
new = sorted((r for r in rows if int(r[3]) >= cut), key=lambda r: (int(r[3]), int(r[0]), int(r[1])))
with open(os.path.join(out, "ratings.csv"), "w", newline="") as f:
    writer = csv.writer(f)
    writer.writerow(header)
    writer.writerows(old)
with open(events, "w") as f:
    for i, r in enumerate(new):
        event = {"type": "rating", "userId": int(r[0]), "movieId": int(r[1]), "rating": float(r[2]),
                 "timestamp": int(r[3]), "id": f"t-{i}"}
        f.write(json.dumps(event) + "\n")
print(f"{len(old)} ratings before {cut} in {out}/ratings.csv, {len(new)} events in {events}")
