#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Finish out/sekvm.bin: set the arm64 Image header's image_size field.

KCore's header is linked with image_size = 0 because the linker cannot read
the embedded KServ Image. The loader must keep free the whole span KServ
will use: KCore's part, the KServ Image and the bss beyond its file
(KServ's own header states its image_size). So image_size = offset of the
KServ Image + KServ's image_size.
"""
import struct
import sys

IMAGE_SIZE_OFF = 16
MAGIC_OFF = 56
MAGIC = b"ARM\x64"
ALIGN = 2 << 20


def main():
    path = sys.argv[1]
    with open(path, "r+b") as f:
        data = f.read()
        if data[MAGIC_OFF:MAGIC_OFF + 4] != MAGIC:
            sys.exit(f"mkimage: {path} does not start with an arm64 Image header")
        # The KServ Image starts at the first 2 MiB boundary after KCore.
        kserv_off = ALIGN
        if data[kserv_off + MAGIC_OFF:kserv_off + MAGIC_OFF + 4] != MAGIC:
            sys.exit(f"mkimage: no KServ Image header at offset {kserv_off:#x} of {path}")
        (kserv_size,) = struct.unpack_from("<Q", data, kserv_off + IMAGE_SIZE_OFF)
        if kserv_size < len(data) - kserv_off:
            sys.exit("mkimage: the KServ Image states an image_size smaller than its file")
        f.seek(IMAGE_SIZE_OFF)
        f.write(struct.pack("<Q", kserv_off + kserv_size))


if __name__ == "__main__":
    main()
