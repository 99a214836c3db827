// SPDX-License-Identifier: GPL-2.0
/* vCPU state: reset, exits as KServ sees them, and KServ's answers. */
#include "vcpu.h"
#include "lib.h"
#include "log.h"

#define ESR_EC(esr) ((u32)((esr) >> 26) & 0x3f)
#define EC_WFX 0x01
#define EC_HVC64 0x16
#define EC_SMC64 0x17
#define EC_SYSREG 0x18
#define EC_IABT_LOW 0x20
#define EC_DABT_LOW 0x24
#define ISS_ISV (1UL << 24)
#define ISS_SAS(esr) ((u32)((esr) >> 22) & 3)
#define ISS_SSE (1UL << 21)
#define ISS_SRT(esr) ((u32)((esr) >> 16) & 31)
#define ISS_SF (1UL << 15)
#define ISS_S1PTW (1UL << 7)
#define ISS_WNR (1UL << 6)
#define PSTATE_EL1H_MASKED 0x3c5
#define PSTATE_MODE_MASK 0x1fUL
#define PSTATE_MODE_EL0T 0x0UL
#define PSTATE_MODE_EL1T 0x4UL
#define PSTATE_MODE_EL1H 0x5UL
#define PSTATE_DAIF (0xfUL << 6)
#define PSTATE_NZCV (0xfUL << 28)
/* ICH_LR<n>_EL2: vINTID [31:0], pINTID or EOI [44:32], priority [55:48],
 * group [60], HW [61], state [63:62]. Everything else is RES0. */
#define LR_VALID_BITS (0xffffffffUL | (0x1fffUL << 32) | (0xffUL << 48) | (7UL << 60) | (1UL << 63))
#define LR_STATE(lr) ((lr) >> 62)
#define LR_VINTID(lr) ((lr)&0xffffffffUL)

u32 vgic_nr_lrs;
u64 vgic_ich_vtr;
#define SCTLR_EL1_RESET 0x30d00800UL

u64 vcpu_mpidr(u32 index)
{
	return (1UL << 31) | (index & 0xfUL) | ((index >> 4) & 0xffUL) << 8 | ((index >> 12) & 0xffUL) << 16;
}

void vcpu_reset(struct vcpu *v, u64 pc, u64 x0)
{
	kc_memset(&v->gp, 0, sizeof(v->gp));
	kc_memset(&v->el1, 0, sizeof(v->el1));
	kc_memset(&v->fp, 0, sizeof(v->fp));
	kc_memset(&v->keys, 0, sizeof(v->keys));
	v->gp.x[0] = x0;
	v->gp.pc = pc;
	v->gp.pstate = PSTATE_EL1H_MASKED;
	v->el1.sctlr_el1 = SCTLR_EL1_RESET;
	v->ich_vmcr = 0;
	kc_memset(v->lr, 0, sizeof(v->lr));
	v->underflow = false;
	kc_memset(v->ap0r, 0, sizeof(v->ap0r));
	kc_memset(v->ap1r, 0, sizeof(v->ap1r));
	v->pending = PENDING_NONE;
	v->ran = false;
}

/* EL1 registers KCORE_HC_VCPU_SET_REG reaches, by KCORE_REG_* - KCORE_REG_SCTLR_EL1. */
static u64 *el1_reg(struct vcpu *v, u64 reg)
{
	struct el1_sysregs *r = &v->el1;
	u64 *const regs[] = {
		&r->sctlr_el1, &r->cpacr_el1,	&r->ttbr0_el1,	 &r->ttbr1_el1,	 &r->tcr_el1,  &r->esr_el1,
		&r->afsr0_el1, &r->afsr1_el1,	&r->far_el1,	 &r->mair_el1,	 &r->vbar_el1, &r->contextidr_el1,
		&r->amair_el1, &r->cntkctl_el1, &r->par_el1,	 &r->tpidr_el1,	 &r->sp_el1,   &r->elr_el1,
		&r->spsr_el1,  &r->tpidr_el0,	&r->tpidrro_el0, &r->csselr_el1,
	};

	_Static_assert(sizeof(regs) / sizeof(regs[0]) == KCORE_REG_COUNT - KCORE_REG_SCTLR_EL1, "one per KCORE_REG_*");
	return reg >= KCORE_REG_SCTLR_EL1 && reg < KCORE_REG_COUNT ? regs[reg - KCORE_REG_SCTLR_EL1] : NULL;
}

/* AArch64 EL0t, EL1t or EL1h with any flags and exception masks; nothing else. */
static bool pstate_ok(u64 val)
{
	u64 mode = val & PSTATE_MODE_MASK;

	return !(val & ~(PSTATE_NZCV | PSTATE_DAIF | PSTATE_MODE_MASK)) &&
	       (mode == PSTATE_MODE_EL0T || mode == PSTATE_MODE_EL1T || mode == PSTATE_MODE_EL1H);
}

