#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Draw out/bench/results.csv as a PNG: KCore's cost relative to stock KVM.

One horizontal bar per benchmark row with both sides measured: the ratio
KCore / baseline of the instruction counts, with the issue's targets drawn
in (1.10x for the microbenchmarks, 1.05x for the whole-system rows).
Runs under Debian's python3 (python3-matplotlib, installed by setup.sh).

usage: chart.py RESULTS.csv OUT.png
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

WHOLE_SYSTEM = ("VM creation", "Guest boot", "Guest app")


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    rows = []
    with open(sys.argv[1], newline="") as f:
        for r in csv.DictReader(f):
            if r["ratio"].endswith("x"):
                rows.append((r["benchmark"], float(r["ratio"].rstrip("x"))))
    if not rows:
        sys.exit("chart: no row has both a baseline and a KCore count")
    rows.reverse()  # first row on top
    names = [n for n, _ in rows]
    ratios = [v for _, v in rows]
    whole = [n.startswith(WHOLE_SYSTEM) for n in names]
    colors = ["#4a7ebb" if w else "#d9822b" for w in whole]
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(rows) + 2.0))
    ax.barh(range(len(rows)), ratios, color=colors)
    for i, v in enumerate(ratios):
        ax.text(v + 0.01, i, f"{v:.2f}x", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)), names, fontsize=8)
    ax.axvline(1.0, color="black", linewidth=0.8)
    ax.axvline(1.10, color="#d9822b", linestyle="--", linewidth=0.8, label="microbenchmark target 1.10x")
    ax.axvline(1.05, color="#4a7ebb", linestyle=":", linewidth=0.8, label="whole-system target 1.05x")
    ax.set_xlim(0, max(ratios + [1.2]) * 1.12)
    ax.set_xlabel("KCore / stock nVHE KVM (instructions, QEMU -icount shift=0)")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize=8, frameon=False)
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=110)


if __name__ == "__main__":
    main()
