/* SPDX-License-Identifier: GPL-2.0 */
/* KCore's global state, set up once at boot by the primary CPU. */
#ifndef KCORE_KCORE_H
#define KCORE_KCORE_H

#include "layout.h"
#include "owner.h"
#include "palloc.h"
#include "percpu.h"
#include "pgtable.h"
#include "platform.h"
#include "spinlock.h"
#include "vm.h"

/* KServ's stage-2; changed only under kc.frames.lock (spinlock.h). */
struct host_s2 {
	struct pgtable pt;
};

struct kcore {
	struct platform plat;
	struct frames frames;
	struct page_pool pool;
	struct host_s2 host;
	struct percpu *cpus; /* plat.ncpus records */
	ticket_lock_t vm_lock;
	struct vm *vms[KCORE_MAX_VMS]; /* live VMs by handle */
	u64 carve_base;
	u64 carve_size;
	u32 pa_bits;
};

extern struct kcore kc;

/*
 * Set up the ownership records, the page pool and the per-CPU records in
 * the carve-out described by @plan at @carve_base (mapped, KCore's image
 * already in its first plan->image_size bytes). The pool is set up first
 * so that the caller can build page tables before the rest.
 */
void kcore_carveout_pool(u64 carve_base, const struct carveout_plan *plan);
int kcore_carveout_records(const struct carveout_plan *plan);

/* KServ's stage-2: identity map of the RAM it owns, built at boot. */
int host_s2_init(u32 ipa_bits);
enum s2_fault {
	S2_FAULT_HANDLED, /* mapped: let KServ retry */
	S2_FAULT_DENIED,  /* not KServ's: it gets an abort */
	S2_FAULT_NOMEM,	  /* KServ's, but the pool has no table page left */
};
/* A stage-2 fault from KServ at @ipa; *@owner gets the frame's owner. The
 * contract of what it may map is in host_s2.c (fault_locked()). */
enum s2_fault host_s2_fault(u64 ipa, u16 *owner);

/* KServ's hypercalls (HVC): x[0..7] in, x[0..3] out. */
void hypercall_handle(u64 *x);

/* KServ's SMCs: PSCI relayed with CPU_ON/suspend intercepted, a few SMCCC
 * architecture calls forwarded, everything else NOT_SUPPORTED. */
void smc_handle(u64 *x, struct percpu *self);

#endif /* KCORE_KCORE_H */
