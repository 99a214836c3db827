// SPDX-License-Identifier: GPL-2.0
/*
 * The world switch: KServ's EL1 state out, a guest's in, run, and back.
 * Everything the guest can see or change is switched: general registers
 * (guest.S), EL1/EL0 system registers, FP/SIMD, the virtual timer, the
 * stage-2 (VTTBR/VTCR) and the trap configuration.
 *
 * FP/SIMD registers and pointer-authentication keys are switched lazily:
 * the guest starts each run with its first use of either trapped to EL2
 * (CPTR_EL2.TFP, HCR_EL2.API/APK clear); the trap loads the guest's state,
 * lifts the trap and re-runs the instruction without leaving KCore. On the
 * way out only what was loaded is saved and KServ's values put back, so a
 * run that never touches them (most exits of a guest kernel) costs nothing.
 * Either way KServ's registers never hold the guest's values, nor the
 * guest's KServ's.
 */
#include "arm64.h"
#include "sysreg.h"
#include "../../kcore/vm.h"
#include "vgic_switch.h"

#define HCR_PTW (1UL << 2)
#define HCR_FB (1UL << 9)
#define HCR_BSU_IS (1UL << 10)
#define HCR_TWI (1UL << 13)
#define HCR_TID3 (1UL << 18) /* ID registers: KServ's KVM chooses the features a guest sees */
#define HCR_TIDCP (1UL << 20)
#define HCR_TACR (1UL << 21)
#define HCR_TSW (1UL << 22)
#define HCR_GUEST                                                                                                      \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_FMO | HCR_IMO | HCR_AMO | HCR_FB | HCR_BSU_IS | HCR_TWI | HCR_TSC |         \
	 HCR_TID3 | HCR_TIDCP | HCR_TACR | HCR_TSW | HCR_RW)
#define CPTR_TZ (1UL << 8)
#define CPTR_TFP (1UL << 10)
#define CPTR_TSM (1UL << 12)
#define CPTR_TTA (1UL << 20)
#define CPTR_TAM (1UL << 30)
#define MDCR_HPMN_MASK 0x1fUL
#define MDCR_TPMCR (1UL << 5)
#define MDCR_TPM (1UL << 6)
#define MDCR_TDA (1UL << 9)
#define MDCR_TDOSA (1UL << 10)
#define MDCR_TDRA (1UL << 11)
#define CNTHCTL_EL1PCTEN (1UL << 0)
#define CPTR_GUEST (CPTR_TZ | CPTR_TSM | CPTR_TTA | CPTR_TAM)

#define ESR_EC(esr) ((u32)((esr) >> 26) & 0x3f)
#define EC_FP 0x07
#define EC_PAC 0x09
#define EC_SYSREG 0x18
#define EXIT_SYNC 0
/* ESR_EL2.ISS of a trapped MSR/MRS without Rt and direction: op0, op2, op1,
 * CRn, CRm. The keys are op0 3, op1 0, CRn 2, CRm 1..3. */
#define ISS_SYSREG_MASK 0x3ffc1eUL
#define ISS_SYSREG(op0, op1, crn, crm, op2)                                                                            \
	((u64)(op0) << 20 | (u64)(op2) << 17 | (u64)(op1) << 14 | (u64)(crn) << 10 | (u64)(crm) << 1)

/* What this run has loaded of the guest's lazily switched state. */
struct lazy {
	bool fp, keys;
	struct fp_regs host_fp;
	struct pauth_keys host_keys;
};

u64 __guest_run(struct gp_regs *guest);
void fpsimd_save(struct fp_regs *fp);
void fpsimd_restore(const struct fp_regs *fp);

static void save_el1(struct el1_sysregs *r)
{
#define SAVE(reg) r->reg = read_sysreg(reg);
	EL1_SYSREGS(SAVE)
#undef SAVE
}

static void restore_el1(const struct el1_sysregs *r)
{
#define RESTORE(reg) write_sysreg(reg, r->reg);
	EL1_SYSREGS(RESTORE)
#undef RESTORE
}

static void save_keys(struct pauth_keys *k)
{
#define SAVE_KEY(reg, name) k->name = read_sysreg(reg);
	PAUTH_KEYS(SAVE_KEY)
#undef SAVE_KEY
}

static void restore_keys(const struct pauth_keys *k)
{
#define RESTORE_KEY(reg, name) write_sysreg(reg, k->name);
	PAUTH_KEYS(RESTORE_KEY)
#undef RESTORE_KEY
}

static u64 guest_vtcr(const struct vm *vm, u64 host_vtcr)
{
	const struct pgtable *pt = &vm->s2;

	/* KServ's walk attributes and PS; the VM's T0SZ [5:0] and SL0 [7:6]. */
	return (host_vtcr & ~0xffUL) | (64 - pt->ia_bits) | (pt->start_level == 0 ? 2UL : 1UL) << 6;
}

