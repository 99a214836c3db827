# SPDX-License-Identifier: GPL-2.0
# SeKVM-style split hypervisor: KCore (EL2) + KServ (Linux 6.12 at EL1).
# Everything is built under out/. See README.md.

SHELL := /bin/bash
O := out
CROSS ?= aarch64-linux-gnu-
JOBS ?= $(shell nproc)
LINUX_SRC_TAR := /usr/src/linux-source-6.12.tar.xz
KSRC := $(O)/linux-src
KOUT := $(O)/linux
KIMAGE := $(KOUT)/arch/arm64/boot/Image
PATCHDIR := kserv-patches/6.12
PATCHES := $(addprefix $(PATCHDIR)/,$(shell grep -v '^\#' $(PATCHDIR)/series 2>/dev/null))
KCONFIG_FRAGMENT := $(PATCHDIR)/kserv.config

# ccache keeps its cache outside the repository; paths are made relative so
# that clones in different folders share hits.
export CCACHE_BASEDIR := $(CURDIR)
export CCACHE_NOHASHDIR := true
export CCACHE_COMPILERCHECK := content
KMAKE = $(MAKE) -C $(KSRC) O=$(CURDIR)/$(KOUT) ARCH=arm64 CROSS_COMPILE=$(CROSS) \
	CC="ccache $(CROSS)gcc" KBUILD_BUILD_TIMESTAMP="2026-01-01" KBUILD_BUILD_USER=sekvm \
	KBUILD_BUILD_HOST=sekvm -j$(JOBS)

.PHONY: FORCE all setup kernel format-check fuzz fuzz-smoke bench bench-check bench-profile selftests selftests-check kcore initramfs modules run run-vm test unit-test model-check prove integration-test clean distclean help
all: $(O)/sekvm.bin $(O)/kcore.bin $(O)/vmm initramfs

help:
	@echo "make            build out/sekvm.bin (KCore + KServ), out/kcore.bin and the test initramfs"
	@echo "make run        set up, build and boot the stack in QEMU (4 CPUs, KServ shell)"
	@echo "make test       set up, build and run every test"
	@echo "make unit-test  host unit tests of KCore's portable core (ASan + UBSan)"
	@echo "make model-check  KCore's update sequences against the multiprocessor memory model"
	@echo "make prove      machine-checked proofs of KCore's memory-protection core (Frama-C/WP)"

setup:
	@bash scripts/setup.sh

# ---------------------------------------------------------------- KServ kernel
$(O)/.linux-src.stamp: $(LINUX_SRC_TAR) $(PATCHDIR)/series $(PATCHES)
	rm -rf $(KSRC) $(O)/linux-source-6.12
	mkdir -p $(O)
	tar -C $(O) -xf $(LINUX_SRC_TAR)
	mv $(O)/linux-source-6.12 $(KSRC)
	set -e; for p in $(PATCHES); do echo "  PATCH   $$p"; patch -d $(KSRC) -p1 -s --no-backup-if-mismatch < $$p; done
	touch $@

# KCore's ABI header, shared with the patches (copied, not re-extracting the tree).
$(KSRC)/include/kcore/abi.h: include/kcore/abi.h $(O)/.linux-src.stamp
	mkdir -p $(dir $@) && cp $< $@

$(KOUT)/.config: $(O)/.linux-src.stamp $(KCONFIG_FRAGMENT) scripts/kconfig-check.sh
	mkdir -p $(KOUT)
	$(KMAKE) -s tinyconfig
	cd $(KSRC) && ./scripts/kconfig/merge_config.sh -m -O $(CURDIR)/$(KOUT) $(CURDIR)/$(KOUT)/.config \
		$(CURDIR)/$(KCONFIG_FRAGMENT) >/dev/null
	$(KMAKE) -s olddefconfig
	bash scripts/kconfig-check.sh $(KCONFIG_FRAGMENT) $@

# Kbuild decides what to rebuild; make re-reads the Image's time afterwards
# because this rule has a recipe.
$(KIMAGE): $(KOUT)/.config $(KSRC)/include/kcore/abi.h FORCE
	$(KMAKE) Image modules
	$(KMAKE) -s modules_prepare

kernel: $(KIMAGE)
FORCE:

