#!/usr/bin/env bash
# Build an initramfs: static busybox and the init script, plus
#   host:  the test modules, the VMM, and a guest kernel and initramfs in /guest
#   guest: the guest workload script
set -euo pipefail
out=$1 dst=$2 kind=${3:-host}
list=$(mktemp)
trap 'rm -f "$list"' EXIT
cat >"$list" <<LIST
dir /bin 0755 0 0
dir /dev 0755 0 0
dir /proc 0755 0 0
dir /sys 0755 0 0
dir /tmp 0755 0 0
dir /lib 0755 0 0
dir /lib/modules 0755 0 0
nod /dev/console 0600 0 0 c 5 1
file /bin/busybox $out/pkgs/busybox/bin/busybox 0755 0 0
slink /bin/sh busybox 0777 0 0
file /init tests/initramfs/init 0755 0 0
file /bin/guest-test tests/initramfs/guest-test 0755 0 0
file /bin/guest-exit tests/initramfs/guest-exit 0755 0 0
file /bin/guest-bench tests/initramfs/guest-bench 0755 0 0
file /bin/host-bench tests/initramfs/host-bench 0755 0 0
file /bin/run-vm tests/initramfs/run-vm 0755 0 0
file /bin/guest-victim tests/initramfs/guest-victim 0755 0 0
file /bin/guest-attack tests/initramfs/guest-attack 0755 0 0
file /bin/guest-hvc-loop tests/initramfs/guest-hvc-loop 0755 0 0
file /bin/host-profile tests/initramfs/host-profile 0755 0 0
LIST
if [ "$kind" = guest ]; then
	for ko in guest_bench guest_attack; do
		[ -e "$out/modules/$ko.ko" ] && echo "file /lib/modules/$ko.ko $out/modules/$ko.ko 0644 0 0" >>"$list"
	done
fi
if [ "$kind" = host ]; then
	for ko in "$out"/modules/*.ko; do
		[ -e "$ko" ] && echo "file /lib/modules/$(basename "$ko") $ko 0644 0 0" >>"$list"
	done
	cat >>"$list" <<LIST
file /bin/vmm $out/vmm 0755 0 0
file /bin/hostile-vmm $out/hostile-vmm 0755 0 0
dir /guest 0755 0 0
file /guest/Image $out/linux/arch/arm64/boot/Image 0644 0 0
file /guest/initrd.gz $out/guest-initramfs.gz 0644 0 0
LIST
fi
"$out/tools/gen_init_cpio" "$list" | gzip -9 >"$dst.tmp"
mv "$dst.tmp" "$dst"
