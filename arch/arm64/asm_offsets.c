// SPDX-License-Identifier: GPL-2.0
/* Compile-time checks that arch/arm64/asm_offsets.h matches the C layout. */
#include <stddef.h>

#include "arm64.h"
#include "asm_offsets.h"

_Static_assert(offsetof(struct el2_mmu_cfg, mair) == MMU_CFG_MAIR, "MMU_CFG_MAIR");
_Static_assert(offsetof(struct el2_mmu_cfg, tcr) == MMU_CFG_TCR, "MMU_CFG_TCR");
_Static_assert(offsetof(struct el2_mmu_cfg, ttbr) == MMU_CFG_TTBR, "MMU_CFG_TTBR");
_Static_assert(offsetof(struct el2_mmu_cfg, sctlr) == MMU_CFG_SCTLR, "MMU_CFG_SCTLR");
_Static_assert(offsetof(struct percpu, stack_top) == PERCPU_STACK_TOP, "PERCPU_STACK_TOP");
_Static_assert(offsetof(struct percpu, guest_gp) == PERCPU_GUEST_GP, "PERCPU_GUEST_GP");
_Static_assert(offsetof(struct gp_regs, x) == GP_X0, "GP_X0");
_Static_assert(offsetof(struct gp_regs, pc) == GP_PC, "GP_PC");
_Static_assert(offsetof(struct gp_regs, pstate) == GP_PSTATE, "GP_PSTATE");
_Static_assert(offsetof(struct fp_regs, fpsr) == 512, "fpsimd.S's layout");
_Static_assert(offsetof(struct trap_frame, x) == TF_X0, "TF_X0");
_Static_assert(offsetof(struct trap_frame, elr) == TF_ELR, "TF_ELR");
_Static_assert(offsetof(struct trap_frame, spsr) == TF_SPSR, "TF_SPSR");
_Static_assert(sizeof(struct trap_frame) == TF_SIZE && TF_SIZE % 16 == 0, "TF_SIZE");
_Static_assert(MAIR_EL2_VALUE == 0x44ff04, "head.S's MAIR_VALUE");