# ---------------------------------------------------------------- KCore
KCORE_CC := $(CROSS)gcc
KCORE_CFLAGS := -std=gnu11 -O2 -g -ffreestanding -fno-pie -fno-pic -mgeneral-regs-only \
	-mno-outline-atomics -fno-stack-protector -fno-tree-loop-distribute-patterns \
	-fno-omit-frame-pointer -nostdlib -Iinclude \
	-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter -Werror
KCORE_ASFLAGS := -D__ASSEMBLER__ -Iinclude
KCORE_SRCS := $(wildcard kcore/*.c) $(wildcard arch/arm64/*.c)
KCORE_ASMS := arch/arm64/head.S arch/arm64/vectors.S arch/arm64/guest.S
KCORE_OBJS := $(patsubst %.c,$(O)/kcore-obj/%.o,$(KCORE_SRCS)) $(patsubst %.S,$(O)/kcore-obj/%.o,$(KCORE_ASMS))
KCORE_HDRS := $(wildcard kcore/*.h arch/arm64/*.h include/kcore/*.h)

$(O)/kcore-obj/%.o: %.c $(KCORE_HDRS) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(KCORE_CC) $(KCORE_CFLAGS) -c $< -o $@

$(O)/kcore-obj/%.o: %.S $(KCORE_HDRS) Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(KCORE_CC) $(KCORE_ASFLAGS) -c $< -o $@

$(O)/kcore-obj/kserv_image.o: arch/arm64/kserv_image.S $(KIMAGE)
	@mkdir -p $(dir $@)
	$(KCORE_CC) -DKSERV_IMAGE='"$(KIMAGE)"' -c $< -o $@

$(O)/kcore.elf: $(KCORE_OBJS) $(O)/kcore-obj/kserv_image.o arch/arm64/kcore.lds
	$(KCORE_CC) -nostdlib -static -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -T arch/arm64/kcore.lds \
		-o $@ $(KCORE_OBJS) $(O)/kcore-obj/kserv_image.o

$(O)/kcore.bin: $(O)/kcore.elf
	$(CROSS)objcopy -O binary -R .kserv $< $@

$(O)/sekvm.bin: $(O)/kcore.elf scripts/mkimage.py
	$(CROSS)objcopy -O binary $< $@.tmp
	python3 scripts/mkimage.py $@.tmp
	mv $@.tmp $@

kcore: $(O)/sekvm.bin $(O)/kcore.bin

# ---------------------------------------------------------------- initramfs and modules
MODULE_DIRS := tests/modules
$(O)/modules.stamp: $(KIMAGE) $(wildcard tests/modules/*.c tests/modules/Kbuild) include/kcore/abi.h
	rm -rf $(O)/modules && mkdir -p $(O)/modules
	cp tests/modules/*.c tests/modules/Kbuild $(O)/modules/
	$(MAKE) -C $(KOUT) ARCH=arm64 CROSS_COMPILE=$(CROSS) M=$(CURDIR)/$(O)/modules \
		modules
	touch $@
modules: $(O)/modules.stamp

$(O)/tools/gen_init_cpio: $(O)/.linux-src.stamp
	mkdir -p $(dir $@)
	cc -O2 -o $@ $(KSRC)/usr/gen_init_cpio.c

INITRAMFS_FILES := $(wildcard tests/initramfs/*) scripts/mkinitramfs.sh $(O)/tools/gen_init_cpio
$(O)/guest-initramfs.gz: $(INITRAMFS_FILES) $(O)/modules.stamp
	bash scripts/mkinitramfs.sh $(O) $@ guest
$(O)/initramfs.gz: $(INITRAMFS_FILES) $(O)/modules.stamp $(O)/vmm $(O)/hostile-vmm $(O)/guest-initramfs.gz $(KIMAGE)
	bash scripts/mkinitramfs.sh $(O) $@ host
initramfs: $(O)/initramfs.gz

# ---------------------------------------------------------------- the VMM
VMM_SRCS := $(wildcard tools/vmm/*.c)
$(O)/vmm: $(VMM_SRCS) $(wildcard tools/vmm/*.h) Makefile
	@mkdir -p $(O)
	$(CROSS)gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -pthread -o $@ $(VMM_SRCS)

# The same VMM with tests/attacks/hostile_vmm.c: attacks the guest once it ran.
$(O)/hostile-vmm: $(VMM_SRCS) $(wildcard tools/vmm/*.h) tests/attacks/hostile_vmm.c Makefile
	@mkdir -p $(O)
	$(CROSS)gcc -std=gnu11 -O2 -g -Wall -Wextra -Werror -static -pthread -o $@ $(VMM_SRCS) tests/attacks/hostile_vmm.c

# ---------------------------------------------------------------- run and test
run: setup
	$(MAKE) all
	scripts/run-qemu.sh --smp 4 --initrd $(O)/initramfs.gz

# The stack as `make run`, with KServ's init starting a 2-vCPU guest whose
# console is this terminal (`poweroff -f` in the guest returns to KServ).
run-vm: setup
	$(MAKE) all
	scripts/run-qemu.sh --smp 4 --initrd $(O)/initramfs.gz --append init.run=/bin/run-vm

unit-test:
	$(MAKE) -C tests/unit O=$(CURDIR)/$(O)/unit

# KCore's page-table, TLB and cache maintenance sequences against every
# interleaving of two adversary CPUs, with and without seeded bugs.
model-check:
	$(MAKE) -C tests/model O=$(CURDIR)/$(O)/model

# ACSL contracts of KCore's memory-protection core proved by Frama-C's WP with
# Z3 and CVC4 (docs/verification.md); sessions and caches go to out/prove.
prove: setup
	bash scripts/prove.sh

# libFuzzer over the hypercall ABI with the machine-wide invariants checked
# after every call: a short bounded run in `make test`, as long as asked here.
FUZZ_SECONDS ?= 1800
fuzz:
	$(MAKE) -C tests/fuzz O=$(CURDIR)/$(O)/fuzz SECONDS=$(FUZZ_SECONDS) run
fuzz-smoke:
	$(MAKE) -C tests/fuzz O=$(CURDIR)/$(O)/fuzz SECONDS=60 run

integration-test: all
	python3 tests/integration/run.py --out $(O)

FORMAT_FILES = $(shell git ls-files 'kcore/*.[ch]' 'arch/*.[ch]' 'include/*.h' 'tests/*.[ch]' 'tools/*.[ch]' 2>/dev/null)
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)
	@echo "format-check: $(words $(FORMAT_FILES)) files clean"

test: setup
	$(MAKE) format-check
	$(MAKE) unit-test
	$(MAKE) model-check
	$(MAKE) prove
	$(MAKE) fuzz-smoke
	$(MAKE) bench-check
	$(MAKE) selftests-check
	$(MAKE) integration-test

# Linux's KVM selftests, built from the same tree, run on both stacks.
$(O)/selftests.stamp: $(KIMAGE)
	$(KMAKE) -s INSTALL_HDR_PATH=$(CURDIR)/$(O)/kheaders headers_install >/dev/null
	$(MAKE) -s -C $(KSRC)/tools/testing/selftests/kvm ARCH=arm64 CROSS_COMPILE=$(CROSS) LDFLAGS=-static \
		OUTPUT=$(CURDIR)/$(O)/selftests KHDR_INCLUDES="-isystem $(CURDIR)/$(O)/kheaders/include" -j$(JOBS) >/dev/null
	touch $@
selftests: all $(O)/selftests.stamp
	python3 tests/selftests/run.py --out $(O) --all
selftests-check: all $(O)/selftests.stamp
	python3 tests/selftests/run.py --out $(O) --check

bench: setup
	$(MAKE) all
	python3 tests/bench/run.py --out $(O)/bench

# Where a guest hypercall's instructions go, per exception level (profile.md).
bench-profile: all
	python3 tests/bench/run.py --out $(O)/bench --profile

# make test checks that two runs give identical counts, every row included.
bench-check: all
	python3 tests/bench/run.py --out $(O)/bench --check

clean:
	rm -rf $(O)/kcore-obj $(O)/kcore.elf $(O)/kcore.bin $(O)/sekvm.bin $(O)/unit $(O)/modules* $(O)/initramfs.gz

distclean:
	rm -rf $(O)
