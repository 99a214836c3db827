/* SPDX-License-Identifier: GPL-2.0 */
/* Declarations shared inside the arm64 port. */
#ifndef ARM64_ARM64_H
#define ARM64_ARM64_H

#include "../../kcore/kcore.h"
#include "../../kcore/lib.h"
#include <kcore/abi.h>

struct trap_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

struct el2_mmu_cfg {
	u64 mair;
	u64 tcr;
	u64 ttbr;
	u64 sctlr;
};

extern u64 kcore_image_pa;
extern u64 kcore_uart_va;
extern u32 kcore_boot_el;
extern struct el2_mmu_cfg el2_mmu_cfg;
extern char el2_vectors[];

u64 arm64_va_to_pa(const void *v);
void arm64_firmware_smc(u64 r[4]);
void kcore_warm_entry(void);
void kcore_relocate(u64 dst_pa, u64 len, u64 ttbr, u64 sctlr);
void arm64_enter_kserv(u64 entry, u64 arg, u64 stack_top) __attribute__((noreturn));

/* Configure this CPU's EL2 for running KServ at EL1 under its stage-2. */
void arm64_cpu_init_el2(struct percpu *pc);
/* Physical address bits, capped at 48, and the matching TCR/VTCR PS field. */
u32 arm64_pa_bits(void);

/* Entry points called from assembly. */
void kcore_boot(u64 dtb, u64 load_pa, u64 el);
void kcore_warm_main(struct percpu *pc);
void arm64_lower_trap(struct trap_frame *tf, u64 kind);
void arm64_el2_exception(struct trap_frame *tf, u64 kind) __attribute__((noreturn));

/* The compiler may emit calls to these. */
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

/* Exception injection into KServ. */
void arm64_inject_sea(struct trap_frame *tf, u64 esr, u64 far);
void arm64_inject_undef(struct trap_frame *tf);

#endif /* ARM64_ARM64_H */
