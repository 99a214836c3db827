#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""KCore integration tests: boot the stack in QEMU and check it from KServ.

Each test boots its own machine, drives it over the serial console with
timeouts, and on failure prints why together with the end of the console
log (the whole log is kept under out/test-logs/).
"""
import argparse
import os
import re
import sys
import time
import traceback

from qemu import Machine, TestFailure

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
TESTS = []
BOOT_TIMEOUT = 240


def test(fn):
    TESTS.append(fn)
    return fn


def boot_shell(m):
    m.expect(r"init: shell ready", BOOT_TIMEOUT)
    m.check("true")


def require(cond, msg):
    if not cond:
        raise TestFailure(msg)


def check_kserv_boot(m, ncpus):
    out = m.output()
    require("kcore: entering KServ at EL1" in out, "KCore never entered KServ")
    dmesg = m.check("dmesg")
    require("CPU: All CPU(s) started at EL1" in dmesg, "dmesg lacks 'CPU: All CPU(s) started at EL1'")
    require(re.search(r"KServ: running on KCore \d+\.\d+", dmesg), "dmesg lacks the KServ detection line")
    # KServ is a host: split EOI/deactivate kept for forwarding interrupts to guests.
    require("GIC: Using split EOI/Deactivate mode" in dmesg, "KServ's GIC lost split EOI/deactivate")
    # KServ keeps the virtual timer for guests and runs on the physical one.
    require(re.search(r"arch_timer: cp15 timer\(s\) running at .*\(phys\)", dmesg), "KServ does not use the physical timer")
    require(re.search(r"GICv3 +30 Level +arch_timer", m.check("cat /proc/interrupts")), "arch_timer is not on PPI 30")
    n = int(m.check("grep -c ^processor /proc/cpuinfo").strip().splitlines()[-1])
    require(n == ncpus, f"{n} CPUs online, expected {ncpus}")


@test
def boot_1cpu(ctx):
    m = ctx.machine(["--smp", "1", "--mem", "1G"])
    boot_shell(m)
    check_kserv_boot(m, 1)


@test
def boot_4cpu(ctx):
    m = ctx.machine(["--smp", "4"])
    boot_shell(m)
    check_kserv_boot(m, 4)
    require("kcore: denied" not in m.output(), "KCore denied KServ something during a normal boot")


@test
def uboot_route(ctx):
    m = ctx.machine(["--smp", "2", "--uboot"])
    boot_shell(m)
    require("U-Boot" in m.output(), "U-Boot did not run")
    check_kserv_boot(m, 2)


@test
def baseline_nvhe(ctx):
    m = ctx.machine(["--smp", "2", "--baseline"])
    boot_shell(m)
    dmesg = m.check("dmesg")
    require("CPU: All CPU(s) started at EL2" in dmesg, "baseline did not start at EL2")
    require("Hyp nVHE mode initialized successfully" in dmesg, "baseline KVM did not initialise nVHE")
    require("GIC: Using split EOI/Deactivate mode" in dmesg, "the baseline's GIC lost split EOI/deactivate")
    require("KServ:" not in dmesg and "kcore:" not in m.output(), "the KServ patches were not inert")


def kcore_log_value(m, pattern):
    mt = re.search(pattern, m.output())
    require(mt, f"KCore's boot log lacks /{pattern}/")
    return int(mt.group(1), 16)


def probe_machine(ctx, args=("--smp", "2")):
    """A booted KServ with the kcore_probe module loaded and dmesg cleared."""
    m = ctx.machine(list(args))
    boot_shell(m)
    m.check("insmod /lib/modules/kcore_probe.ko && dmesg -c > /dev/null")
    return m


def probe(m, cmd):
    # In a child shell: an abort in the kernel kills the writing process.
    m.run(f"sh -c 'echo {cmd} > /proc/kcore_probe'")
    return m.check("dmesg -c")


@test
def hostile_module_reads_kcore(ctx):
    m = probe_machine(ctx)
    root = kcore_log_value(m, r"host stage-2 root at 0x([0-9a-f]+)")
    out = probe(m, "meminfo")
    mt = re.search(r"call 0xc6000001 -> x0=0x0 x1=0x([0-9a-f]+) x2=0x([0-9a-f]+)", out)
    require(mt, f"KCORE_HC_MEM_INFO did not answer:\n{out}")
    base, size = int(mt.group(1), 16), int(mt.group(2), 16)
    require(base <= root < base + size, "the stage-2 root is outside the carve-out")
    # The probe works: KServ's own memory (its kernel text) reads fine.
    out = probe(m, "read 40400000")
    require("read PA 0x40400000 value=" in out, f"the probe cannot read KServ's own memory:\n{out}")
    targets = [("read", base), ("read", base + size - 8), ("read", root), ("write", base), ("write", root + 8)]
    for op, pa in targets:
        before = len(re.findall(r"kcore: denied", m.output()))
        arg = f"{pa:x} 5a5a5a5a5a5a5a5a" if op == "write" else f"{pa:x}"
        out = probe(m, f"{op} {arg}")
        ctx.log(f"{op} PA {pa:#x}: " + ("aborted" if "synchronous external abort" in out else "NOT aborted"))
        require(f"{'writing' if op == 'write' else 'reading'} PA {pa:#x}" in out, f"the probe did not try {pa:#x}")
        require("synchronous external abort" in out, f"KServ's {op} of {pa:#x} did not abort:\n{out}")
        require(f"value=" not in out, f"KServ's {op} of KCore's {pa:#x} completed:\n{out}")
        denials = re.findall(r"kcore: denied KServ (\w+) at PA (0x[0-9a-f]+) \(owner KCore\)", m.output())
        require(len(denials) == before + 1, f"KCore logged {len(denials) - before} denials, expected 1")
        require(int(denials[-1][1], 16) == pa, f"KCore's denial names {denials[-1][1]}, not {pa:#x}")
    # Garbage hypercalls are refused with NOT_SUPPORTED, and KCore keeps answering.
    count = int(probe_ok(m, "hvc", r"call 0xc6000000 -> x0=0x0 x1=0x1 x2=0x([0-9a-f]+)").group(1), 16)
    for fid in (f"c6{count:06x}", "c600ffff", "86000000", "0", "ffffffff", "c4000003"):
        out = probe(m, f"call {fid}")
        require(re.search(r"-> x0=0xffffffffffffffff ", out), f"hypercall {fid} was not refused:\n{out}")
    out = probe(m, "hvc")
    require(re.search(r"call 0xc6000000 -> x0=0x0 x1=0x1 ", out), f"KCore stopped answering:\n{out}")
    # KServ carries on: a fresh process works, and all CPUs are still online.
    require(m.check("grep -c ^processor /proc/cpuinfo").strip().endswith("2"), "a CPU went missing")


def owned(m, cls):
    out = probe(m, f"owned {cls}")
    mt = re.search(rf"owned class={cls} -> x0=0 frames=(\d+)", out)
    require(mt, f"KCORE_HC_FRAMES_OWNED did not answer:\n{out}")
    return int(mt.group(1))


def probe_ok(m, cmd, pattern):
    out = probe(m, cmd)
    mt = re.search(pattern, out)
    require(mt, f"`{cmd}`: no /{pattern}/ in:\n{out}")
    return mt


def denied(m, ctx, op, pa, owner):
    before = len(re.findall(r"kcore: denied", m.output()))
    out = probe(m, f"{op} {pa:x}" + (" 1234" if op == "write" else ""))
    ctx.log(f"{op} PA {pa:#x} ({owner}'s): " + ("aborted" if "synchronous external abort" in out else "NOT aborted"))
    require("synchronous external abort" in out and "value=" not in out, f"KServ's {op} of {pa:#x} completed:\n{out}")
    found = re.findall(rf"kcore: denied KServ \w+ at PA {pa:#x} \(owner {owner}\)", m.output())
    require(len(re.findall(r"kcore: denied", m.output())) == before + 1 and found, "KCore did not log the denial")


@test
def vm_memory_protection(ctx):
    """KServ gives pages to a VM and can no longer touch them; they come back zeroed."""
    m = probe_machine(ctx)
    carve = int(probe_ok(m, "meminfo", r"x1=0x([0-9a-f]+)").group(1), 16)
    kserv0, guest0 = owned(m, 0), owned(m, 2)
    mt = probe_ok(m, "vmcreate 8", r"vmcreate pa=0x([0-9a-f]+) pages=8 -> x0=0 handle=(\d+)")
    meta, h = int(mt.group(1), 16), int(mt.group(2))
    require(owned(m, 0) == kserv0 - 8, "the donated pages are still counted as KServ's")
    denied(m, ctx, "read", meta, "KCore")
    page = int(probe_ok(m, f"vmmap {h} 1000", r"vmmap handle=\d+ pa=0x([0-9a-f]+) ipa=0x1000 -> x0=0").group(1), 16)
    require(owned(m, 2) == guest0 + 1, "the guest page is not counted as the VM's")
    denied(m, ctx, "read", page, "a VM")
    denied(m, ctx, "write", page, "a VM")
    # KCore refuses to map what KServ does not own, or an IPA already used.
    for pa, ipa, err in ((carve, 0x2000, -13), (meta, 0x2000, -13), (page, 0x2000, -13), (0x9000000, 0x2000, -13)):
        probe_ok(m, f"vmmapat {h} {pa:x} {ipa:x}", rf"-> x0={err}\b")
    probe_ok(m, f"vmmap {h} 1000", r"-> x0=-17\b")
    probe_ok(m, f"vmmapat {h + 1} {page:x} 3000", r"-> x0=-2\b")
    # Reclaim while the VM lives: the page comes back zero, readable again.
    probe_ok(m, f"vmunmap {h} 1000", rf"vmunmap handle=\d+ ipa=0x1000 -> x0=0 pa={page:#x}")
    require(f"returned page {page:#x} is zero" in m.output(), "the reclaimed page was not zeroed")
    # KServ can read it again (the module freed it to Linux, so any value).
    probe_ok(m, f"read {page:x}", rf"read PA {page:#x} value=")
    for i in range(4):
        probe_ok(m, f"vmmap {h} {0x10000 + i * 0x1000:x}", r"-> x0=0\b")
    probe_ok(m, f"vmdestroy {h}", r"vmdestroy handle=\d+ returned pages: 0 not zero")
    probe_ok(m, f"read {meta:x}", rf"read PA {meta:#x} value=")
    require(owned(m, 0) == kserv0 and owned(m, 2) == guest0, "KCore's accounting did not return to where it was")
    # 50 create/map/destroy cycles leave the accounting where it started.
    m.check("i=0; while [ $i -lt 50 ]; do echo vmcreate 4 > /proc/kcore_probe; echo vmmap 0 5000 > /proc/kcore_probe; "
            "echo vmmap 0 6000 > /proc/kcore_probe; echo vmdestroy 0 > /proc/kcore_probe; i=$((i+1)); done", 300)
    out = m.check("dmesg -c")
    require(out.count("returned pages: 0 not zero") == 50, f"not every cycle returned clean pages:\n{out[-2000:]}")
    require(owned(m, 0) == kserv0 and owned(m, 2) == guest0, "50 VM cycles leaked frames")
    require("kcore: PANIC" not in m.output(), "KCore panicked")


@test
def vm_runs_bare_metal_guest(ctx):
    """KCore's world switch runs a small guest; KServ answers its exits."""
    m = probe_machine(ctx)
    kserv0 = owned(m, 0)
    h = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    out = probe(m, f"vmrun {h}")
    exits = [e for e in re.findall(r"exit (\d+): x0=(-?\d+) reason=(\d+) x2=(\w+) x3=(\w+) x4=(\w+) x5=(\w+) x6=(\w+) x7=(\w+)",
                                  out) if e[2] != "4"]  # skip interrupts for KServ
    want = [  # reason, x2, x3, x4: HVC, MMIO write, MMIO read, HVC, WFI, HVC
        ("1", "0x1234", "0x0", "0x0"), ("2", "0x10000000", "0x13", "0x5679"), ("2", "0x10000008", "0x3", "0x0"),
        ("1", "0xabcd", "0x5679", "0x10000000"), ("5", "0x0", "0x0", "0x0"), ("1", "0x42", "0x0", "0x0")]
    got = [(e[2], e[3], e[4], e[5]) for e in exits]
    require(all(e[1] == "0" for e in exits), f"a run failed:\n{out}")
    require(got == want, f"unexpected exits {got}, wanted {want}:\n{out}")
    require(all(e[7] == "0x0" and e[8] == "0x0" for e in exits), "an exit exposed x6/x7")
    require(m.check("echo alive").strip().endswith("alive"), "KServ did not survive running a guest")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")
    require(owned(m, 0) == kserv0, "running and destroying the VM leaked frames")


