/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between KCore's portable core and the architecture. The
 * arm64 implementation lives in arch/arm64/; the host unit tests provide a
 * fake one (tests/unit/fake_arch.c) that records every TLB invalidation and
 * cache operation the core asks for.
 */
#ifndef KCORE_ARCH_H
#define KCORE_ARCH_H

#include "types.h"

/* Translation of physical addresses to KCore's virtual addresses. All of RAM
 * is mapped in KCore's EL2 stage-1 once boot has finished. */
void *arch_pa_to_va(paddr_t p);

/* Console. */
void arch_console_putc(char c);

/* Ticket-lock waiting: wait for an event, and signal one after unlocking. */
void arch_lock_wait(void);
void arch_lock_wake(void);

/* Page-table maintenance. arch_pte_write() is the single-copy atomic store
 * of one descriptor (every descriptor store goes through it, so that the
 * memory-model checker sees each one); arch_pte_publish() orders a PTE
 * store before any later table walk (invalid -> valid needs no TLB
 * invalidation). */
void arch_pte_write(u64 *ptep, u64 v);
void arch_pte_publish(void);
/* Invalidate TLB entries for one input address of a stage-2 table (VMID
 * @vmid), then the combined stage-1+2 entries of that VMID. */
void arch_tlbi_s2_ipa(u16 vmid, u64 ipa, u32 level);
/* Invalidate every TLB entry of VMID @vmid (stage-2 and combined). */
void arch_tlbi_s2_vmid(u16 vmid);
/* Invalidate KCore's own EL2 stage-1 TLB entries for @va, or all of them. */
void arch_tlbi_el2_va(u64 va, u32 level);
void arch_tlbi_el2_all(void);
/* Clean (write back) and invalidate data cache lines to the point of
 * coherency, so that non-cacheable observers see the data. */
void arch_dcache_clean_inval_poc(const void *va, u64 size);

/* Invalidate every instruction cache of the inner-shareable domain, so that
 * instruction fetches see memory as it is (a page about to be executed by a
 * guest). Data written before must already be cleaned to at least the point
 * of unification: KCore cleans pages it takes to the point of coherency. */
void arch_icache_inval_all(void);

/* Call the firmware (EL3) with an SMC: x0..x3 from r[0..3], results back
 * into r[0..3]. */
void arch_firmware_smc(u64 r[4]);
/* Physical address of KCore's warm entry, for PSCI CPU_ON and resume. */
u64 arch_warm_entry_pa(void);

/* This CPU's index (0 .. ncpus-1), from TPIDR_EL2. */
u32 arch_cpu_index(void);

/* Stop this CPU for good after an internal invariant failed. */
void arch_halt(void) __attribute__((noreturn));

#endif /* KCORE_ARCH_H */
