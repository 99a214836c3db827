// SPDX-License-Identifier: GPL-2.0
/*
 * The GICv3 virtual CPU interface across the world switch: a vCPU's list
 * registers, active priorities and control state are loaded while it runs
 * and saved when it leaves; KServ runs with the virtual interface off.
 */
#include "arm64.h"
#include "sysreg.h"
#include "vgic_switch.h"

#define ICH_HCR_EN 1UL
#define ICH_HCR_UIE 2UL /* maintenance interrupt when at most one LR is valid */

static u32 nr_aprs; /* active-priority registers per group: 1, 2 or 4 */

/* The list registers KCore uses: the GIC's, at most KCORE_VGIC_LRS. */
static u32 lrs_used(u64 vtr)
{
	u32 lrs = (u32)(vtr & 0x1f) + 1;

	return lrs < KCORE_VGIC_LRS ? lrs : KCORE_VGIC_LRS;
}

void vgic_switch_init(void)
{
	u64 vtr = read_sysreg(ICH_VTR_EL2);
	u32 pribits = (u32)((vtr >> 29) & 7) + 1;

	vgic_nr_lrs = lrs_used(vtr);
	vgic_ich_vtr = vtr;
	nr_aprs = pribits >= 7 ? 4 : pribits == 6 ? 2 : 1;
}

static void write_lr(u32 i, u64 v)
{
	switch (i) {
	case 0:
		write_sysreg(ICH_LR0_EL2, v);
		break;
	case 1:
		write_sysreg(ICH_LR1_EL2, v);
		break;
	case 2:
		write_sysreg(ICH_LR2_EL2, v);
		break;
	default:
		write_sysreg(ICH_LR3_EL2, v);
	}
}

static u64 read_lr(u32 i)
{
	switch (i) {
	case 0:
		return read_sysreg(ICH_LR0_EL2);
	case 1:
		return read_sysreg(ICH_LR1_EL2);
	case 2:
		return read_sysreg(ICH_LR2_EL2);
	default:
		return read_sysreg(ICH_LR3_EL2);
	}
}

static void write_aprs(const u64 *ap0, const u64 *ap1)
{
	write_sysreg(ICH_AP0R0_EL2, ap0[0]);
	write_sysreg(ICH_AP1R0_EL2, ap1[0]);
	if (nr_aprs > 1) {
		write_sysreg(ICH_AP0R1_EL2, ap0[1]);
		write_sysreg(ICH_AP1R1_EL2, ap1[1]);
	}
	if (nr_aprs > 2) {
		write_sysreg(ICH_AP0R2_EL2, ap0[2]);
		write_sysreg(ICH_AP1R2_EL2, ap1[2]);
		write_sysreg(ICH_AP0R3_EL2, ap0[3]);
		write_sysreg(ICH_AP1R3_EL2, ap1[3]);
	}
}

static void read_aprs(u64 *ap0, u64 *ap1)
{
	ap0[0] = read_sysreg(ICH_AP0R0_EL2);
	ap1[0] = read_sysreg(ICH_AP1R0_EL2);
	if (nr_aprs > 1) {
		ap0[1] = read_sysreg(ICH_AP0R1_EL2);
		ap1[1] = read_sysreg(ICH_AP1R1_EL2);
	}
	if (nr_aprs > 2) {
		ap0[2] = read_sysreg(ICH_AP0R2_EL2);
		ap1[2] = read_sysreg(ICH_AP1R2_EL2);
		ap0[3] = read_sysreg(ICH_AP0R3_EL2);
		ap1[3] = read_sysreg(ICH_AP1R3_EL2);
	}
}

/*
 * Outside a guest every list register KCore uses is zero (invalid): set so
 * on each CPU at its EL2 set-up, and vgic_put() empties the ones a guest had.
 */
void vgic_cpu_reset(void)
{
	u32 i, lrs = lrs_used(read_sysreg(ICH_VTR_EL2));

	for (i = 0; i < lrs; i++)
		write_lr(i, 0);
}

/*
 * Only the vCPU's valid list registers are written (the others are zero
 * already). The GIC never makes an invalid list register valid, so the
 * mask returned is every one vgic_put() has to read back.
 */
u32 vgic_load(const struct vcpu *v)
{
	u32 i, used = 0;

	write_sysreg(ICH_VMCR_EL2, v->ich_vmcr);
	write_aprs(v->ap0r, v->ap1r);
	for (i = 0; i < vgic_nr_lrs; i++) {
		if (v->lr[i]) {
			write_lr(i, v->lr[i]);
			used |= 1U << i;
		}
	}
	write_sysreg(ICH_HCR_EL2, ICH_HCR_EN | (v->underflow ? ICH_HCR_UIE : 0));
	return used;
}

/*
 * The active priorities and VMCR keep the guest's values while KServ runs:
 * they are EL2 registers KServ cannot read, the virtual interface is off,
 * and the next vgic_load() overwrites them. The list registers @used are
 * read back and emptied; the vCPU's others stayed zero.
 */
void vgic_put(struct vcpu *v, u32 used)
{
	u32 i;

	write_sysreg(ICH_HCR_EL2, 0); /* KServ runs with the virtual interface off */
	v->ich_vmcr = read_sysreg(ICH_VMCR_EL2);
	read_aprs(v->ap0r, v->ap1r);
	for (i = 0; i < vgic_nr_lrs; i++) {
		if (used & (1U << i)) {
			v->lr[i] = read_lr(i);
			write_lr(i, 0);
		}
	}
}
