/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An executable model of the multiprocessor memory system that KCore's
 * update sequences run against (see model.c for the rules it checks).
 *
 * CPU 0 runs KCore's real code (the files of kcore/, unchanged) through the model's
 * architecture layer (model_arch.c): every descriptor store, TLB
 * invalidation and cache maintenance operation is a step of CPU 0. The other
 * CPUs are adversaries: each runs KServ or a VM and may, between any two of
 * those steps and any number of times, fill its TLB by walking the current
 * page tables, read or write a tracked frame through a translation it holds
 * (cacheable or non-cacheable), switch to another principal, or let a dirty
 * cache line be written back. The checker explores every such interleaving
 * exhaustively: the set of reachable adversary states is closed under their
 * actions before and after each step of CPU 0.
 */
#ifndef MODEL_H
#define MODEL_H

#include "types.h"

#define MODEL_ADV_CPUS 2   /* CPUs 1 and 2; CPU 0 runs KCore */
#define MODEL_MAX_FRAMES 6 /* tracked frames (one word each) */
#define MODEL_MAX_TLB 8	   /* entries per CPU TLB */
#define MODEL_MAX_PRINC 8  /* KServ, KCore and VM incarnations */
#define MODEL_MAX_IPAS 2   /* guest IPAs a VM touches */

/* Principals: who runs on a CPU, and who wrote a value. */
enum { P_KSERV = 0, P_KCORE = 1, P_VM_FIRST = 2 };

/* Seeded bugs: the model's architecture layer drops what KCore asked for. */
enum model_bug {
	BUG_NONE = 0,
	BUG_NO_TLBI_IPA = 1 << 0,  /* arch_tlbi_s2_ipa() does nothing */
	BUG_NO_TLBI_VMID = 1 << 1, /* arch_tlbi_s2_vmid() does nothing */
	BUG_NO_CLEAN = 1 << 2,	   /* arch_dcache_clean_inval_poc() does nothing */
	BUG_NO_SCRUB = 1 << 3,	   /* a tracked frame is not zeroed when KCore scrubs it */
};

/* The events of CPU 0 that model_arch.c reports. */
enum model_event {
	EV_PTE_WRITE,
	EV_PUBLISH,
	EV_TLBI_S2_IPA,
	EV_TLBI_S2_VMID,
	EV_DCACHE_CLEAN,
	EV_OP_END,
};

struct model_stats {
	u64 steps;	 /* steps of CPU 0 explored */
	u64 states;	 /* distinct adversary states, summed over steps */
	u64 max_states;	 /* the largest state set */
	u64 transitions; /* adversary actions tried */
};

extern enum model_bug model_bug;
extern struct model_stats model_stats;

/* Start a scenario: the machine (fixture RAM, KCore's records, KServ's
 * stage-2) must be set up; adversary CPUs run KServ with empty TLBs and
 * caches; every tracked frame's word holds KServ's data. */
void model_begin(void);
/* Track the frame at @p (RAM). */
void model_track(paddr_t p);
/* VM @h was created: a new incarnation runs when a CPU switches to it,
 * touching @n IPAs from @ipas. */
void model_vm_created(u32 h, const u64 *ipas, u32 n);
/* VM @h is about to be destroyed: its vCPUs stop (KCore refuses to
 * destroy a VM with a running vCPU) and it never runs again. */
void model_vm_stopping(u32 h);
/* Called by model_arch.c for each event of CPU 0, before its effect. */
void model_event(enum model_event ev, u64 a, u64 b);
/* A KCore call starts (for the messages) and has returned: close the state
 * set, then check the op-end rules. */
void model_op_begin(const char *what);
void model_op_end(void);
/* The first violation found since model_begin(), or NULL. */
const char *model_violation(void);
/* Whether the model reacts to events (off while the fixture boots). */
extern bool model_active;
/* The tracked frame holding @p, or -1. */
int model_frame_index(u64 p);

#endif /* MODEL_H */