@test
def vm_guest_takes_virtual_interrupt(ctx):
    """KServ injects INTID 42 through the list registers; the guest acks and ends it."""
    m = probe_machine(ctx)
    h = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    out = probe(m, f"vmirq {h}")
    # A physical interrupt for KServ may land anywhere (reason 4): skip those.
    exits = [e for e in re.findall(r"exit \d+: x0=(-?\d+) reason=(\d+) x2=(\w+) .* lr0=(\w+)", out) if e[1] != "4"]
    want = [("0", "1", "0x100", "0x0"),                  # ready: no interrupt yet
            ("0", "1", "0x2a", "0x90a000000000002a"),     # acknowledged 42: active
            ("0", "1", "0x200", "0x10a000000000002a")]    # ended: inactive
    require(exits == want, f"unexpected exits {exits}, wanted {want}:\n{out}")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")


@test
def vm_guest_sysreg_exits(ctx):
    """Trapped system registers exit to KServ, which answers a value or UNDEF."""
    m = probe_machine(ctx)
    vtr = int(probe_ok(m, "call c600000c", r"call 0xc600000c -> x0=0x0 x1=0x([0-9a-f]+)").group(1), 16)
    # GICv3: at least 5 priority bits and at most 16 list registers.
    require(((vtr >> 29) & 7) + 1 >= 5 and (vtr & 0x1f) < 16, f"KCORE_HC_GIC_INFO: implausible ICH_VTR_EL2 {vtr:#x}")
    h = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    out = probe(m, f"vmsys {h}")
    exits = [e for e in re.findall(r"exit \d+: x0=(-?\d+) reason=(\d+) x2=(\w+) x3=(\w+) x4=(\w+)", out) if e[1] != "4"]
    want = [("0", "7", "0x30e418", "0x1", "0x0"),  # MRS PMCR_EL0: answered 0x41
            ("0", "1", "0x41", "0x41", "0x0"),      # the guest got 0x41
            ("0", "7", "0x280000", "0x1", "0x0"),   # MRS DBGBVR0_EL1: answered UNDEF
            ("0", "3", "0x0", "0x0", "0x0")]        # the guest jumped to its (unmapped) vector
    require(exits == want, f"unexpected exits {exits}, wanted {want}:\n{out}")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")


