#!/usr/bin/env bash
# Build the test initramfs: static busybox, the init script, test modules.
set -euo pipefail
out=$1 dst=$2
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
LIST
for ko in "$out"/modules/*.ko; do
	[ -e "$ko" ] && echo "file /lib/modules/$(basename "$ko") $ko 0644 0 0" >>"$list"
done
"$out/tools/gen_init_cpio" "$list" | gzip -9 >"$dst.tmp"
mv "$dst.tmp" "$dst"
