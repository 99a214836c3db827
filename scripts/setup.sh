#!/usr/bin/env bash
# Install the Debian packages the build and the tests need. Idempotent: when
# everything is present it only checks and returns (well under a second).
set -euo pipefail

PKGS=(
	make gcc libc6-dev git ccache xz-utils bc flex bison libssl-dev libelf-dev cpio kmod rsync quilt python3
	python3-matplotlib
	gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-arm u-boot-qemu u-boot-tools device-tree-compiler
	clang lld llvm libclang-rt-14-dev clang-format gdb-multiarch
	frama-c-base why3 z3 cvc4
	linux-source-6.12
)

missing=()
for p in "${PKGS[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo

if [ ${#missing[@]} -gt 0 ]; then
	echo "setup: installing: ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# A static arm64 busybox for the KServ and guest initramfs. Debian ships it as
# busybox-static:arm64; we only unpack the .deb, nothing is installed for arm64.
BB=out/pkgs/busybox/bin/busybox
if [ ! -x "$BB" ]; then
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
		$SUDO apt-get update -qq
	fi
	mkdir -p out/pkgs
	(cd out/pkgs && rm -f busybox-static_*_arm64.deb && apt-get download -qq busybox-static:arm64 ||
		{ $SUDO apt-get update -qq && apt-get download -qq busybox-static:arm64; })
	rm -rf out/pkgs/busybox
	dpkg -x out/pkgs/busybox-static_*_arm64.deb out/pkgs/busybox
	test -x "$BB"
fi