def guest_in_two_vms(ctx, cmd):
    """The probe's guest @cmd run in two fresh VMs in turn (the second must not
    see the first one's state): the two outputs and the machine."""
    m = probe_machine(ctx)
    outs = []
    for _ in range(2):
        h = int(probe_ok(m, "vmcreate 16", r"-> x0=0 handle=(\d+)").group(1))
        outs.append(probe(m, f"{cmd} {h}"))
    return m, outs


@test
def vm_pointer_auth_keys(ctx):
    """Each vCPU has its own pointer authentication keys; KServ keeps its own."""
    m, outs = guest_in_two_vms(ctx, "vmpac")
    for out in outs:
        hvcs = re.findall(r"reason=1 x2=(\w+)", out)
        require(hvcs == ["0x0", "0x1234"], f"the guest saw keys {hvcs}, wanted 0x0 then 0x1234:\n{out}")
        require("KServ key after the guest=0xfeed" in out, f"KServ's key was not restored:\n{out}")
    require("kcore: KServ abort" not in m.output() and "reason=6" not in m.output(), "a key access trapped")


@test
def vm_fpsimd_registers(ctx):
    """Each vCPU has its own FP/SIMD registers (switched lazily); KServ keeps its own."""
    m, outs = guest_in_two_vms(ctx, "vmfp")
    for out in outs:
        hvcs = re.findall(r"reason=1 x2=(\w+)", out)
        require(hvcs == ["0x0", "0x77", "0xcafef00d", "0x99"],
                f"the guest saw d0 {hvcs}, wanted 0x0, (0x77), 0xcafef00d, (0x99):\n{out}")
        kserv = re.findall(r"KServ d0 after exit \d+ = (\w+)", out)
        # One line per exit: four HVCs, and any interrupt exit the host's timer adds.
        require(len(kserv) >= 4 and set(kserv) == {"0xfeed"}, f"KServ's d0 changed under it: {kserv}:\n{out}")
    require("kcore: KServ abort" not in m.output(), "KServ aborted")


