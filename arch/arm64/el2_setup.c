// SPDX-License-Identifier: GPL-2.0
/*
 * Per-CPU EL2 configuration for running KServ at EL1: stage-2 on, SMCs
 * trapped, and every feature a kernel expects at EL1 left usable (physical
 * timer, PMU, debug, FP/SVE/SME, GICv3 system registers, pointer
 * authentication). Registers whose reset value is UNKNOWN are all written.
 */
#include "arm64.h"
#include "sysreg.h"
#include "vgic_switch.h"

#define ID_AA64PFR2_EL1 s3_0_c0_c4_2
#define ID_AA64ISAR2_EL1 s3_0_c0_c6_2

#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CNTHCTL_EL1PCEN (1UL << 1)
#define CPTR_NVHE_RES1 0x22ffUL
#define CPTR_TZ (1UL << 8)
#define CPTR_TSM (1UL << 12)
#define ICC_SRE_EL2_ALL 0xfUL /* SRE, DFB, DIB, Enable */
#define VTCR_RES1 (1UL << 31)

u32 arm64_pa_bits(void)
{
	static const u32 bits[] = { 32, 36, 40, 42, 44, 48 };
	u32 r = (u32)read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return r < ARRAY_SIZE(bits) ? bits[r] : 48;
}

static u64 ps_field(u32 pa_bits)
{
	return pa_bits == 32 ? 0 : pa_bits == 36 ? 1 : pa_bits == 40 ? 2 : pa_bits == 42 ? 3 : pa_bits == 44 ? 4 : 5;
}

static void init_traps(void)
{
	u64 pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 hcr = HCR_VM | HCR_SWIO | HCR_RW | HCR_TSC | HCR_API | HCR_APK;

	if (id_field(pfr1, 8) >= 2) /* MTE */
		hcr |= HCR_ATA;
	write_sysreg(hcr_el2, hcr);
	write_sysreg(hstr_el2, 0);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	write_sysreg(ICC_SRE_EL2, ICC_SRE_EL2_ALL);
	isb();
	write_sysreg(ICH_HCR_EL2, 0);
	vgic_cpu_reset();
}

static void init_debug_pmu(void)
{
	u64 dfr0 = read_sysreg(id_aa64dfr0_el1), mdcr = 0;
	u32 pmuver = id_field(dfr0, 8);

	if (pmuver != 0 && pmuver != 0xf)
		mdcr |= (read_sysreg(pmcr_el0) >> 11) & 0x1f; /* HPMN = PMCR_EL0.N */
	if (id_field(dfr0, 32)) {			      /* SPE: EL1 owns the buffer */
		mdcr |= 3UL << 12;
		write_sysreg(PMSCR_EL2, 0);
	}
	if (id_field(dfr0, 44)) /* TRBE: EL1 owns the trace buffer */
		mdcr |= 3UL << 24;
	if (id_field(dfr0, 40)) /* self-hosted trace: no EL2 tracing */
		write_sysreg(TRFCR_EL2, 0);
	write_sysreg(mdcr_el2, mdcr);
}

static void init_fp(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	bool sve = id_field(pfr0, 32) != 0, sme = id_field(pfr1, 24) != 0;
	u64 cptr = CPTR_NVHE_RES1 | (sve ? 0 : CPTR_TZ) | (sme ? 0 : CPTR_TSM);

	write_sysreg(cptr_el2, cptr);
	isb();
	if (sve)
		write_sysreg(ZCR_EL2, 0xf); /* the largest vector length */
	if (sme) {
		u64 smfr0 = read_sysreg(ID_AA64SMFR0_EL1), smcr = 0xf;

		if (smfr0 >> 63) /* FA64 */
			smcr |= 1UL << 31;
		if (id_field(smfr0, 56)) /* SME2: ZT0 */
			smcr |= 1UL << 30;
		write_sysreg(SMCR_EL2, smcr);
		write_sysreg(SMPRIMAP_EL2, 0);
	}
}

/* Fine-grained traps: none, except the negative-polarity bits of present
 * features, which must be set to not trap. */
