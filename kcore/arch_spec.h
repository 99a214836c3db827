/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ACSL contracts of the arch_* functions (arch.h) that the proved files call.
 * Only Frama-C reads this header (__FRAMAC__, scripts/prove.sh): every
 * contract here is an assumption the proofs rest on, not something they
 * prove. docs/verification.md lists them.
 */
#ifndef KCORE_ARCH_SPEC_H
#define KCORE_ARCH_SPEC_H

#include "arch.h"

/*@ axiomatic KcoreVa {
      // KCore's virtual address of physical address p, as arch_pa_to_va()
      // gives it. Nothing is assumed of it beyond being a function of p:
      // that a page is mapped is each caller's precondition.
      logic void *kva(integer p);
    }
 */

/*@ assigns \nothing;
    ensures \result == kva(p.v);
 */
void *arch_pa_to_va(paddr_t p);

/* Cache maintenance changes no value that KCore reads or writes: it only
 * writes dirty lines back to memory and drops them from the caches, so that
 * every observer (cacheable or not) sees what KCore's coherent view holds.
 * That KCore calls it where needed is what the memory model checks
 * (tests/model/). */
/*@ assigns \nothing; */
void arch_dcache_clean_inval_poc(const void *va, u64 size);

#endif /* KCORE_ARCH_SPEC_H */