int vcpu_set_initial_reg(struct vcpu *v, u64 reg, u64 val)
{
	u64 *p = el1_reg(v, reg);

	if (v->ran)
		return -KCORE_EACCES;
	if (reg <= KCORE_REG_X(30))
		v->gp.x[reg] = val;
	else if (reg == KCORE_REG_SP_EL0)
		v->el1.sp_el0 = val;
	else if (reg == KCORE_REG_PC)
		v->gp.pc = val;
	else if (reg == KCORE_REG_PSTATE && pstate_ok(val))
		v->gp.pstate = val;
	else if (p)
		*p = val;
	else
		return -KCORE_EINVAL;
	return 0;
}

static void set_reg(struct vcpu *v, u32 rt, u64 val)
{
	if (rt < 31) /* 31 is XZR: the value is dropped */
		v->gp.x[rt] = val;
}

static u64 mmio_read_value(const struct vcpu *v, u64 val)
{
	u32 bits = 8U << v->mmio_size;

	if (bits < 64)
		val &= (1UL << bits) - 1;
	if (v->mmio_sign_extend && bits < 64 && (val >> (bits - 1)) & 1)
		val |= ~0UL << bits;
	if (!v->mmio_sf)
		val &= 0xffffffffUL;
	return val;
}

/* An interrupt KServ may put in a list register: an SGI, PPI, SPI or LPI
 * number, no reserved bits, and only list registers the GIC has. */
static bool lrs_ok(const u64 *lr)
{
	u32 i;

	for (i = 0; i < KCORE_VGIC_LRS; i++) {
		u64 id = LR_VINTID(lr[i]);

		if (i >= vgic_nr_lrs ? lr[i] != 0 : (lr[i] & ~LR_VALID_BITS) != 0)
			return false;
		if (LR_STATE(lr[i]) && id >= 1020 && id < 8192)
			return false;
	}
	return true;
}

/* @lr passed lrs_ok() (vcpu_apply_answer() checks before it changes anything). */
static void apply_lrs(struct vcpu *v, u64 flags, const u64 *lr)
{
	u32 i;

	if (!(flags & KCORE_ANSWER_LRS))
		return;
	for (i = 0; i < KCORE_VGIC_LRS; i++)
		v->lr[i] = lr[i];
}

static int apply_exit_answer(struct vcpu *v, u64 flags, const u64 *val);

/* Vector offset from VBAR_EL1 for an exception taken from @pstate. */
static u64 vector_offset(u64 pstate)
{
	if (pstate & (1UL << 4))
		return 0x600; /* AArch32 EL0 */
	switch (pstate & 0xf) {
	case 0x4:
		return 0x000; /* EL1t */
	case 0x5:
		return 0x200; /* EL1h */
	default:
		return 0x400; /* EL0 */
	}
}

/* The guest takes an undefined-instruction exception at its EL1, as if the
 * instruction that exited had not existed. */
static void inject_undef(struct vcpu *v)
{
	u64 pc = v->gp.pc - (v->pending == PENDING_HVC ? 4 : 0); /* the PC already moved past an HVC/SMC */

	v->el1.esr_el1 = 1UL << 25; /* EC 0 (unknown), IL */
	v->el1.elr_el1 = pc;
	v->el1.spsr_el1 = v->gp.pstate;
	v->gp.pc = v->el1.vbar_el1 + vector_offset(v->gp.pstate);
	v->gp.pstate = PSTATE_EL1H_MASKED;
	v->pending = PENDING_NONE;
}

int vcpu_apply_answer(struct vcpu *v, u64 flags, const u64 *val)
{
	u64 answer = flags & (KCORE_ANSWER_VALID | KCORE_ANSWER_UNDEF);

	if (flags & ~(u64)(KCORE_ANSWER_VALID | KCORE_ANSWER_LRS | KCORE_ANSWER_UNDEF | KCORE_ANSWER_UNDERFLOW))
		return -KCORE_EINVAL;
	if ((flags & KCORE_ANSWER_LRS) && !lrs_ok(val + 4))
		return -KCORE_EINVAL;
	if (answer == (KCORE_ANSWER_VALID | KCORE_ANSWER_UNDEF) || (answer && v->pending == PENDING_NONE) ||
	    (answer == KCORE_ANSWER_VALID && v->pending == PENDING_TRAP))
		return -KCORE_EINVAL; /* contradictory, or nothing (of that kind) was asked */
	apply_lrs(v, flags, val + 4);
	v->underflow = (flags & KCORE_ANSWER_UNDERFLOW) != 0;
	if (answer == KCORE_ANSWER_UNDEF) {
		inject_undef(v);
		return 0;
	}
	return apply_exit_answer(v, flags, val);
}

