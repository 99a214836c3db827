// SPDX-License-Identifier: GPL-2.0
/*
 * Traps from KServ into KCore, and what KCore does when it catches itself
 * faulting (a KCore bug: report and stop this CPU).
 */
#include "arm64.h"
#include "sysreg.h"
#include "../../kcore/log.h"

static struct percpu *this_cpu(void)
{
	return (struct percpu *)(uintptr_t)read_sysreg(tpidr_el2);
}

/* The faulting IPA of a stage-2 abort: HPFAR_EL2 holds bits [47:12]. */
static u64 fault_ipa(void)
{
	return ((read_sysreg(hpfar_el2) >> 4) << 12) | (read_sysreg(far_el2) & 0xfff);
}

static bool is_translation_fault(u64 esr)
{
	u32 fsc = esr & ESR_FSC_MASK;

	/* Levels 0-3, and level -1 (0x2b, FEAT_LPA2): QEMU reports the latter
	 * for a stage-2 miss during a 52-bit stage-1 walk, e.g. while KCore
	 * splits a block of KServ's stage-2 under it. */
	return (fsc >= 0x04 && fsc <= 0x07) || fsc == 0x2b;
}

static bool is_permission_fault(u64 esr)
{
	u32 fsc = esr & ESR_FSC_MASK;

	return fsc >= 0x0c && fsc <= 0x0f;
}

static const char *owner_name(u16 owner)
{
	if (owner_is_kcore(owner))
		return "KCore";
	if (owner_is_vm(owner))
		return "a VM";
	return owner == OWNER_KSERV ? "KServ" : "MMIO";
}

static void stage2_abort(struct trap_frame *tf, u64 esr)
{
	struct percpu *pc = this_cpu();
	u64 ipa, far = read_sysreg(far_el2);
	enum s2_fault r;
	u16 owner;

	if ((esr & ESR_FSC_MASK) == ESR_FSC_TLB_CONFLICT) {
		__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb");
		return;
	}
	if (!is_translation_fault(esr) && !is_permission_fault(esr)) {
		/* Not a missing mapping (an external abort, say): KServ gets
		 * the abort, as it would without KCore. */
		kc_log("KServ abort ESR 0x%lx FAR 0x%lx PC 0x%lx on CPU %u: forwarded", esr, far, tf->elr, pc->index);
		arm64_inject_sea(tf, esr, far);
		return;
	}
	ipa = fault_ipa();
	/* A permission fault (say, executing MMIO) is final: retrying would
	 * fault again. A translation fault may just need a mapping. */
	if (is_permission_fault(esr))
		owner = frames_owner(&kc.frames, pa(ipa));
	else if ((r = host_s2_fault(ipa, &owner)) == S2_FAULT_HANDLED)
		return;
	else if (r == S2_FAULT_NOMEM)
		kc_log("host stage-2: no pool page to map IPA 0x%lx", ipa);
	pc->denials++;
	kc_log("denied KServ %s at PA 0x%lx (owner %s) from EL%lu PC 0x%lx on CPU %u",
	       (esr & ESR_WNR) ? "write" : "access", ipa, owner_name(owner), (tf->spsr >> 2) & 3, tf->elr, pc->index);
	arm64_inject_sea(tf, esr, far);
}

static void kserv_sync(struct trap_frame *tf)
{
	u64 esr = read_sysreg(esr_el2);
	u32 ec = (u32)(esr >> ESR_EC_SHIFT);

	switch (ec) {
	case ESR_EC_HVC64:
		if (esr & 0xffff)
			tf->x[0] = (u64)(s64)KCORE_SMCCC_NOT_SUPPORTED;
		else
			hypercall_handle(tf->x);
		break;
	case ESR_EC_SMC64:
		if (esr & 0xffff)
			tf->x[0] = (u64)(s64)KCORE_SMCCC_NOT_SUPPORTED;
		else
			smc_handle(tf->x, this_cpu());
		tf->elr += 4; /* a trapped SMC returns to itself */
		break;
	case ESR_EC_DABT_LOW:
	case ESR_EC_IABT_LOW:
		stage2_abort(tf, esr);
		break;
	default:
		kc_log("KServ trap with ESR 0x%lx at PC 0x%lx: injecting an undefined instruction", esr, tf->elr);
		arm64_inject_undef(tf);
	}
}

void arm64_lower_trap(struct trap_frame *tf, u64 kind)
{
	if (kind == 0) {
		kserv_sync(tf);
		return;
	}
	/* IRQs, FIQs and SErrors are routed to EL1; seeing one is odd but
	 * harmless. */
	kc_log("unexpected %s exception from KServ (ESR 0x%lx)", kind == 3 ? "SError" : "interrupt",
	       read_sysreg(esr_el2));
}

void arm64_el2_exception(struct trap_frame *tf, u64 kind)
{
	kc_log("PANIC: exception %lu in KCore: ESR 0x%lx FAR 0x%lx ELR 0x%lx", kind, read_sysreg(esr_el2),
	       read_sysreg(far_el2), tf->elr);
	arch_halt();
}