@test
def attack_exit_tampering(ctx):
    """KServ answers exits that never happened, replays answers, injects bad list registers."""
    m = probe_machine(ctx)
    h = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    out = probe(m, f"vmtamper {h}")
    for what in ("answer-before-exit", "bad-lr-bits", "bad-lr-intid", "unknown-flag", "replay"):
        require(re.search(rf"tamper {what} -> -22\b", out), f"KCore accepted the {what} tampering:\n{out}")
    exits = re.findall(r"tamper exit reason=(\d+) x2=(\w+) x4=(\w+)", out)
    want = [("1", "0x1234", "0x0"), ("2", "0x10000000", "0x5679"), ("2", "0x10000008", "0x0"),
            ("1", "0xabcd", "0x10000000"), ("5", "0x0", "0x0")]
    require(exits == want, f"the guest did not run as answered: {exits}, wanted {want}:\n{out}")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")


@test
def attack_hypercall_storm(ctx):
    """Malformed hypercalls on every CPU while two guests run a checked memory workload."""
    m = probe_machine(ctx, ("--smp", "4"))
    a = int(probe_ok(m, "vmcreate 16", r"-> x0=0 handle=(\d+)").group(1))
    b = int(probe_ok(m, "vmcreate 16", r"-> x0=0 handle=(\d+)").group(1))
    mt = probe_ok(m, f"storm {a} {b} 200", r"storm rounds=200 good=(\d+) bad=(\d+) malformed-calls=(\d+)")
    good, bad, calls = (int(x) for x in mt.groups())
    ctx.log(f"{good} good workload rounds, {bad} bad, {calls} malformed calls")
    require(good == 400 and bad == 0, "a guest's workload went wrong under the storm")
    require(calls > 1000, "the storm did not happen")
    probe_ok(m, "hvc", r"call 0xc6000000 -> x0=0x0 x1=0x1 ")
    probe_ok(m, f"vmdestroy {a}", r"returned pages: 0 not zero")
    probe_ok(m, f"vmdestroy {b}", r"returned pages: 0 not zero")
    require("kcore: PANIC" not in m.output(), "KCore panicked")


def guest_load(m, h):
    """The probe's guest loads IPA 0x2000 of VM @h; True if it read the 0xa5 page."""
    out = probe(m, f"vmload {h}")
    return re.search(r"exit \d+: x0=0 reason=1 x2=0xa5a5a5a5a5a5a5a5 ", out) is not None, out


def require_load_faults(ctx, m, h, what):
    """The load of IPA 0x2000 in VM @h exits to KServ as an MMIO read and returns none of the old data."""
    got, out = guest_load(m, h)
    first = re.search(r"exit \d+: x0=0 reason=[^4][^\n]*", out)
    ctx.log(f"{what}: " + (first.group(0) if first else "no exit"))
    require(first and re.match(r"exit \d+: x0=0 reason=2 x2=0x2000 x3=0x3 ", first.group(0)),
            f"the load did not exit as an MMIO read:\n{out}")
    require(not got and "a5a5a5a5" not in out, f"{what}: the old data was read:\n{out}")


@test
def attack_vmid_reuse(ctx):
    """A new VM with a destroyed VM's handle and VMID sees none of its memory."""
    m = probe_machine(ctx)
    h = int(probe_ok(m, "vmcreate 16", r"-> x0=0 handle=(\d+)").group(1))
    probe_ok(m, f"vmmap {h} 2000", r"-> x0=0\b")
    got, out = guest_load(m, h)
    require(got, f"the guest did not read its page:\n{out}")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")
    h2 = int(probe_ok(m, "vmcreate 16", r"-> x0=0 handle=(\d+)").group(1))
    require(h2 == h, "the new VM did not reuse the handle (and VMID)")
    require_load_faults(ctx, m, h2, "the new VM's first exit")
    probe_ok(m, f"vmdestroy {h2}", r"returned pages: 0 not zero")


@test
def attack_reclaim_from_running_guest(ctx):
    """KServ takes back a page the guest is using: KServ reads zeros, the guest then exits, never sees data."""
    m = probe_machine(ctx)
    h = int(probe_ok(m, "vmcreate 16", r"-> x0=0 handle=(\d+)").group(1))
    page = int(probe_ok(m, f"vmmap {h} 2000", r"pa=0x([0-9a-f]+) ipa=0x2000 -> x0=0").group(1), 16)
    got, out = guest_load(m, h)
    require(got, f"the guest did not read its page:\n{out}")
    # The probe checks all of the returned page reads as zeros through the linear map.
    probe_ok(m, f"vmunmap {h} 2000", rf"returned page {page:#x} is zero")
    require_load_faults(ctx, m, h, "the guest's load after the reclaim")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")


@test
def attack_map_race(ctx):
    """Every CPU maps the same page at once, into two VMs: exactly one wins, every time."""
    m = probe_machine(ctx, ("--smp", "4"))
    a = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    b = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    kserv0 = owned(m, 0)
    probe_ok(m, f"race {a} {b} 100", r"race rounds=100 exactly-one-winner=100 returned-dirty=0")
    require(owned(m, 0) == kserv0, "the race leaked frames")
    probe_ok(m, f"vmdestroy {a}", r"returned pages: 0 not zero")
    probe_ok(m, f"vmdestroy {b}", r"returned pages: 0 not zero")


@test
def attack_uncached_read_after_reclaim(ctx):
    """After reclaim, a non-cacheable view of the frame shows zeros only."""
    m = probe_machine(ctx)
    h = int(probe_ok(m, "vmcreate 8", r"-> x0=0 handle=(\d+)").group(1))
    page = int(probe_ok(m, f"vmmap {h} 3000", r"pa=0x([0-9a-f]+) ipa=0x3000 -> x0=0").group(1), 16)
    probe_ok(m, f"vmunmap {h} 3000", rf"pa={page:#x}")
    for off in (0, 0x800, 0xff8):
        probe_ok(m, f"readnc {page + off:x}", rf"read PA {page + off:#x} uncached value=0x0\b")
    probe_ok(m, f"vmdestroy {h}", r"returned pages: 0 not zero")


