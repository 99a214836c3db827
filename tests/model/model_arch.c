// SPDX-License-Identifier: GPL-2.0
/*
 * kcore/arch.h for the memory-model checker. Physical addresses are host
 * addresses (as in the unit tests); every page-table store, TLB
 * invalidation and cache operation becomes an event of CPU 0 for the model
 * (model.c) before it takes effect. A seeded bug (model_bug) drops the
 * operation, as if KCore had not asked for it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "model.h"
#include "vcpu.h"

void *arch_pa_to_va(paddr_t p)
{
	return (void *)(uintptr_t)p.v;
}

void arch_console_putc(char c)
{
	(void)c; /* KCore's log: not needed by the model */
}

void arch_lock_wait(void)
{
}

void arch_lock_wake(void)
{
}

void arch_pte_write(u64 *ptep, u64 v)
{
	model_event(EV_PTE_WRITE, (u64)(uintptr_t)ptep, v);
	*ptep = v;
}

void arch_pte_publish(void)
{
	model_event(EV_PUBLISH, 0, 0);
}

void arch_tlbi_s2_ipa(u16 vmid, u64 ipa, u32 level)
{
	(void)level;
	if (!(model_bug & BUG_NO_TLBI_IPA))
		model_event(EV_TLBI_S2_IPA, vmid, ipa);
}

void arch_tlbi_s2_vmid(u16 vmid)
{
	if (!(model_bug & BUG_NO_TLBI_VMID))
		model_event(EV_TLBI_S2_VMID, vmid, 0);
}

void arch_tlbi_el2_va(u64 va, u32 level)
{
	(void)va;
	(void)level; /* KCore's own stage-1: not modelled */
}

void arch_tlbi_el2_all(void)
{
}

void arch_dcache_clean_inval_poc(const void *va, u64 size)
{
	if (!(model_bug & BUG_NO_CLEAN))
		model_event(EV_DCACHE_CLEAN, (u64)(uintptr_t)va, size);
}

void arch_icache_inval_all(void)
{
}

void arch_firmware_smc(u64 r[4])
{
	r[0] = (u64)-1;
}

u64 arch_warm_entry_pa(void)
{
	return 0;
}

u32 arch_cpu_index(void)
{
	return 0;
}

void arch_halt(void)
{
	fprintf(stderr, "model: KCore halted (an internal check failed)\n");
	abort();
}

void arch_vcpu_run(struct vm *vm, struct vcpu *v, struct raw_exit *e, bool flush_local)
{
	(void)vm;
	(void)v;
	(void)e;
	(void)flush_local;
	fprintf(stderr, "model: the scenarios run no vCPU\n");
	abort();
}

/* Seeded "missing scrub": linked with --wrap=kc_memset, so KCore's calls
 * from other files (mem_protect.c's scrub among them) come here. */
void *__real_kc_memset(void *dst, int c, size_t n);
void *__wrap_kc_memset(void *dst, int c, size_t n);

void *__wrap_kc_memset(void *dst, int c, size_t n)
{
	u64 p = (u64)(uintptr_t)dst;

	/* Only the scrub of a guest page: KCore's own records must stay sane. */
	if ((model_bug & BUG_NO_SCRUB) && n == PAGE_SIZE && model_frame_index(p) >= 0 &&
	    owner_is_vm(frames_owner(&kc.frames, pa(p))))
		return dst;
	return __real_kc_memset(dst, c, n);
}
