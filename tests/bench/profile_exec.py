#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Instruction profile of the guest hypercall round trip, by function.

Boots a stack (KCore, or --baseline) with QEMU's translation-block chaining
off, runs tests/initramfs/host-profile, and switches QEMU's execution log on
(through its monitor) while the second guest runs its loop of 20001 HVCs.
Each executed block (a basic block, give or take) is charged to the function
that holds its first instruction (KServ's System.map; kcore.elf for KCore).
Blocks per round trip per function, not instructions: the exact instruction
totals per exception level come from make bench-profile. A development tool
behind docs/performance.md, not a test: the window opens and closes when
the guest reports on its console, so its ends are a little ragged.

usage: profile_exec.py [--baseline] [--top N] [--op hvc|fault] [-n N]
"""
import argparse
import bisect
import collections
import os
import re
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from qemu import Machine  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(TOP, "out")


def symbols():
    syms = []
    with open(os.path.join(OUT, "linux", "System.map")) as f:
        for line in f:
            a, t, name = line.split()[:3]
            if t.lower() in "tw":
                syms.append((int(a, 16), name))
    nm = subprocess.run(["aarch64-linux-gnu-nm", os.path.join(OUT, "kcore.elf")], capture_output=True, text=True)
    for line in nm.stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[1].lower() == "t":
            syms.append((int(parts[0], 16), "kcore:" + parts[2]))
    syms.sort()
    return [a for a, _ in syms], [n for _, n in syms]


def monitor(path, cmd):
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    s.sendall((cmd + "\n").encode())
    time.sleep(0.2)
    s.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", action="store_true")
    ap.add_argument("--top", type=int, default=40)
    ap.add_argument("--op", choices=("hvc", "fault"), default="hvc",
                    help="the guest loop: HVC round trips, or first touches of pages (stage-2 faults)")
    ap.add_argument("-n", type=int, default=20000, help="operations in the profiled loop")
    a = ap.parse_args()
    logdir = os.path.join(OUT, "bench", "logs")
    os.makedirs(logdir, exist_ok=True)
    side = "baseline" if a.baseline else "kcore"
    mon = f"/tmp/kcore-profile-mon-{side}.sock"
    qlog = os.path.join(OUT, "bench", f"profile-exec-{side}.log")
    args = ["--smp", "1", "--mem", "1G", "--icount", "--append",
            f"init.run=/bin/host-profile profile_op={a.op} profile_n={a.n + 1} profile_sleep=1"]
    args += ["--baseline"] if a.baseline else []
    args += ["--", "-monitor", f"unix:{mon},server,nowait", "-d", "nochain", "-D", qlog]
    m = Machine(TOP, "profile-exec", args, logdir)
    try:
        m.expect(rf"guest: {a.op} loop n={a.n + 1}", 1800)
        monitor(mon, "log nochain,exec")
        m.expect(rf"guest: {a.op} loop done", 1800)
        monitor(mon, "log nochain")
        m.expect(r"host-profile: done", 600)
    finally:
        m.close()
    addrs, names = symbols()
    runs = collections.Counter()
    with open(qlog, errors="replace") as f:
        for line in f:
            mt = re.match(r"Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/", line)
            if mt:
                runs[int(mt.group(1), 16)] += 1
    per = collections.Counter()
    for pc, n in runs.items():
        i = bisect.bisect_right(addrs, pc) - 1
        per[names[i] if i >= 0 else "?"] += n
    total = sum(per.values())
    print(f"{total} blocks in the window ({'baseline' if a.baseline else 'KCore'}), per {a.op}:")
    for name, n in per.most_common(a.top):
        print(f"{n * 100 / total:6.2f}%  {n / a.n:8.1f}  {name}")
    os.unlink(qlog)
    return 0


if __name__ == "__main__":
    sys.exit(main())
