#!/usr/bin/env python3
"""Turns JMH JSON results into Markdown tables, one per benchmark class (python3 stdlib only).

Usage: tables.py RESULTS.json > tables.md

Each row is one benchmark method with its parameters; the score is shown with its 99.9 % error
and unit, in the unit JMH measured. Used to fill the tables of docs/benchmarks.md.
"""
import json
import math
import sys
from collections import defaultdict


def fmt(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        results = json.load(f)
    groups = defaultdict(list)
    for r in results:
        cls = r["benchmark"].rsplit(".", 2)[1]
        groups[cls].append(r)
    for cls in sorted(groups):
        rows = groups[cls]
        params = sorted({k for r in rows for k in (r.get("params") or {})})
        print(f"#### {cls}\n")
        print("| benchmark | " + "".join(f"{p} | " for p in params) + "score | ± error | unit |")
        print("|---|" + "---|" * len(params) + "---:|---:|---|")
        for r in rows:
            m = r["primaryMetric"]
            method = r["benchmark"].rsplit(".", 1)[1]
            values = "".join(f"{(r.get('params') or {}).get(p, '')} | " for p in params)
            print(f"| {method} | {values}{fmt(m['score'])} | {fmt(m.get('scoreError'))} | "
                  f"{m['scoreUnit']} |")
        first = rows[0]
        print(f"\n({first['forks']} fork(s), {first['warmupIterations']} warm-up and "
              f"{first['measurementIterations']} measured iterations; JVM {first['jvm']} "
              f"{first.get('vmVersion', '')}, flags {' '.join(first.get('jvmArgs', []))})\n")


if __name__ == "__main__":
    main()
