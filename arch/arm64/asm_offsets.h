/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structure offsets used by assembly. Each one is checked against the C
 * definition with a static assertion in arch/arm64/asm_offsets.c.
 */
#ifndef ARM64_ASM_OFFSETS_H
#define ARM64_ASM_OFFSETS_H

/* struct el2_mmu_cfg */
#define MMU_CFG_MAIR 0
#define MMU_CFG_TCR 8
#define MMU_CFG_TTBR 16
#define MMU_CFG_SCTLR 24

/* struct percpu */
#define PERCPU_STACK_TOP 0
#define PERCPU_GUEST_GP 8

/* struct gp_regs */
#define GP_X0 0
#define GP_PC (31 * 8)
#define GP_PSTATE (32 * 8)

/* struct trap_frame */
#define TF_X0 0
#define TF_ELR (31 * 8)
#define TF_SPSR (32 * 8)
#define TF_SIZE (34 * 8)

#endif /* ARM64_ASM_OFFSETS_H */
