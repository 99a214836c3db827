#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the fuzzer's seed corpus: call sequences in fuzz_hcall.c's encoding.

A call is an op byte (an index into kcore_fns[] below 0xe0), 13 arguments
(x1..x13, each a mode byte and its payload) and, for KCore calls, what the
guest does if a vCPU runs (kind byte, ESR, FAR, HPFAR as 8-byte values).
"""
import os
import struct
import sys

FN = dict(VERSION=0, MEM_INFO=1, FRAMES_OWNED=2, HOST_DONATE=3, VM_CREATE=4, VM_DONATE=5, VM_DESTROY=6,
          VM_MAP=7, VM_UNMAP=8, VCPU_CREATE=9, VCPU_INIT=10, VCPU_RUN=11, GIC_INFO=12, VM_SET_TIMER=13)


def raw(v): return bytes([0]) + struct.pack(">Q", v)
def page(i): return bytes([1]) + struct.pack(">H", i)
def small(v): return bytes([2, v])
def ipa(pfn): return bytes([3]) + struct.pack(">H", pfn)
def kcore(i): return bytes([4, i])
def bits(b): return bytes([5, b - 30])


def call(fn, *args, exit=(0, 0, 0, 0)):
    args = list(args) + [small(0)] * (13 - len(args))
    kind, esr, far, hpfar = exit
    return bytes([FN[fn]]) + b"".join(args) + bytes([kind]) + struct.pack(">QQQ", esr, far, hpfar)


HVC = (0, 0x16 << 26 | 1 << 25, 0, 0)
MMIO_W = (0, 0x24 << 26 | 1 << 25 | 1 << 24 | 3 << 22 | 5 << 16 | 1 << 6 | 7, 0x10, 0x100000 << 4)
SYSREG = (0, 0x18 << 26 | 1 << 25 | 0x30e418 | 3 << 5 | 1, 0, 0)

SEEDS = {
    "vm-lifecycle": [call("VM_CREATE", page(16), small(8), bits(40)),
                     call("VM_MAP", small(0), page(100), ipa(1)),
                     call("VM_UNMAP", small(0), ipa(1)),
                     call("VM_DESTROY", small(0))],
    "vcpu-run": [call("VM_CREATE", page(16), small(8), bits(40)),
                 call("VM_MAP", small(0), page(100), ipa(0x8000)),
                 call("VCPU_CREATE", small(0), small(0)),
                 call("VCPU_INIT", small(0), small(0), ipa(0x8000), raw(0x1234)),
                 call("VCPU_RUN", small(0), small(0), small(0), exit=HVC),
                 call("VCPU_RUN", small(0), small(0), small(1), small(7), exit=MMIO_W),
                 call("VCPU_RUN", small(0), small(0), small(1), exit=SYSREG),
                 call("VCPU_RUN", small(0), small(0), small(4), exit=(1, 0, 0, 0)),
                 call("VM_DESTROY", small(0))],
    "two-vms": [call("VM_CREATE", page(16), small(8), bits(36)),
                call("VM_CREATE", page(32), small(8), bits(48)),
                call("VM_MAP", small(0), page(200), ipa(5)),
                call("VM_MAP", small(1), page(200), ipa(5)),
                call("VM_MAP", small(1), page(17), ipa(6)),
                call("VM_DONATE", small(1), page(300), small(4)),
                call("HOST_DONATE", page(400), small(2)),
                call("VM_DESTROY", small(1)),
                call("VM_MAP", small(0), page(300), ipa(7)),
                call("VM_DESTROY", small(0))],
    "kcore-memory": [call("VM_CREATE", kcore(0), small(8), bits(40)),
                     call("HOST_DONATE", kcore(5), small(1)),
                     call("VM_CREATE", page(2040), small(15), bits(40))],
}


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, calls in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(b"".join(calls))


if __name__ == "__main__":
    main()
