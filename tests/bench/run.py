#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""make bench: instruction counts, KServ-on-KCore side by side with the baseline.

Both stacks boot the same kernel Image under QEMU's deterministic mode
(-icount shift=0,sleep=off, one CPU). KServ's init runs tests/initramfs/
host-bench before any console input, so the whole run is deterministic:
kcore_bench.ko times KServ's hypercalls with the PMU's INST_RETIRED (EL1 and
EL2), then a 1-vCPU guest for the start-up rows and a 2-vCPU guest run
tests/initramfs/guest-bench, timed with the
virtual counter (1 ns = 1 instruction). Results go to out/bench/results.md,
results.csv and results.png (chart.py). --check runs everything twice and
fails unless the counts are identical.
"""
import argparse
import csv
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from qemu import Machine, TestFailure  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))

# name, function ID on the baseline (None: not applicable), on KCore
ROWS = [
    ("KServ hypercall round trip (an ID nobody implements)", "c600ffff", "c600ffff"),
    ("KServ hypercall round trip (KCORE_HC_VERSION)", None, "c6000000"),
]
# Measured inside the guests by tests/initramfs/guest-bench (guest_bench.ko) and
# by the VMM (the first instruction):
# name, the pattern of its result line (instructions = virtual ns under icount).
GUEST_ROWS = [
    ("Guest hypercall (HVC answered by the host kernel's KVM)", r"guest_bench: hvc n=\d+ .* per-op=(\d+)"),
    ("Guest I/O kernel (MMIO read of a vGIC distributor register)",
     r"guest_bench: mmio-8000004 n=\d+ .* per-op=(\d+)"),
    ("Guest I/O user (MMIO read of the VMM's UART)", r"guest_bench: mmio-9000018 n=\d+ .* per-op=(\d+)"),
    ("Stage-2 fault on a page's first touch", r"guest_bench: fault n=\d+ .* per-op=(\d+)"),
    ("Virtual IPI to another vCPU, until its handler ran", r"guest_bench: ipi n=\d+ .* per-op=(\d+)"),
    ("Virtual EOI (the guest's ICC_EOIR1_EL1 write alone)", r"guest_bench: eoi n=\d+ .*per-op=(\d+\.\d+)"),
    # Repeated REPS times, each at another phase of the timer ticks
    # (tests/initramfs/host-bench, guest-bench): the table gives the median.
    ("VM creation to the guest's first instruction (1 vCPU)", r"vmm: first-instruction-ns (\d+)", "repeated"),
    ("Guest boot: VM creation to the guest's init (1 vCPU)", r"bench: boot-to-init-ns (\d+)"),
    ("Guest app: 200 x (fork+exec, pipe)", r"bench: app-fork-exec-pipe-ns rep=\d+ (\d+)", "repeated"),
    ("Guest app: write 32 MiB, md5sum it", r"bench: app-memory-32MiB-ns rep=\d+ (\d+)", "repeated"),
]
REPEATED_ROWS = [r[0] for r in GUEST_ROWS if r[2:] == ("repeated",)]
REPS = 5
# Rows whose counts both stay below this many instructions are at the
# resolution of the guest's counter (62.5 MHz: 16 instructions a tick, see
# docs/performance.md); anything that leaves the guest costs over a thousand.
RESOLUTION = 10


def measure(baseline, logdir, guest=True):
    """One boot that runs everything from init (tests/initramfs/host-bench): no console input."""
    fids = ",".join((r[1] if baseline else r[2]) for r in ROWS if (r[1] if baseline else r[2]))
    args = ["--smp", "1", "--mem", "1G", "--icount", "--append", f"init.run=/bin/host-bench bench.fids={fids}" + ("" if guest else " bench.guest=0")]
    m = Machine(TOP, "bench-" + ("baseline" if baseline else "kcore"), args + (["--baseline"] if baseline else []),
                logdir)
    try:
        done = m.expect(r"host-bench: guest exited with (\d+)", 1800)
        if done.group(1) != "0":
            raise TestFailure(f"the benchmark guest failed ({done.group(1)}):\n{m.output()[-3000:]}")
        text = m.output()
        out = {}
        for name, fid_base, fid_kcore in ROWS:
            fid = fid_base if baseline else fid_kcore
            if fid is None:
                continue
            mt = re.search(rf"kcore_bench: hvc 0x{fid} n=\d+ .* per-call=(\d+)", text)
            if not mt:
                raise TestFailure(f"no result for {name}")
            out[name] = int(mt.group(1))
        for name, pattern, *repeated in GUEST_ROWS if guest else []:
            if repeated:
                reps = [int(v) for v in re.findall(pattern, text)]
                if len(reps) != REPS:
                    raise TestFailure(f"{len(reps)} repetitions of {name}, not {REPS}:\n{text[-3000:]}")
                out[name] = sorted(reps)[REPS // 2]
                out[name + " (repetitions)"] = reps
                continue
            mt = re.search(pattern, text)
            if not mt:
                raise TestFailure(f"no result for {name}:\n{text[-3000:]}")
            out[name] = float(mt.group(1)) if "." in mt.group(1) else int(mt.group(1))
        return out
    finally:
        m.close()


def run(outdir, guest=True):
    logdir = os.path.join(outdir, "logs")
    os.makedirs(logdir, exist_ok=True)
    return measure(True, logdir, guest), measure(False, logdir, guest)


def fmt(v):
    """A count as the table shows it: "-" if not measured, hundredths for the sub-instruction rows."""
    if v is None:
        return "-"
    return f"{v:.2f}" if isinstance(v, float) else v


def write(outdir, base, kc):
    rows = []
    for name in [r[0] for r in ROWS] + [r[0] for r in GUEST_ROWS]:
        b, k = base.get(name), kc.get(name)
        if b is not None and k is not None and max(b, k) < RESOLUTION:
            ratio = "no exit"  # both within the counter's resolution: a ratio would be noise
        else:
            ratio = f"{k / b:.2f}x" if b and k else "-"
        rows.append((name, fmt(b), fmt(k), ratio))
    with open(os.path.join(outdir, "results.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["benchmark", "baseline (instructions)", "kcore (instructions)", "ratio"])
        w.writerows(rows)
    with open(os.path.join(outdir, "results.md"), "w") as f:
        f.write("| benchmark | baseline | KCore | ratio |\n| --- | ---: | ---: | ---: |\n")
        for r in rows:
            f.write(f"| {r[0]} | {r[1]} | {r[2]} | {r[3]} |\n")
        if all(name + " (repetitions)" in base for name in REPEATED_ROWS):
            f.write(f"\nThe first-instruction and application rows are the medians of {REPS} repetitions, each "
                    "started 0.8 ms later in the timer tick than the one before:\n\n"
                    "| repetitions | baseline | KCore | spread (max/min) |\n| --- | --- | --- | ---: |\n")
            for name in REPEATED_ROWS:
                b, k = base[name + " (repetitions)"], kc[name + " (repetitions)"]
                spread = max(max(b) / min(b), max(k) / min(k))
                f.write(f"| {name} | {' '.join(map(str, b))} | {' '.join(map(str, k))} | {spread:.3f} |\n")
    print(open(os.path.join(outdir, "results.md")).read())
    # Debian's python3 has python3-matplotlib (setup.sh); the one on PATH may not.
    chart = os.path.join(outdir, "results.png")
    subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "chart.py"),
                    os.path.join(outdir, "results.csv"), chart], check=True)
    print(f"bench: chart in {chart}")


PROFILE_N = 20000


def profile(outdir):
    """Where a guest hypercall round trip's instructions go, per exception level, on both stacks."""
    logdir = os.path.join(outdir, "logs")
    os.makedirs(logdir, exist_ok=True)
    per = {}
    for baseline in (True, False):
        name = "baseline" if baseline else "kcore"
        args = ["--smp", "1", "--mem", "1G", "--icount", "--append", "init.run=/bin/host-profile"]
        m = Machine(TOP, "profile-" + name, args + (["--baseline"] if baseline else []), logdir)
        try:
            m.expect(r"host-profile: done", 1800)
            runs = re.findall(r"host-profile: n=(\d+) status=(\d+) el2=(\d+) el1=(\d+) el0=(\d+)", m.output())
            if len(runs) != 2 or any(r[1] != "0" for r in runs):
                raise TestFailure(f"the profile guests failed: {runs}\n{m.output()[-3000:]}")
            (n0, _, *c0), (n1, _, *c1) = runs
            n = int(n1) - int(n0)
            assert n == PROFILE_N
            per[name] = [(int(b) - int(a)) / n for a, b in zip(c0, c1)]
        finally:
            m.close()
    with open(os.path.join(outdir, "profile.md"), "w") as f:
        f.write("| instructions per guest HVC round trip | baseline | KCore |\n| --- | ---: | ---: |\n")
        for i, lvl in enumerate(("EL2 (nVHE KVM's hyp / KCore)", "EL1 (host kernel and guest kernel)",
                                 "EL0 (user space)")):
            f.write(f"| {lvl} | {per['baseline'][i]:.1f} | {per['kcore'][i]:.1f} |\n")
        f.write(f"| all | {sum(per['baseline']):.1f} | {sum(per['kcore']):.1f} |\n")
    print(open(os.path.join(outdir, "profile.md")).read())
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "out", "bench"))
    ap.add_argument("--check", action="store_true", help="run twice; fail unless the counts are identical")
    ap.add_argument("--kserv-only", action="store_true",
                    help="only KServ's rows, without the benchmark guest (a quick check)")
    ap.add_argument("--profile", action="store_true",
                    help="split a guest hypercall round trip by exception level (out/bench/profile.md)")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    if a.profile:
        return profile(a.out)
    first = run(a.out, not a.kserv_only)
    write(a.out, *first)
    if a.check:
        second = run(a.out, not a.kserv_only)
        same = first == second
        print(f"bench: two runs {'gave identical counts' if same else 'DIFFER'}: {first} / {second}")
        print(f"{1 if same else 0} passed, {0 if same else 1} failed")
        return 0 if same else 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