static void traps_for_guest(const struct vm *vm, const struct host_traps *h)
{
	/* FP/SIMD and pointer authentication trap until the guest's are loaded. */
	write_sysreg(hcr_el2, HCR_GUEST);
	write_sysreg(cptr_el2, h->cptr | CPTR_GUEST | CPTR_TFP);
	write_sysreg(mdcr_el2, (h->mdcr & MDCR_HPMN_MASK) | MDCR_TPM | MDCR_TPMCR | MDCR_TDA | MDCR_TDOSA | MDCR_TDRA);
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN);
	write_sysreg(vtcr_el2, guest_vtcr(vm, h->vtcr));
	write_sysreg(vttbr_el2, vm->s2.root.v | (u64)vm->vmid << 48);
	write_sysreg(cntvoff_el2, vm->cntvoff);
	/* EL1 registers of newer features are not switched yet: make the guest
	 * trap (fine-grained traps with no "n" bits) or UNDEF (no HCRX enables)
	 * on them instead of reaching KServ's values. */
	if (h->has_fgt) {
		write_sysreg(HFGRTR_EL2, 0);
		write_sysreg(HFGWTR_EL2, 0);
	}
	if (h->has_hcx)
		write_sysreg(HCRX_EL2, 0);
	isb();
}

static void traps_for_kserv(const struct host_traps *h)
{
	write_sysreg(hcr_el2, h->hcr);
	write_sysreg(cptr_el2, h->cptr);
	write_sysreg(mdcr_el2, h->mdcr);
	write_sysreg(cnthctl_el2, h->cnthctl);
	write_sysreg(vtcr_el2, h->vtcr);
	write_sysreg(vttbr_el2, kc.host.pt.root.v);
	write_sysreg(cntvoff_el2, 0);
	if (h->has_fgt) {
		write_sysreg(HFGRTR_EL2, h->hfgrtr);
		write_sysreg(HFGWTR_EL2, h->hfgwtr);
	}
	if (h->has_hcx)
		write_sysreg(HCRX_EL2, h->hcrx);
	isb();
}

static bool is_key_access(u64 esr)
{
	u64 iss = esr & ISS_SYSREG_MASK;

	return iss == ISS_SYSREG(3, 0, 2, 1, 0) || iss == ISS_SYSREG(3, 0, 2, 1, 1) ||
	       iss == ISS_SYSREG(3, 0, 2, 1, 2) || iss == ISS_SYSREG(3, 0, 2, 1, 3) ||
	       iss == ISS_SYSREG(3, 0, 2, 2, 0) || iss == ISS_SYSREG(3, 0, 2, 2, 1) ||
	       iss == ISS_SYSREG(3, 0, 2, 2, 2) || iss == ISS_SYSREG(3, 0, 2, 2, 3) ||
	       iss == ISS_SYSREG(3, 0, 2, 3, 0) || iss == ISS_SYSREG(3, 0, 2, 3, 1);
}

/*
 * A trap of the guest's first FP/SIMD or pointer-authentication use in this
 * run: load the guest's state and let the instruction run again (ELR_EL2
 * still points at it). False for every other exit, which goes to KServ.
 */
static bool take_lazy_trap(struct vcpu *v, struct lazy *l, const struct host_traps *h, u64 esr)
{
	u32 ec = ESR_EC(esr);

	if (ec == EC_FP && !l->fp) {
		write_sysreg(cptr_el2, h->cptr | CPTR_GUEST); /* TFP traps EL2's own use too */
		isb();
		fpsimd_save(&l->host_fp);
		fpsimd_restore(&v->fp);
		l->fp = true;
	} else if (h->has_pauth && !l->keys && (ec == EC_PAC || (ec == EC_SYSREG && is_key_access(esr)))) {
		save_keys(&l->host_keys);
		restore_keys(&v->keys);
		write_sysreg(hcr_el2, HCR_GUEST | HCR_API | HCR_APK);
		l->keys = true;
	} else {
		return false;
	}
	isb();
	return true;
}

static void put_lazy(struct vcpu *v, const struct lazy *l)
{
	if (l->fp) {
		fpsimd_save(&v->fp);
		fpsimd_restore(&l->host_fp);
	}
	if (l->keys) {
		save_keys(&v->keys);
		restore_keys(&l->host_keys);
	}
}

void arch_vcpu_run(struct vm *vm, struct vcpu *v, struct raw_exit *e, bool flush_local)
{
	struct percpu *pc = (struct percpu *)(uintptr_t)read_sysreg(tpidr_el2);
	struct el1_sysregs host;
	struct lazy lazy;
	u32 lrs;

	lazy.fp = false;
	lazy.keys = false;
	save_el1(&host);
	restore_el1(&v->el1);
	lrs = vgic_load(v);
	write_sysreg(vmpidr_el2, v->vmpidr);
	traps_for_guest(vm, &pc->host);
	if (flush_local) /* this VM's VMID is live now: what its other vCPUs left here goes */
		asm volatile("isb\n\ttlbi vmalle1\n\tic iallu\n\tdsb nsh\n\tisb" ::: "memory");

	do {
		e->kind = __guest_run(&v->gp);
		e->esr = read_sysreg(esr_el2);
	} while (e->kind == EXIT_SYNC && take_lazy_trap(v, &lazy, &pc->host, e->esr));
	e->far = read_sysreg(far_el2);
	e->hpfar = read_sysreg(hpfar_el2);

	traps_for_kserv(&pc->host);
	save_el1(&v->el1);
	vgic_put(v, lrs);
	put_lazy(v, &lazy);
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1)); /* KServ sees the real one */
	restore_el1(&host);				  /* also stops the guest's virtual timer */
}