GUEST_CMD = ("vmm --kernel /guest/Image --initrd /guest/initrd.gz --smp 2 --mem 256 "
             "--append 'console=ttyAMA0 panic=-1 init.run=/bin/guest-test'")


@test
def guest_boots_on_baseline(ctx):
    """The VMM boots a 2-vCPU Linux guest on stock KVM; it checks 64 MiB and powers off."""
    m = ctx.machine(["--smp", "4", "--baseline"])
    boot_shell(m)
    status, out = m.run(GUEST_CMD, 600)
    require("guest: up with 2 CPU(s)" in out, f"the guest did not come up with 2 CPUs:\n{out[-3000:]}")
    require("guest: 64 MiB checksum ok" in out, f"the guest's workload failed:\n{out[-3000:]}")
    require(status == 0, f"the VMM exited with {status}, not the guest's status 0")
    # Two VMs at once, each with its own console log.
    m.check(f"({GUEST_CMD} < /dev/null > /tmp/a.log 2>&1; echo $? > /tmp/a.st) & "
            f"({GUEST_CMD} < /dev/null > /tmp/b.log 2>&1; echo $? > /tmp/b.st) & wait", 900)
    for vm in "ab":
        out = m.check(f"cat /tmp/{vm}.log; cat /tmp/{vm}.st")
        require("guest: 64 MiB checksum ok" in out and out.strip().endswith("0"), f"VM {vm} failed:\n{out[-2000:]}")


def kcore_accounts(m):
    """KCore's view of memory: frames of KServ, KCore and guests, and its free pool."""
    out = probe(m, "meminfo")
    mt = re.search(r"call 0xc6000001 -> x0=0x0 x1=0x[0-9a-f]+ x2=0x[0-9a-f]+ x3=0x([0-9a-f]+)", out)
    require(mt, f"KCORE_HC_MEM_INFO did not answer:\n{out}")
    return {"kserv": owned(m, 0), "kcore": owned(m, 1), "guest": owned(m, 2), "pool": int(mt.group(1), 16)}


def check_guest_run(status, out, ncpus=2):
    require(f"guest: up with {ncpus} CPU(s)" in out, f"the guest did not come up with {ncpus} CPUs:\n{out[-3000:]}")
    require("guest: 64 MiB checksum ok" in out, f"the guest's workload failed:\n{out[-3000:]}")
    require(status == 0, f"the VMM exited with {status}, not the guest's status 0:\n{out[-3000:]}")


@test
def guest_boots_on_kcore(ctx):
    """KVM on KServ: a 2-vCPU Linux guest boots, checks 64 MiB, powers off; then two VMs at once."""
    m = probe_machine(ctx, ("--smp", "4"))
    dmesg = m.check("dmesg")
    require("kvm [1]: KServ mode: VMs run on KCore" in m.output() or "KServ mode" in dmesg,
            "KVM did not initialise on KCore")
    before = kcore_accounts(m)
    status, out = m.run(GUEST_CMD, 600)
    check_guest_run(status, out)
    after = kcore_accounts(m)
    ctx.log(f"KCore accounts before {before}, after {after}")
    require(after["guest"] == 0, f"{after['guest']} frames still belong to a guest after the VMM exited")
    # Two VMs at once, each with its own console log.
    m.check(f"({GUEST_CMD} < /dev/null > /tmp/a.log 2>&1; echo $? > /tmp/a.st) & "
            f"({GUEST_CMD} < /dev/null > /tmp/b.log 2>&1; echo $? > /tmp/b.st) & wait", 900)
    for vm in "ab":
        out = m.check(f"cat /tmp/{vm}.log; cat /tmp/{vm}.st")
        require("guest: 64 MiB checksum ok" in out and out.strip().endswith("0"), f"VM {vm} failed:\n{out[-2000:]}")
    require(kcore_accounts(m)["guest"] == 0, "guest frames left over after two VMs")


@test
def run_vm_interactive(ctx):
    """`make run-vm`: the guest's shell on the console takes typed commands; poweroff returns to KServ."""
    m = ctx.machine(["--smp", "4", "--append", "init.run=/bin/run-vm"])
    m.expect(r"run-vm: a 2-vCPU guest on KCore", BOOT_TIMEOUT)
    m.expect(r"init: [^\n]* up, 2 CPU\(s\)", BOOT_TIMEOUT)  # the guest's init
    m.expect(r"init: shell ready", 120)
    m.expect(r"Enter 'help' for a list of built-in commands", 60)
    m.expect(r"/ # ", 60)  # the guest's shell reads its terminal now (before, its tty echoes too)
    # Each keystroke is a UART receive interrupt (a level SPI the guest ends): typed lines
    # reach the guest's shell, and only the guest echoes them.
    for i in range(3):
        m.send(f"echo typed-$((6*{7 + i}))-in-guest; grep -c ^processor /proc/cpuinfo")
        got = m.expect(rf"\ntyped-{6 * (7 + i)}-in-guest\r?\n(\d+)", 120)
        require(got.group(1) == "2", f"the guest reports {got.group(1)} CPUs")
    echoes = len(re.findall(r"echo typed-\$\(\(6\*7\)\)-in-guest", m.output()))
    require(echoes == 1, f"the typed line was echoed {echoes} times (the host terminal must be raw)")
    m.send("poweroff -f")
    m.expect(r"run-vm: the VMM exited with 0", 120)
    m.expect(r"init: shell ready", 60)
    # The VMM gave KServ's terminal back as it found it.
    out = m.check("stty -a")
    require(re.search(r"(^|\s)icanon\b", out) and re.search(r"(^|\s)echo\b", out), f"KServ's tty stayed raw:\n{out}")
    m.check("insmod /lib/modules/kcore_probe.ko && dmesg -c > /dev/null")
    require(kcore_accounts(m)["guest"] == 0, "guest frames left over after run-vm")


