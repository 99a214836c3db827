/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vCPUs: KCore holds their authoritative register state. KServ sees only
 * what an exit exposes (see docs/abi.md) and answers through the next run;
 * KCore applies an answer only to the exit it belongs to.
 */
#ifndef KCORE_VCPU_H
#define KCORE_VCPU_H

#include "types.h"
#include <kcore/abi.h>

struct vm;

/* EL1 and EL0 system registers switched between KServ and a guest. */
/* clang-format off */
#define EL1_SYSREGS(X)							\
	X(sctlr_el1) X(cpacr_el1) X(ttbr0_el1) X(ttbr1_el1)		\
	X(tcr_el1) X(esr_el1) X(afsr0_el1) X(afsr1_el1)			\
	X(far_el1) X(mair_el1) X(vbar_el1) X(contextidr_el1)		\
	X(amair_el1) X(cntkctl_el1) X(par_el1) X(tpidr_el1)		\
	X(sp_el1) X(elr_el1) X(spsr_el1) X(sp_el0)			\
	X(tpidr_el0) X(tpidrro_el0) X(mdscr_el1) X(csselr_el1)		\
	X(cntv_ctl_el0) X(cntv_cval_el0)
/* clang-format on */

struct el1_sysregs {
#define SYSREG_FIELD(r) u64 r;
	EL1_SYSREGS(SYSREG_FIELD)
#undef SYSREG_FIELD
};

/* Pointer authentication keys (when the CPU has FEAT_PAuth). */
/* clang-format off */
#define PAUTH_KEYS(X)							\
	X(s3_0_c2_c1_0, apia_lo) X(s3_0_c2_c1_1, apia_hi)		\
	X(s3_0_c2_c1_2, apib_lo) X(s3_0_c2_c1_3, apib_hi)		\
	X(s3_0_c2_c2_0, apda_lo) X(s3_0_c2_c2_1, apda_hi)		\
	X(s3_0_c2_c2_2, apdb_lo) X(s3_0_c2_c2_3, apdb_hi)		\
	X(s3_0_c2_c3_0, apga_lo) X(s3_0_c2_c3_1, apga_hi)
/* clang-format on */

struct pauth_keys {
#define KEY_FIELD(reg, name) u64 name;
	PAUTH_KEYS(KEY_FIELD)
#undef KEY_FIELD
};

struct gp_regs {
	u64 x[31];
	u64 pc;
	u64 pstate;
	u64 pad;
};

struct fp_regs {
	u64 v[64]; /* q0..q31 */
	u64 fpsr;
	u64 fpcr;
};

/* What the hardware reported when the guest left. */
struct raw_exit {
	u64 kind; /* 0 synchronous, 1 IRQ, 2 FIQ, 3 SError */
	u64 esr;
	u64 far;
	u64 hpfar;
};

enum pending {
	PENDING_NONE,
	PENDING_HVC,	      /* guest x0..x3 may be answered */
	PENDING_MMIO_READ,    /* a value for guest register mmio_rt is required */
	PENDING_MMIO_WRITE,   /* the PC moves on */
	PENDING_SYSREG_READ,  /* a value for guest register rt is required */
	PENDING_SYSREG_WRITE, /* the PC moves on */
	PENDING_TRAP,	      /* only an undefined-instruction answer */
};

struct vcpu {
	u32 index;
	u64 vmpidr;  /* the MPIDR_EL1 the guest reads: derived from the index */
	u32 running; /* changed atomically: a vCPU runs on one CPU at most */
	bool ran;    /* since the last reset: its registers are the guest's */
	struct gp_regs gp;
	struct el1_sysregs el1;
	struct fp_regs fp;
	struct pauth_keys keys;
	u64 ich_vmcr;		/* the GIC virtual CPU interface's control state */
	u64 lr[KCORE_VGIC_LRS]; /* list registers: interrupts KServ injects */
	bool underflow;		/* exit when the list registers run empty */
	u64 ap0r[4];		/* active priorities */
	u64 ap1r[4];
	enum pending pending;
	u32 rt;	       /* the register of a pending load or MRS */
	u32 mmio_size; /* log2 bytes */
	bool mmio_sign_extend;
	bool mmio_sf; /* 64-bit register */
};

/* The exit record returned to KServ in x1..x11. */
struct exit_record {
	u64 reason;
	u64 data[6];
	u64 lr[KCORE_VGIC_LRS]; /* the list registers after the exit */
	u64 timer_ctl;		/* the guest's CNTV_CTL_EL0 and CNTV_CVAL_EL0 */
	u64 timer_cval;
};

void vcpu_reset(struct vcpu *v, u64 pc, u64 x0);
/* The guest-visible MPIDR of vCPU @index: Aff0 = index[3:0], Aff1 =
 * index[11:4], Aff2 = index[19:12], bit 31 (RES1) set. */
u64 vcpu_mpidr(u32 index);
/* Apply KServ's answer (x4..x7, list registers in x8..x11) to the pending
 * exit. 0 or -EINVAL; nothing changes on -EINVAL. */
int vcpu_apply_answer(struct vcpu *v, u64 flags, const u64 *val);
/* How many list registers the GIC has (at most KCORE_VGIC_LRS count), and
 * its ICH_VTR_EL2 for KServ's vGIC emulation. */
extern u32 vgic_nr_lrs;
extern u64 vgic_ich_vtr;
/* Turn what the hardware reported into an exit record, and remember what
 * the answer may change. */
void vcpu_decode_exit(struct vcpu *v, const struct raw_exit *e, struct exit_record *rec);

/* Switch this CPU to @v of @vm, run it until it exits, switch back. */
/*
 * Switch to @v, run it until it exits, switch back. @flush_local: another
 * vCPU of the VM ran on this CPU since @v last did, so the CPU's TLB and
 * instruction cache may hold what that vCPU's local maintenance left.
 */
void arch_vcpu_run(struct vm *vm, struct vcpu *v, struct raw_exit *e, bool flush_local);
/* KCORE_HC_VCPU_SET_REG on a vCPU that is not running: 0 or -errno. */
int vcpu_set_initial_reg(struct vcpu *v, u64 reg, u64 val);

#endif /* KCORE_VCPU_H */
