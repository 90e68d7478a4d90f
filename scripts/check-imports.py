#!/usr/bin/env python3
"""Every target declares exactly the modules its sources import (no more, no fewer).

Reads `swift package dump-package`; system modules (Foundation, Testing, …) are not declared and are ignored.
Exits 1 listing each target's missing and unused dependencies.
"""
import json, os, re, subprocess, sys

SYSTEM = {"Foundation", "FoundationEssentials", "Synchronization", "Dispatch", "Glibc", "Musl", "Darwin", "Testing", "XCTest"}
package = json.loads(subprocess.run(["swift", "package", "dump-package"], check=True, capture_output=True, text=True).stdout)
bad = 0
for target in package["targets"]:
    name = target["name"]
    path = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", name)
    imported = set()
    for root, _, files in os.walk(path):
        for f in files:
            if f.endswith(".swift"):
                text = open(os.path.join(root, f), encoding="utf-8").read()
                imported |= set(re.findall(r"^(?:@testable |@_exported )?import (?:struct |enum |class )?([A-Za-z_]+)", text, re.M))
    imported -= SYSTEM
    declared = set()
    for d in target["dependencies"]:
        kind, value = next(iter(d.items()))
        declared.add(value[0])
    missing, unused = sorted(imported - declared), sorted(declared - imported)
    if missing or unused:
        bad += 1
        print(f"{name}: missing {missing or '-'}, declared but not imported {unused or '-'}")
print("imports: every target declares exactly what it imports" if not bad else f"imports: {bad} target(s) differ")
sys.exit(1 if bad else 0)