static void init_fgt(void)
{
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 mmfr3 = read_sysreg(ID_AA64MMFR3_EL1), dfr0 = read_sysreg(id_aa64dfr0_el1);
	u64 hfg = 0, hdfg = 0;

	if (!id_field(read_sysreg(id_aa64mmfr0_el1), 56))
		return;
	if (id_field(pfr1, 24)) /* SME */
		hfg |= BIT(54) | BIT(55);
	if (id_field(pfr1, 44)) /* GCS */
		hfg |= BIT(52) | BIT(53);
	if (id_field(pfr1, 48)) /* THE */
		hfg |= BIT(56);
	if (id_field(mmfr3, 8)) /* S1PIE */
		hfg |= BIT(57) | BIT(58);
	if (id_field(mmfr3, 16)) /* S1POE */
		hfg |= BIT(59) | BIT(60);
	if (id_field(mmfr3, 24)) /* AIE: MAIR2/AMAIR2 */
		hfg |= BIT(62) | BIT(63);
	if (id_field(dfr0, 52)) /* BRBE */
		hdfg |= BIT(59) | BIT(60) | BIT(61);
	if (id_field(dfr0, 32) >= 3) /* SPEv1p2: PMSNEVFR_EL1 */
		hdfg |= BIT(62);
	write_sysreg(HFGRTR_EL2, hfg);
	write_sysreg(HFGWTR_EL2, hfg);
	write_sysreg(HFGITR_EL2, 0);
	write_sysreg(HDFGRTR_EL2, hdfg);
	write_sysreg(HDFGWTR_EL2, hdfg & ~BIT(59)); /* BRBIDR is read-only */
	if (id_field(pfr0, 44))			    /* AMU */
		write_sysreg(HAFGRTR_EL2, 0);
}

static void init_hcrx(void)
{
	u64 mmfr3 = read_sysreg(ID_AA64MMFR3_EL1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	u64 hcrx = 0;

	if (!id_field(read_sysreg(id_aa64mmfr1_el1), 40))
		return;
	if (id_field(read_sysreg(ID_AA64ISAR2_EL1), 16)) /* MOPS */
		hcrx |= BIT(11);
	if (id_field(mmfr3, 0)) /* TCRX */
		hcrx |= BIT(14);
	if (id_field(mmfr3, 4)) /* SCTLR2 */
		hcrx |= BIT(15);
	if (id_field(pfr1, 44)) /* GCS */
		hcrx |= BIT(22);
	if (id_field(read_sysreg(ID_AA64PFR2_EL1), 32)) /* FPMR */
		hcrx |= BIT(23);
	write_sysreg(HCRX_EL2, hcrx);
}

static void init_host_s2(void)
{
	const struct pgtable *pt = &kc.host.pt;
	u64 vtcr = VTCR_RES1 | (64 - pt->ia_bits) | (pt->start_level == 0 ? 2UL : 1UL) << 6 | 1UL << 8 | 1UL << 10 |
		   3UL << 12 | ps_field(kc.pa_bits) << 16;

	write_sysreg(vtcr_el2, vtcr);
	write_sysreg(vttbr_el2, pt->root.v);
	isb();
	/* No stale stage-2 or combined entries from the firmware's time. */
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb");
}

void arm64_cpu_init_el2(struct percpu *pc)
{
	write_sysreg(tpidr_el2, (u64)(uintptr_t)pc);
	write_sysreg(vbar_el2, (u64)(uintptr_t)el2_vectors);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	init_fp();
	init_debug_pmu();
	init_fgt();
	init_hcrx();
	init_host_s2();
	init_traps();
	isb();
	/* What the world switch restores when KServ runs again. */
	pc->host.hcr = read_sysreg(hcr_el2);
	pc->host.cptr = read_sysreg(cptr_el2);
	pc->host.mdcr = read_sysreg(mdcr_el2);
	pc->host.cnthctl = read_sysreg(cnthctl_el2);
	pc->host.vtcr = read_sysreg(vtcr_el2);
	pc->host.has_fgt = id_field(read_sysreg(id_aa64mmfr0_el1), 56) != 0;
	pc->host.has_hcx = id_field(read_sysreg(id_aa64mmfr1_el1), 40) != 0;
	pc->host.has_pauth = cpu_has_pauth();
	if (pc->host.has_fgt) {
		pc->host.hfgrtr = read_sysreg(HFGRTR_EL2);
		pc->host.hfgwtr = read_sysreg(HFGWTR_EL2);
	}
	if (pc->host.has_hcx)
		pc->host.hcrx = read_sysreg(HCRX_EL2);
}
