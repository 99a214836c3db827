#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Linux's KVM selftests (tools/testing/selftests/kvm) as a conformance suite.

Builds a small initramfs holding the chosen tests, boots the baseline (the
same Image at EL2, stock nVHE KVM) and KServ-on-KCore, runs every test with a
time limit, and writes out/selftests/results.md. Exit status 0 is a pass, 4
(KSFT_SKIP) a skip. With --check, fails when a test that is expected to pass
on a stack (tests/selftests/expected.txt) does not.
"""
import argparse
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "integration"))
from qemu import Machine, TestFailure  # noqa: E402

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
HERE = os.path.dirname(os.path.abspath(__file__))
# The fast tests (seconds each under TCG); the slow ones (demand paging, dirty
# logging, page-table stress) take minutes and are left to `make selftests`.
FAST = ["aarch64/psci_test", "aarch64/hypercalls", "aarch64/smccc_filter", "aarch64/vcpu_width_config",
        "aarch64/vgic_init", "aarch64/no-vgic-v3", "aarch64/set_id_regs", "aarch64/debug-exceptions",
        "arch_timer", "aarch64/vpmu_counter_access", "get-reg-list", "aarch64/aarch32_id_regs",
        "kvm_create_max_vcpus", "kvm_binary_stats_test", "guest_print_test",
        "coalesced_io_test", "steal_time"]
SLOW = ["set_memory_region_test", "aarch64/vgic_irq", "aarch64/page_fault_test", "aarch64/arch_timer_edge_cases", "demand_paging_test",
        "dirty_log_test", "kvm_page_table_test", "memslot_modification_stress_test", "rseq_test"]


def initramfs(out, tests):
    stage = os.path.join(out, "selftests-stage")
    lines = ["dir /bin 0755 0 0", "dir /dev 0755 0 0", "dir /proc 0755 0 0", "dir /sys 0755 0 0",
             "dir /tmp 0755 0 0", "dir /kst 0755 0 0", "nod /dev/console 0600 0 0 c 5 1",
             f"file /bin/busybox {out}/pkgs/busybox/bin/busybox 0755 0 0", "slink /bin/sh busybox 0777 0 0",
             f"file /init {TOP}/tests/initramfs/init 0755 0 0"]
    os.makedirs(stage, exist_ok=True)
    for t in tests:
        name = t.replace("/", "_")
        dst = os.path.join(stage, name)
        subprocess.run(["aarch64-linux-gnu-strip", "-o", dst, os.path.join(out, "selftests", t)], check=True)
        lines.append(f"file /kst/{name} {dst} 0755 0 0")
    listing = os.path.join(out, "selftests.list")
    with open(listing, "w") as f:
        f.write("\n".join(lines) + "\n")
    img = os.path.join(out, "selftests-initramfs.gz")
    with open(img, "wb") as f:
        cpio = subprocess.run([os.path.join(out, "tools/gen_init_cpio"), listing], check=True, capture_output=True)
        f.write(subprocess.run(["gzip", "-6"], input=cpio.stdout, check=True, capture_output=True).stdout)
    return img


def run_stack(out, img, baseline, tests, limit):
    args = ["--smp", "2", "--mem", "2G", "--initrd", img] + (["--baseline"] if baseline else [])
    logdir = os.path.join(out, "test-logs")
    os.makedirs(logdir, exist_ok=True)
    m = Machine(TOP, "selftests-" + ("baseline" if baseline else "kcore"), args, logdir)
    res = {}
    try:
        m.expect(r"init: shell ready", 300)
        for t in tests:
            status, log = m.run(f"timeout {limit} /kst/{t.replace('/', '_')} > /tmp/log 2>&1; s=$?; "
                                f"tail -n 3 /tmp/log; (exit $s)", limit + 60)
            res[t] = {0: "pass", 4: "skip", 124: "timeout", 143: "timeout"}.get(status, f"fail ({status})")
            why = " | ".join(line.strip() for line in log.strip().splitlines()[-2:]) if res[t] != "pass" else ""
            print(f"  {'baseline' if baseline else 'kcore':8} {t}: {res[t]}  {why}"[:240], flush=True)
    finally:
        m.close()
    return res


def expected():
    exp = {}
    for line in open(os.path.join(HERE, "expected.txt")):
        line = line.split("#")[0].split()
        if len(line) == 3:
            exp[line[0]] = {"baseline": line[1], "kcore": line[2]}
    return exp


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "out"))
    ap.add_argument("--all", action="store_true", help="the slow tests too")
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--limit", type=int, default=180)
    a = ap.parse_args()
    tests = FAST + (SLOW if a.all else [])
    img = initramfs(a.out, tests)
    base = run_stack(a.out, img, True, tests, a.limit)
    kc = run_stack(a.out, img, False, tests, a.limit)
    os.makedirs(os.path.join(a.out, "selftests"), exist_ok=True)
    with open(os.path.join(a.out, "selftests", "results.md"), "w") as f:
        f.write("| test | baseline | KCore |\n| --- | --- | --- |\n")
        for t in tests:
            f.write(f"| {t} | {base[t]} | {kc[t]} |\n")
    if not a.check:
        return 0
    passed = failed = 0
    for t, exp in expected().items():
        if t not in tests:
            continue
        for stack, got in (("baseline", base[t]), ("kcore", kc[t])):
            if exp[stack] == "pass" and got != "pass":
                print(f"FAIL {t} on {stack}: expected to pass, got {got}")
                failed += 1
            else:
                passed += 1
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
