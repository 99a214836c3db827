// SPDX-License-Identifier: GPL-2.0
/*
 * Exception injection into KServ: make KServ take a synchronous exception
 * at EL1 exactly as if its own access had failed, so that Linux handles it
 * with its ordinary fault code (an oops in the kernel, SIGBUS in a process).
 */
#include "arm64.h"
#include "sysreg.h"

#define SCTLR_EL1_SPAN (1UL << 23)
#define SCTLR_EL1_DSSBS (1UL << 44)

/* Vector offset for an exception taken to EL1 from the mode in @spsr. */
static u64 vector_offset(u64 spsr)
{
	if (spsr & PSR_nRW)
		return 0x600; /* lower EL, AArch32 */
	switch (spsr & PSR_MODE_MASK) {
	case 0x4:
		return 0x000; /* EL1t */
	case PSR_MODE_EL1h:
		return 0x200;
	default:
		return 0x400; /* EL0, AArch64 */
	}
}

static bool from_el0(u64 spsr)
{
	return (spsr & PSR_nRW) || (spsr & PSR_MODE_MASK) == 0;
}

/* PSTATE on taking an exception to EL1 (Arm ARM, "Exception entry"). */
static u64 entry_pstate(void)
{
	u64 sctlr = read_sysreg(sctlr_el1), p = PSR_DAIF | PSR_MODE_EL1h;

	if (id_field(read_sysreg(id_aa64mmfr1_el1), 20) && !(sctlr & SCTLR_EL1_SPAN))
		p |= PSR_PAN;
	if (sctlr & SCTLR_EL1_DSSBS)
		p |= PSR_SSBS;
	return p;
}

static void inject(struct trap_frame *tf, u64 esr_el1)
{
	write_sysreg(esr_el1, esr_el1);
	write_sysreg(elr_el1, tf->elr);
	write_sysreg(spsr_el1, tf->spsr);
	tf->elr = read_sysreg(vbar_el1) + vector_offset(tf->spsr);
	tf->spsr = entry_pstate();
}

void arm64_inject_sea(struct trap_frame *tf, u64 esr, u64 far)
{
	u32 ec_in = (u32)(esr >> ESR_EC_SHIFT), ec;

	if (ec_in == ESR_EC_IABT_LOW)
		ec = from_el0(tf->spsr) ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	else
		ec = from_el0(tf->spsr) ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	write_sysreg(far_el1, far);
	inject(tf, (u64)ec << ESR_EC_SHIFT | ESR_IL | (esr & ESR_WNR) | ESR_FSC_SEA);
}

void arm64_inject_undef(struct trap_frame *tf)
{
	inject(tf, (u64)ESR_EC_UNKNOWN << ESR_EC_SHIFT | ESR_IL);
}