static int apply_exit_answer(struct vcpu *v, u64 flags, const u64 *val)
{
	enum pending p = v->pending;
	u32 i;

	if (!(flags & KCORE_ANSWER_VALID)) {
		/* No answer: a faulting access is retried (KServ mapped the
		 * page); an HVC returns with the guest's registers as they were. */
		v->pending = PENDING_NONE;
		return 0;
	}
	switch (p) {
	case PENDING_HVC:
		for (i = 0; i < 4; i++)
			v->gp.x[i] = val[i];
		break;
	case PENDING_MMIO_READ:
		set_reg(v, v->rt, mmio_read_value(v, val[0]));
		v->gp.pc += 4;
		break;
	case PENDING_MMIO_WRITE:
	case PENDING_SYSREG_WRITE:
		v->gp.pc += 4;
		break;
	case PENDING_SYSREG_READ:
		set_reg(v, v->rt, val[0]);
		v->gp.pc += 4;
		break;
	default:
		return -KCORE_EINVAL; /* nothing was asked */
	}
	v->pending = PENDING_NONE;
	return 0;
}

static u64 fault_ipa(const struct raw_exit *e)
{
	return ((e->hpfar >> 4) << 12) | (e->far & 0xfff);
}

static void decode_abort(struct vcpu *v, const struct raw_exit *e, struct exit_record *rec)
{
	bool write = (e->esr & ISS_WNR) && !(e->esr & ISS_S1PTW);

	rec->data[0] = fault_ipa(e);
	if (!(e->esr & ISS_ISV) || (e->esr & ISS_S1PTW)) {
		rec->reason = KCORE_EXIT_MEM_FAULT;
		rec->data[0] &= ~(PAGE_SIZE - 1);
		rec->data[1] = write ? KCORE_MMIO_WRITE : 0;
		return;
	}
	v->rt = ISS_SRT(e->esr);
	v->mmio_size = ISS_SAS(e->esr);
	v->mmio_sign_extend = (e->esr & ISS_SSE) != 0;
	v->mmio_sf = (e->esr & ISS_SF) != 0;
	rec->reason = KCORE_EXIT_MMIO;
	rec->data[1] = v->mmio_size | (write ? KCORE_MMIO_WRITE : 0);
	if (write) {
		u64 val = v->rt < 31 ? v->gp.x[v->rt] : 0;
		u32 bits = 8U << v->mmio_size;

		rec->data[2] = bits < 64 ? val & ((1UL << bits) - 1) : val;
		v->pending = PENDING_MMIO_WRITE;
	} else {
		v->pending = PENDING_MMIO_READ;
	}
}

/* MRS/MSR of a trapped system register: which one, the direction, and for
 * a write the value; a read is answered with the value to load. */
static void decode_sysreg(struct vcpu *v, u64 esr, struct exit_record *rec)
{
	bool read = esr & 1;

	v->rt = (u32)(esr >> 5) & 31;
	rec->reason = KCORE_EXIT_SYSREG;
	rec->data[0] = esr & KCORE_SYSREG_MASK;
	rec->data[1] = read;
	rec->data[2] = read || v->rt == 31 ? 0 : v->gp.x[v->rt];
	v->pending = read ? PENDING_SYSREG_READ : PENDING_SYSREG_WRITE;
}

static void decode_sync(struct vcpu *v, const struct raw_exit *e, struct exit_record *rec)
{
	u32 i;

	switch (ESR_EC(e->esr)) {
	case EC_SMC64:
		v->gp.pc += 4; /* a trapped SMC returns to itself */
			       /* fall through */
	case EC_HVC64:
		rec->reason = KCORE_EXIT_HVC;
		for (i = 0; i < 4; i++)
			rec->data[i] = v->gp.x[i];
		v->pending = PENDING_HVC;
		break;
	case EC_WFX:
		v->gp.pc += 4;
		rec->reason = KCORE_EXIT_WFI;
		break;
	case EC_DABT_LOW:
		decode_abort(v, e, rec);
		break;
	case EC_IABT_LOW:
		rec->reason = KCORE_EXIT_MEM_FAULT;
		rec->data[0] = fault_ipa(e) & ~(PAGE_SIZE - 1);
		break;
	case EC_SYSREG:
		decode_sysreg(v, e->esr, rec);
		break;
	default:
		rec->reason = KCORE_EXIT_TRAP;
		rec->data[0] = e->esr;
		v->pending = PENDING_TRAP;
	}
}

void vcpu_decode_exit(struct vcpu *v, const struct raw_exit *e, struct exit_record *rec)
{
	u32 i;

	kc_memset(rec, 0, sizeof(*rec));
	for (i = 0; i < KCORE_VGIC_LRS; i++)
		rec->lr[i] = v->lr[i];
	rec->timer_ctl = v->el1.cntv_ctl_el0;
	rec->timer_cval = v->el1.cntv_cval_el0;
	v->pending = PENDING_NONE;
	if (e->kind == 0) {
		decode_sync(v, e, rec);
	} else if (e->kind == 3) { /* SError */
		rec->reason = KCORE_EXIT_TRAP;
		rec->data[0] = e->esr;
	} else {
		rec->reason = KCORE_EXIT_IRQ;
	}
}
