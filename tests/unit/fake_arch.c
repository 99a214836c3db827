// SPDX-License-Identifier: GPL-2.0
/*
 * The fake architecture for host unit tests. "Physical" addresses of page
 * tables are host pointers (identity), the console goes to a buffer, and
 * every TLB invalidation and cache operation is recorded so that tests can
 * assert exactly which ones the core asked for.
 */
#include <stdlib.h>
#include <string.h>

#include "fake_arch.h"

struct fake_arch fake;

void *arch_pa_to_va(paddr_t p)
{
	return (void *)(uintptr_t)p.v;
}

void arch_console_putc(char c)
{
	if (fake.console_len + 1 < sizeof(fake.console))
		fake.console[fake.console_len++] = c;
	fake.console[fake.console_len] = '\0';
}

void arch_lock_wait(void)
{
}

void arch_lock_wake(void)
{
}

void arch_pte_write(u64 *ptep, u64 v)
{
	*ptep = v;
}

void arch_pte_publish(void)
{
	fake.publishes++;
}

static void record(enum tlbi_kind kind, u16 vmid, u64 addr, u32 level)
{
	if (fake.ntlbi < FAKE_MAX_TLBI)
		fake.tlbi[fake.ntlbi] = (struct tlbi_rec){ kind, vmid, addr, level };
	fake.ntlbi++;
}

void arch_tlbi_s2_ipa(u16 vmid, u64 ipa, u32 level)
{
	record(TLBI_S2_IPA, vmid, ipa, level);
}

void arch_tlbi_s2_vmid(u16 vmid)
{
	record(TLBI_S2_VMID, vmid, 0, 0);
}

void arch_tlbi_el2_va(u64 va, u32 level)
{
	record(TLBI_EL2_VA, 0, va, level);
}

void arch_tlbi_el2_all(void)
{
	record(TLBI_EL2_ALL, 0, 0, 0);
}

void arch_dcache_clean_inval_poc(const void *va, u64 size)
{
	fake.cache_cleans++;
}

void arch_icache_inval_all(void)
{
	fake.icache_invals++;
	fake.cleans_before_inval = fake.cache_cleans;
}

void arch_firmware_smc(u64 r[4])
{
	u32 i;

	if (fake.nsmc < FAKE_MAX_SMC)
		for (i = 0; i < 4; i++)
			fake.smc[fake.nsmc][i] = r[i];
	fake.nsmc++;
	r[0] = (u64)fake.smc_ret;
}

u64 arch_warm_entry_pa(void)
{
	return FAKE_WARM_ENTRY;
}

void arch_vcpu_run(struct vm *vm, struct vcpu *v, struct raw_exit *e, bool flush_local)
{
	fake.runs++;
	fake.local_flushes += flush_local;
	fake.ran_underflow = v->underflow;
	*e = fake.next_exit;
}

u32 arch_cpu_index(void)
{
	return fake.cpu;
}

void arch_halt(void)
{
	abort();
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

/* A pool of page-aligned host pages whose addresses serve as "PAs". */
void *fake_pool(struct page_pool *p, u64 npages)
{
	void *mem = aligned_alloc(PAGE_SIZE, npages * PAGE_SIZE);

	pool_init(p);
	pool_add(p, pa((u64)(uintptr_t)mem), npages);
	return mem;
}
