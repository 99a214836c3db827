#!/usr/bin/env bash
# Boot out/sekvm.bin (KCore + KServ) on QEMU's virt machine with EL2, or the
# same kernel Image without KCore (--baseline: stock nVHE KVM at EL2).
set -euo pipefail

usage() {
	cat <<USAGE
usage: $0 [options] [-- extra qemu arguments]
  --smp N          CPUs (default 4)
  --mem SIZE       memory, e.g. 2G (default 2G)
  --initrd FILE    initramfs (default out/initramfs.gz)
  --append ARGS    extra kernel command-line arguments
  --uboot          boot through U-Boot (booti), as real boards do
  --baseline       boot the KServ kernel Image alone at EL2 (stock nVHE KVM)
  --icount         deterministic mode: -icount shift=0,sleep=off
  --image FILE     the image to boot (default out/sekvm.bin)
  --gdb            wait for gdb on tcp::1234 (-s -S)
  --machine OPTS   override -M (default virt,virtualization=on,gic-version=3)
USAGE
}

top=$(cd "$(dirname "$0")/.." && pwd)
out=${OUT:-$top/out}
smp=4 mem=2G initrd=$out/initramfs.gz append="" uboot=0 baseline=0 icount=0 image="" gdb=0
machine=virt,virtualization=on,gic-version=3
while [ $# -gt 0 ]; do
	case "$1" in
	--smp) smp=$2; shift ;;
	--mem) mem=$2; shift ;;
	--initrd) initrd=$2; shift ;;
	--append) append="$append $2"; shift ;;
	--uboot) uboot=1 ;;
	--baseline) baseline=1 ;;
	--icount) icount=1 ;;
	--image) image=$2; shift ;;
	--gdb) gdb=1 ;;
	--machine) machine=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	--) shift; break ;;
	*) usage >&2; exit 2 ;;
	esac
	shift
done

if [ -z "$image" ]; then
	if [ $baseline = 1 ]; then image=$out/linux/arch/arm64/boot/Image; else image=$out/sekvm.bin; fi
fi
cmdline="console=ttyAMA0 panic=-1${append}"
[ $baseline = 1 ] && cmdline="$cmdline kvm-arm.mode=nvhe"

args=(-M "$machine" -cpu "${CPU:-max}" -smp "$smp" -m "$mem"
	-nographic -nic none -no-reboot -kernel "$image" -append "$cmdline")
[ -n "$initrd" ] && args+=(-initrd "$initrd")
if [ $icount = 1 ]; then
	# Deterministic: count instructions for time, keep QEMU from putting
	# fresh random seeds into the DTB, and make the CPU's RNDR/RNDRRS (which
	# Linux uses for its entropy pool, hence ASLR and hash seeds) a seeded
	# pseudo-random sequence; the RTC starts at a fixed date.
	args+=(-icount shift=0,sleep=off -seed 1 -rtc base=2026-01-01T00:00:00,clock=vm)
	args[1]="${args[1]},dtb-randomness=off"
fi
[ $gdb = 1 ] && args+=(-s -S)
if [ $uboot = 1 ]; then
	# U-Boot loads -kernel and -initrd from QEMU's fw_cfg ("qfw load") and
	# boots them with booti, as on a board. A flash environment replaces
	# U-Boot's whole default one: it drops the boot delay and must name the
	# load addresses itself.
	env=$(mktemp /tmp/sekvm-uboot-env.XXXXXX)
	trap 'rm -f "$env" "$env.txt"' EXIT
	cat >"$env.txt" <<'ENV'
bootdelay=-2
kernel_addr_r=0x40400000
ramdisk_addr_r=0x48000000
bootcmd=qfw load ${kernel_addr_r} ${ramdisk_addr_r} && booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}
ENV
	mkenvimage -s 0x40000 -o "$env" "$env.txt"
	truncate -s 64M "$env"
	args+=(-bios /usr/lib/u-boot/qemu_arm64/u-boot.bin -drive "if=pflash,unit=1,format=raw,file=$env")
fi
qemu-system-aarch64 "${args[@]}" "$@"