HOSTILE_CMD = GUEST_CMD.replace("vmm ", "hostile-vmm ", 1)


def hostile_vmm_run(m):
    status, out = m.run(HOSTILE_CMD, 600)
    attempts = re.findall(r"^attack: (.+): (blocked|LEAKED) \((.*)\)$", out, re.M)
    require(len(attempts) >= 23, f"the hostile VMM did not get to its attacks:\n{out[-3000:]}")
    require("guest: 64 MiB checksum ok" in out, f"the guest's workload failed:\n{out[-3000:]}")
    return status, out, attempts


@test
def attack_vmm_takes_guest_state(ctx):
    """A hostile VMM reads/writes guest RAM and registers after the guest ran, then deletes the
    memslot and reads its pages: all refused, the pages come back zeroed."""
    m = ctx.machine(["--smp", "2"])
    boot_shell(m)
    status, out, attempts = hostile_vmm_run(m)
    for what, verdict, how in attempts:
        ctx.log(f"{what}: {verdict} ({how})")
    leaked = [a for a in attempts if a[1] != "blocked"]
    require(not leaked, f"the hostile VMM got guest state: {leaked}")
    require(status == 0, f"the hostile VMM exited with {status}:\n{out[-2000:]}")
    denials = re.findall(r"kcore: denied KServ (access|write) at PA 0x[0-9a-f]+ \(owner a VM\) from EL0", m.output())
    require(len(denials) >= 4, f"KCore logged {len(denials)} denials of guest RAM, expected 4")
    require(m.check("echo alive").strip().endswith("alive"), "KServ's shell died")


@test
def attack_vmm_baseline_leaks(ctx):
    """The same hostile VMM on stock KVM gets everything: the attack test can fail."""
    m = ctx.machine(["--smp", "2", "--baseline"])
    boot_shell(m)
    status, out, attempts = hostile_vmm_run(m)
    # (The vGIC CPU-interface read needs every vCPU stopped; its refusal there is no protection.)
    core = [a for a in attempts if "guest RAM" in a[0] or "ONE_REG" in a[0]]
    require(len(core) >= 22 and all(a[1] == "LEAKED" for a in core), f"stock KVM refused an attack: {core}")
    require(status == 1, f"the hostile VMM exited with {status} although it leaked")


# The victim guest writes secrets at these guest-physical addresses (the last MiB
# of its RAM, left out of the kernel's with mem=255M) and checks them after the attacks.
VICTIM_SECRETS = {0x4ff00000: 0x5345435245543031, 0x4ff00ff8: 0x5345435245543032,
                  0x4ff80000: 0x5345435245543033, 0x4ff80800: 0x5345435245543034}
VICTIM_CMD = ("vmm --kernel /guest/Image --initrd /guest/initrd.gz --smp 2 --mem 256 "
              "--append 'console=ttyAMA0 panic=-1 mem=255M init.run=/bin/guest-victim'")
GUEST_RAM_IPA = 0x40000000


def start_victim(m):
    """Start the victim VM in the background (console input from a FIFO); return the VMM's pid and RAM base."""
    m.check("mkfifo /tmp/vin && { sleep 100000 > /tmp/vin & }")
    m.check(f"{{ {{ {VICTIM_CMD} < /tmp/vin > /tmp/victim.log 2>&1; echo $? > /tmp/victim.st; }} & }}")
    end = time.time() + 300
    while "secrets written" not in m.check("cat /tmp/victim.log"):
        require(time.time() < end, f"the victim never wrote its secrets:\n{m.check('cat /tmp/victim.log')[-2000:]}")
        time.sleep(2)
    pid = int(m.check("pidof vmm").split()[-1])
    maps = m.check(f"cat /proc/{pid}/maps")
    ram = [int(a, 16) for a, b in re.findall(r"^([0-9a-f]+)-([0-9a-f]+) rw-p", maps, re.M)
           if int(b, 16) - int(a, 16) == 256 << 20]
    require(len(ram) == 1, f"cannot find the guest's RAM mapping in:\n{maps}")
    return pid, ram[0]


def victim_frame(m, pid, hva):
    """The physical address behind @hva of the VMM, from /proc/PID/pagemap."""
    out = m.check(f"dd if=/proc/{pid}/pagemap bs=8 skip={hva >> 12} count=1 2>/dev/null | od -A n -t x8").split()
    entry = int(out[-1], 16)
    require(entry >> 63, f"the page at {hva:#x} is not present in the VMM: {entry:#x}")
    return (entry & ((1 << 55) - 1)) << 12 | (hva & 0xfff)


