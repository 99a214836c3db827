/* SPDX-License-Identifier: GPL-2.0 */
/* Per-CPU state: one record per CPU in the device tree, in the carve-out. */
#ifndef KCORE_PERCPU_H
#define KCORE_PERCPU_H

#include "types.h"

enum cpu_state {
	CPU_OFF = 0,
	CPU_ON_PENDING = 1, /* KServ asked for it to be powered on */
	CPU_ON = 2,
};

/* EL2 trap configuration while KServ runs, computed once per CPU. */
struct host_traps {
	u64 hcr;
	u64 cptr;
	u64 mdcr;
	u64 cnthctl;
	u64 vtcr;
	u64 hfgrtr; /* fine-grained traps, when FEAT_FGT exists */
	u64 hfgwtr;
	u64 hcrx; /* when FEAT_HCX exists */
	bool has_fgt;
	bool has_hcx;
	bool has_pauth; /* keys to switch for guests */
};

struct percpu {
	u64 stack_top; /* read by the warm entry in assembly: keep first */
	u64 guest_gp;  /* the running guest's struct gp_regs (assembly) */
	u32 index;
	u32 state; /* enum cpu_state, changed atomically */
	u64 mpidr;
	u64 kserv_entry; /* where KServ continues after power-on or resume */
	u64 kserv_ctx;	 /* and its x0 */
	u64 denials;	 /* stage-2 accesses refused on this CPU */
	struct host_traps host;
} __attribute__((aligned(64)));

#endif /* KCORE_PERCPU_H */
