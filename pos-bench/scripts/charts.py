#!/usr/bin/env python3
"""Turns JMH JSON results into SVG bar charts (python3 standard library only).

Usage: charts.py RESULTS.json OUTPUT_DIR

One chart per benchmark class (and per @Param value of 'stakes', if any): a horizontal bar per
benchmark method and parameter set, length = score, labelled with score +- error and unit.
Bars use a log scale when the scores span more than two orders of magnitude.
"""
import json
import math
import os
import sys
from collections import defaultdict
from html import escape


def label(result):
    method = result["benchmark"].rsplit(".", 1)[1]
    params = result.get("params") or {}
    shown = [f"{k}={v}" for k, v in params.items() if k != "stakes"]
    return method + (" (" + ", ".join(shown) + ")" if shown else "")


def chart(title, rows, path):
    width, bar_h, gap, left, right = 900, 18, 6, 330, 170
    height = 40 + len(rows) * (bar_h + gap) + 20
    scores = [r[1] for r in rows if r[1] > 0]
    log = bool(scores) and max(scores) / min(scores) > 100
    top = max(scores) if scores else 1
    low = min(scores) if scores else 1

    def length(v):
        if v <= 0:
            return 0
        if log:
            span = math.log10(top) - math.log10(low) + 1
            return (math.log10(v) - math.log10(low) + 1) / span * (width - left - right)
        return v / top * (width - left - right)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}'
           f'{" (log scale)" if log else ""}</text>']
    y = 40
    for name, score, error, unit in rows:
        w = length(score)
        out.append(f'<text x="{left - 8}" y="{y + 13}" text-anchor="end">{escape(name)}</text>')
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#4a7ab8"/>')
        err = f" ± {error:.3g}" if error and not math.isnan(error) else ""
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 13}">{score:.4g}{err} {escape(unit)}</text>')
        y += bar_h + gap
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def main():
    results_path, out_dir = sys.argv[1], sys.argv[2]
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    groups = defaultdict(list)
    for r in results:
        cls = r["benchmark"].rsplit(".", 2)[1]
        stakes = (r.get("params") or {}).get("stakes")
        key = cls + (f"-{stakes}" if stakes else "")
        m = r["primaryMetric"]
        groups[key].append((label(r), m["score"], m.get("scoreError", float("nan")), m["scoreUnit"]))
    os.makedirs(out_dir, exist_ok=True)
    for key, rows in sorted(groups.items()):
        chart(key, rows, os.path.join(out_dir, key + ".svg"))
        print("wrote", os.path.join(out_dir, key + ".svg"))


if __name__ == "__main__":
    main()
