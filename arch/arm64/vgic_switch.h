/* SPDX-License-Identifier: GPL-2.0 */
#ifndef ARM64_VGIC_SWITCH_H
#define ARM64_VGIC_SWITCH_H

#include "../../kcore/vcpu.h"

/* Read the GIC's list register and priority counts (once, at boot). */
void vgic_switch_init(void);
/* Empty this CPU's list registers (at its EL2 set-up). */
void vgic_cpu_reset(void);
/* Load @v's virtual CPU interface state and turn the interface on; the
 * mask of list registers it filled. */
u32 vgic_load(const struct vcpu *v);
/* Save @v's state and leave the interface off and empty for KServ. */
void vgic_put(struct vcpu *v, u32 used);

#endif
