/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNIT_FAKE_ARCH_H
#define UNIT_FAKE_ARCH_H

#include "arch.h"
#include "palloc.h"
#include "vcpu.h"

enum tlbi_kind { TLBI_S2_IPA = 1, TLBI_S2_VMID, TLBI_EL2_VA, TLBI_EL2_ALL };

struct tlbi_rec {
	enum tlbi_kind kind;
	u16 vmid;
	u64 addr;
	u32 level;
};

#define FAKE_MAX_TLBI 4096
#define FAKE_MAX_SMC 16
#define FAKE_WARM_ENTRY 0x4000100000UL

struct fake_arch {
	char console[8192];
	size_t console_len;
	u64 publishes;
	struct tlbi_rec tlbi[FAKE_MAX_TLBI];
	u32 ntlbi;
	u64 cache_cleans;
	u64 icache_invals;
	u64 cleans_before_inval; /* cache_cleans when the last I-cache invalidation came */
	u64 smc[FAKE_MAX_SMC][4];
	u32 nsmc;
	s64 smc_ret;
	struct raw_exit next_exit; /* what the next arch_vcpu_run() reports */
	u32 runs;
	u32 local_flushes;  /* arch_vcpu_run() told to flush the CPU's TLB/I-cache */
	bool ran_underflow; /* the last run asked for an underflow maintenance interrupt */
	u32 cpu;	    /* what arch_cpu_index() answers */
};

extern struct fake_arch fake;

void fake_reset(void);
/* Returns the pool's memory, for the caller to free. */
void *fake_pool(struct page_pool *p, u64 npages);

#endif /* UNIT_FAKE_ARCH_H */