def attack_victim(ctx, m):
    """Attacks 1-3 of the suite on the victim's secrets; returns what each attempt saw."""
    pid, base = start_victim(m)
    seen = []
    for ipa, secret in VICTIM_SECRETS.items():
        hva = base + ipa - GUEST_RAM_IPA
        pa = victim_frame(m, pid, hva)
        ctx.log(f"secret at IPA {ipa:#x}: VMM address {hva:#x}, PA {pa:#x}")
        out = probe(m, f"read {pa:x}")  # 1. KServ's linear map
        seen.append(("linear-map read", ipa, pa, f"value={secret:#x}" in out, out))
        st, out = m.run(f"dd if=/proc/{pid}/mem bs=8 skip={hva // 8} count=1 2>/tmp/dd.err | od -A n -t x8; "
                        "cat /tmp/dd.err")  # 3. /proc/PID/mem
        seen.append(("/proc/PID/mem read", ipa, pa, f"{secret:016x}" in out, out))
    for ipa in VICTIM_SECRETS:
        hva = base + ipa - GUEST_RAM_IPA
        pa = victim_frame(m, pid, hva)
        out = probe(m, f"write {pa:x} 5a5a5a5a5a5a5a5a")  # 2. write through the linear map
        seen.append(("linear-map write", ipa, pa, f"wrote PA {pa:#x} value=" in out, out))
        st, out = m.run(f"echo -n ZZZZZZZZ | dd of=/proc/{pid}/mem bs=8 seek={hva // 8} count=1 conv=notrunc")
        seen.append(("/proc/PID/mem write", ipa, pa, st == 0, out))
    for what, ipa, pa, got, out in seen:
        ctx.log(f"{what} of the secret at IPA {ipa:#x} (PA {pa:#x}): {'LEAKED/CHANGED' if got else 'refused'}")
    m.check("echo go > /tmp/vin")
    end = time.time() + 300
    while m.run("test -s /tmp/victim.st")[0] != 0:
        require(time.time() < end, f"the victim did not finish:\n{m.check('cat /tmp/victim.log')[-2000:]}")
        time.sleep(2)
    return seen, int(m.check("cat /tmp/victim.st").split()[-1]), m.check("cat /tmp/victim.log")


@test
def attack_guest_memory_from_kserv(ctx):
    """A Linux guest's secrets: KServ reads and writes their frames (pagemap -> linear map, /proc/PID/mem)."""
    m = probe_machine(ctx)
    seen, status, log = attack_victim(ctx, m)
    got = [(w, hex(ipa)) for w, ipa, pa, g, out in seen if g]
    require(not got, f"KServ got at the guest's secrets: {got}")
    for what, ipa, pa, g, out in seen:
        if what.startswith("/proc"):  # refused by the kernel (patch 0010), not an oops
            require("Input/output error" in out, f"{what} at IPA {ipa:#x} did not fail with EIO:\n{out}")
        if what.startswith("linear-map"):
            require("synchronous external abort" in out, f"{what} of {pa:#x} did not abort:\n{out}")
            require(re.search(rf"kcore: denied KServ \w+ at PA {pa & ~0xfff:#x} \(owner a VM\)", m.output())
                    or re.search(rf"kcore: denied KServ \w+ at PA {pa:#x} \(owner a VM\)", m.output()),
                    f"KCore did not log the denial of {pa:#x}")
    require("victim: secrets intact" in log and status == 0, f"the victim's secrets changed ({status}):\n{log[-2000:]}")
    require(m.check("echo alive").strip().endswith("alive"), "KServ's shell died")


@test
def attack_guest_memory_baseline_leaks(ctx):
    """The same attacks on stock KVM read every secret and change them: the test can fail."""
    m = probe_machine(ctx, ("--smp", "2", "--baseline"))
    seen, status, log = attack_victim(ctx, m)
    missed = [(w, hex(ipa)) for w, ipa, pa, g, out in seen if not g]
    require(not missed, f"stock KVM refused attacks: {missed}")
    require("CHANGED" in log and status == 3, f"the victim did not notice its secrets changed ({status}):\n{log[-2000:]}")


@test
def attack_guest_probes_and_hypercalls(ctx):
    """Attacks 12-13: a guest reads IPAs it has no memory at, and issues 20000 garbage HVCs/SMCs."""
    m = probe_machine(ctx)
    carve = int(probe_ok(m, "meminfo", r"x1=0x([0-9a-f]+)").group(1), 16)
    # KCore's carve-out and a frame in the middle of host RAM (as IPAs), just past the
    # guest's RAM, and the top of its 40-bit IPA space.
    ipas = [carve, carve + 0x1000, 0x80000000, 0x50000000, 0xfffffff000]
    cmd = GUEST_CMD.replace("init.run=/bin/guest-test",
                            "init.run=/bin/guest-attack attack_ipas=" + ",".join(hex(i) for i in ipas))
    status, out = m.run(cmd, 900)
    for ipa in ipas:
        ctx.log(f"guest read of IPA {ipa:#x}: " + ("MMIO exit to the VMM, 0" if f"unhandled MMIO read at {ipa:#x}" in out
                                                   else "?"))
        require(re.search(rf"guest_attack: ipa {ipa:#x} value=0x0\b", out), f"the guest's read of {ipa:#x}:\n{out[-3000:]}")
        require(f"vmm: unhandled MMIO read at {ipa:#x}" in out, f"the read of {ipa:#x} did not exit to the VMM")
    mt = re.search(r"guest_attack: hvcstorm n=20000 kcore-ids=(\d+) kcore-ids-answered=(\d+)", out)
    require(mt, f"the hypercall storm did not finish:\n{out[-3000:]}")
    ctx.log(f"20000 garbage calls, {mt.group(1)} with KCore's function IDs, {mt.group(2)} of those answered")
    require(int(mt.group(1)) > 1000 and mt.group(2) == "0", "a guest reached KCore's KServ calls")
    check_guest_run(status, out)
    probe_ok(m, "hvc", r"call 0xc6000000 -> x0=0x0 x1=0x1 ")
    require("kcore: PANIC" not in m.output(), "KCore panicked")
    require(kcore_accounts(m)["guest"] == 0, "guest frames left over")


CYCLE_CMD = ("vmm --kernel /guest/Image --initrd /guest/initrd.gz --smp 1 --mem 96 "
             "--append 'console=ttyAMA0 panic=-1 quiet init.run=/bin/guest-exit' > /dev/null")
