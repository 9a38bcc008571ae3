#!/usr/bin/env python3
"""Turns JMH JSON results into SVG bar charts (python3 standard library only).

Usage: charts.py RESULTS.json OUTPUT_DIR

One chart per benchmark class, split by the method's kind where a class has both (methods named
draw* and round*) and by the @Param value of 'stakes', if any: a horizontal bar per benchmark
method and parameter set, length = score, labelled with score +- error and unit. Bars use a log
scale when the scores span more than two orders of magnitude.
"""
import json
import math
import os
import sys
from collections import defaultdict
from html import escape


PALETTE = ["#4a7ab8", "#e07b39", "#5aa469", "#c0504d", "#8064a2", "#4bacc6", "#9c9c9c", "#f2c14e"]
SCALE = {"ns/op": 1, "us/op": 1e3, "ms/op": 1e6, "s/op": 1e9}


def human(value, unit):
    """A time per op in the largest unit that keeps it >= 1 (ns, us, ms, s); other units as is."""
    if unit not in SCALE:
        return f"{value:,.4g} {unit}"
    ns = value * SCALE[unit]
    for name, factor in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= factor:
            return f"{ns / factor:.3g} {name}"
    return f"{ns:.3g} ns"


def params_label(result):
    params = result.get("params") or {}
    return ", ".join(f"{k}={v}" for k, v in params.items() if k != "stakes")


def chart(title, rows, path):
    """rows: (method, params label, score, error, unit), drawn grouped by params, coloured by method."""
    methods = sorted({r[0] for r in rows})
    colour = {m: PALETTE[i % len(PALETTE)] for i, m in enumerate(methods)}
    rows = sorted(rows, key=lambda r: (_natural(r[1]), r[0]))
    width, bar_h, gap, left, right = 900, 16, 4, 260, 150
    legend_h = 22 * ((len(methods) + 2) // 3)
    groups = len({r[1] for r in rows})
    height = 40 + legend_h + len(rows) * (bar_h + gap) + groups * 10 + 20
    scores = [r[2] for r in rows if r[2] > 0]
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
           '<rect width="100%" height="100%" fill="white"/>',
           f'<text x="10" y="22" font-size="15" font-weight="bold">{escape(title)}'
           f'{" (log scale; shorter is faster)" if log and rows[0][4] != "ops/s" else ""}</text>']
    for i, m in enumerate(methods):
        x, y = 10 + (i % 3) * 290, 36 + (i // 3) * 22
        out.append(f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour[m]}"/>')
        out.append(f'<text x="{x + 18}" y="{y + 11}">{escape(m)}</text>')
    y = 40 + legend_h
    previous = None
    for method, group, score, error, unit in rows:
        if group != previous:
            if previous is not None:
                y += 10
            if group:
                out.append(f'<text x="{left - 8}" y="{y + 12}" text-anchor="end" '
                           f'font-weight="bold">{escape(group)}</text>')
            previous = group
        w = length(score)
        out.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                   f'fill="{colour[method]}"><title>{escape(method)}</title></rect>')
        err = f" ± {error / score * 100:.0f}%" if error and not math.isnan(error) and score else ""
        out.append(f'<text x="{left + w + 6:.1f}" y="{y + 12}">{human(score, unit)}{err}</text>')
        y += bar_h + gap
    out.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


def _natural(text):
    """Sorts 'validators=1000' after 'validators=10' and before 'validators=100000'."""
    parts = []
    for token in text.replace("=", " ").replace(",", " ").split():
        parts.append((0, int(token), "") if token.isdigit() else (1, 0, token))
    return parts


def main():
    results_path, out_dir = sys.argv[1], sys.argv[2]
    with open(results_path, encoding="utf-8") as f:
        results = json.load(f)
    groups = defaultdict(list)
    for r in results:
        cls, method = r["benchmark"].rsplit(".", 2)[1:]
        kind = next((k for k in ("draw", "round") if method.startswith(k)), None)
        stakes = (r.get("params") or {}).get("stakes")
        key = cls + (f"-{kind}" if kind and cls == "SelectionBenchmark" else "")
        key += f"-{stakes}" if stakes else ""
        m = r["primaryMetric"]
        groups[key].append((method, params_label(r), m["score"], m.get("scoreError", float("nan")),
                            m["scoreUnit"]))
    os.makedirs(out_dir, exist_ok=True)
    for key, rows in sorted(groups.items()):
        chart(key, rows, os.path.join(out_dir, key + ".svg"))
        print("wrote", os.path.join(out_dir, key + ".svg"))


if __name__ == "__main__":
    main()
