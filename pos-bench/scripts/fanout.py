#!/usr/bin/env python3
"""The fan-out table and chart of docs/benchmarks.md from load-run outputs (standard library only).

Usage: fanout.py [--floor FLOOR.txt] CHART.svg LOAD_OUTPUT.txt...

Reads each output's summary line (written by io.github.posj.net.load.LoadRun), prints a Markdown
table (validators, rounds, spread p50/p99/max, tick -> result p50/p99, proposals/s) and writes an
SVG chart of the spread's p50 and p99 per number of validators, on a log scale. With --floor, the
output of pos-bench/run-fanout-floor: each size's floor (the best p99 of its event-loop counts) is
drawn as a dashed line across that size's bars.
"""
import math
import re
import sys
from html import escape

SUMMARY = re.compile(
    r"summary over (\d+) rounds x (\d+) validators: (\d+) proposals/s; tick -> result p50 ([\d.]+) ms,"
    r" p99 ([\d.]+) ms, max ([\d.]+) ms; spread p50 ([\d.]+) ms, p99 ([\d.]+) ms, max ([\d.]+) ms"
)


def read(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = SUMMARY.search(line)
            if match:
                g = match.groups()
                return {
                    "rounds": int(g[0]),
                    "validators": int(g[1]),
                    "proposals": int(g[2]),
                    "tick50": float(g[3]),
                    "tick99": float(g[4]),
                    "spread50": float(g[6]),
                    "spread99": float(g[7]),
                    "spreadmax": float(g[8]),
                }
    raise SystemExit(f"{path}: no summary line")


FLOOR = re.compile(r"floor: (\d+) connections, (\d+) event loop\(s\), (\d+) rounds: spread p50 ([\d.]+) ms, p99 ([\d.]+) ms")


def read_floor(path):
    """The best (lowest) spread p99 per number of connections."""
    best = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = FLOOR.search(line)
            if match:
                n, p99 = int(match.group(1)), float(match.group(5))
                best[n] = min(p99, best.get(n, p99))
    return best


def table(rows):
    print("| validators | rounds | spread p50 | spread p99 | spread max | tick -> result p50 | p99 | proposals/s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['validators']:,} | {r['rounds']} | {r['spread50']:.3f} ms | {r['spread99']:.3f} ms"
            f" | {r['spreadmax']:.3f} ms | {r['tick50']:.2f} ms | {r['tick99']:.2f} ms"
            f" | {r['proposals']:,} |"
        )


def chart(rows, path, floor):
    """Grouped bars (p50, p99) per number of validators; log-scale y in ms; floors as dashed lines."""
    width, height, left, bottom, top = 640, 360, 70, 50, 40
    plot_h = height - bottom - top
    values = [v for r in rows for v in (r["spread50"], r["spread99"])]
    values += [floor[r["validators"]] for r in rows if r["validators"] in floor]
    lo = 10 ** math.floor(math.log10(max(min(values), 1e-3)))
    hi = 10 ** math.ceil(math.log10(max(values)))
    if hi <= lo:
        hi = lo * 10

    def y(v):
        v = max(v, lo)
        return top + plot_h * (1 - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    group = (width - left - 20) / len(rows)
    bar = group / 3
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="14">Fan-out spread: first to last validator'
        " to receive a round's result (ms, log scale)</text>",
    ]
    decade = lo
    while decade <= hi * 1.0001:
        parts.append(f'<line x1="{left}" x2="{width - 20}" y1="{y(decade):.1f}" y2="{y(decade):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">{decade:g}</text>')
        decade *= 10
    for i, r in enumerate(rows):
        x0 = left + i * group + bar / 2
        for j, (key, colour) in enumerate((("spread50", "#4a7ab8"), ("spread99", "#e07b39"))):
            v = r[key]
            x = x0 + j * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bar - 2:.1f}" height="{top + plot_h - y(v):.1f}" fill="{colour}"/>'
            )
            parts.append(f'<text x="{x + bar / 2:.1f}" y="{y(v) - 4:.1f}" text-anchor="middle" font-size="10">{v:.3g}</text>')
        if r["validators"] in floor:
            f = floor[r["validators"]]
            parts.append(
                f'<line x1="{x0 - 3:.1f}" x2="{x0 + 2 * bar + 1:.1f}" y1="{y(f):.1f}" y2="{y(f):.1f}"'
                ' stroke="#000" stroke-width="1.5" stroke-dasharray="4,3"/>'
            )
        parts.append(
            f'<text x="{x0 + bar:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{r["validators"]:,} validators</text>'
        )
    parts.append(f'<rect x="{left}" y="{height - 22}" width="10" height="10" fill="#4a7ab8"/>')
    parts.append(f'<text x="{left + 14}" y="{height - 13}">p50</text>')
    parts.append(f'<rect x="{left + 60}" y="{height - 22}" width="10" height="10" fill="#e07b39"/>')
    parts.append(f'<text x="{left + 74}" y="{height - 13}">p99</text>')
    if floor:
        parts.append(
            f'<line x1="{left + 120}" x2="{left + 145}" y1="{height - 17}" y2="{height - 17}" stroke="#000"'
            ' stroke-width="1.5" stroke-dasharray="4,3"/>'
        )
        parts.append(
            f'<text x="{left + 150}" y="{height - 13}">this machine\'s floor, p99 (C, best of 1/2/4 loops)</text>'
        )
    parts.append("</svg>")
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(parts) + "\n")


def main():
    args = sys.argv[1:]
    floor = {}
    if len(args) >= 2 and args[0] == "--floor":
        floor = read_floor(args[1])
        args = args[2:]
    if len(args) < 2:
        raise SystemExit(__doc__)
    rows = sorted((read(p) for p in args[1:]), key=lambda r: r["validators"])
    table(rows)
    chart(rows, args[0], floor)
    print(f"\nchart: {escape(args[0])}")


if __name__ == "__main__":
    main()