CYCLES = 50


@test
def vm_cycles_on_kcore(ctx):
    """50 create/run/destroy cycles through KVM; KCore's accounts come back every time."""
    m = probe_machine(ctx, ("--smp", "2"))
    # The first VM may make KCore grow its own pool (KServ stage-2 splits): not a leak.
    status, out = m.run(CYCLE_CMD, 300)
    require(status == 0, f"the first VM failed ({status}):\n{out[-2000:]}")
    start = kcore_accounts(m)
    ctx.log(f"after the first VM: {start}")
    status, out = m.run(f"i=0; while [ $i -lt {CYCLES} ]; do {CYCLE_CMD} || break; i=$((i+1)); done; echo cycles=$i",
                        1800)
    require(f"cycles={CYCLES}" in out, f"a VM failed before {CYCLES} cycles:\n{out[-2000:]}")
    end = kcore_accounts(m)
    ctx.log(f"after {CYCLES} more: {end}")
    frames = ("kserv", "kcore", "guest")
    require(all(end[k] == start[k] for k in frames),
            f"frame ownership moved over {CYCLES} VM lifetimes: {start} -> {end}")
    # KCore's pool only feeds splits of KServ's stage-2 blocks (pages going to VMs are
    # mapped page by page there); that is bounded, it must not drain per VM.
    require(start["pool"] - end["pool"] < CYCLES, f"KCore's pool drains per VM: {start} -> {end}")


@test
def user_devmem_reads_kcore(ctx):
    """A KServ process maps KCore's memory through /dev/mem: SIGBUS, no data."""
    m = ctx.machine(["--smp", "2"])
    boot_shell(m)
    base = kcore_log_value(m, r"carve-out \[0x([0-9a-f]+),")
    root = kcore_log_value(m, r"host stage-2 root at 0x([0-9a-f]+)")
    for cmd, what in ((f"devmem {base:#x} 64", "access"), (f"devmem {root:#x} 64", "access"),
                      (f"devmem {base + 0x1000:#x} 32 0x12345678", "write")):
        before = len(re.findall(r"kcore: denied", m.output()))
        status, out = m.run(cmd)
        ctx.log(f"{cmd}: exit {status}")
        require(status == 128 + 7, f"`{cmd}` was not killed by SIGBUS (exit {status}):\n{out}")
        require(not re.search(r"^0x[0-9A-Fa-f]+$", out, re.M), f"`{cmd}` printed a value:\n{out}")
        denials = re.findall(r"kcore: denied KServ (\w+) at PA 0x[0-9a-f]+ \(owner KCore\) from EL0", m.output())
        require(len(denials) == before + 1 and denials[-1] == what, "KCore did not log the EL0 denial")
    require(m.check("echo alive").strip().endswith("alive"), "KServ's shell died")


@test
def deterministic_boot(ctx):
    """Under -icount shift=0,sleep=off two boots print the same console log."""
    logs = []
    for i in range(2):
        m = ctx.machine(["--smp", "1", "--mem", "1G", "--icount"])
        m.expect(r"init: shell ready", BOOT_TIMEOUT)
        logs.append(m.output()[:m.output().index("init: shell ready")])
        m.close()
    require("kcore: entering KServ at EL1" in logs[0], "KCore did not boot under icount")
    if logs[0] != logs[1]:
        a, b = logs[0].splitlines(), logs[1].splitlines()
        diff = next((f"line {i}: {x!r} != {y!r}" for i, (x, y) in enumerate(zip(a, b)) if x != y), "lengths")
        raise TestFailure(f"two deterministic boots differ at {diff}")


@test
def refuses_without_el2(ctx):
    m = ctx.machine(["--smp", "1", "--mem", "512M", "--machine", "virt,gic-version=3"])
    m.expect(r"kcore: refusing to boot: entered below EL2", 60)
    m.expect(r"kcore: powering off", 10)
    m.wait_exit(30)


@test
def refuses_gicv2(ctx):
    m = ctx.machine(["--smp", "1", "--mem", "512M", "--machine", "virt,virtualization=on,gic-version=2"])
    m.expect(r"kcore: refusing to boot: no GICv3", 60)
    m.wait_exit(30)


class Context:
    def __init__(self, name, logdir):
        self.name = name
        self.logdir = logdir
        self.machines = []

    def machine(self, args):
        m = Machine(TOP, f"{self.name}-{len(self.machines)}", args, self.logdir)
        self.machines.append(m)
        return m

    def log(self, msg):
        print(f"    {self.name}: {msg}", flush=True)

    def close(self):
        for m in self.machines:
            m.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(TOP, "out"))
    ap.add_argument("filter", nargs="*", help="run only tests whose name contains one of these")
    args = ap.parse_args()
    logdir = os.path.join(os.path.abspath(args.out), "test-logs")
    os.makedirs(logdir, exist_ok=True)
    passed = failed = 0
    for fn in TESTS:
        name = fn.__name__
        if args.filter and not any(f in name for f in args.filter):
            continue
        ctx = Context(name, logdir)
        t0 = time.time()
        try:
            fn(ctx)
            passed += 1
            print(f"ok   {name} ({time.time() - t0:.0f}s)", flush=True)
        except Exception as e:  # noqa: BLE001 - any error fails the test
            failed += 1
            print(f"FAIL {name} ({time.time() - t0:.0f}s): {e}", flush=True)
            if not isinstance(e, TestFailure):
                traceback.print_exc()
            for m in ctx.machines:
                tail = m.output().splitlines()[-60:]
                print(f"---- console of {m.name} (last {len(tail)} lines; full log {m.log_path})")
                print("\n".join(tail))
                print("----")
        finally:
            ctx.close()
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
