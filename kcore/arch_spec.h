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

      // The same address as a pointer to 64-bit words (a page's 512
      // descriptors, or a free page's link): (u64 *)kva(p), which
      // arch_pa_to_va() ensures, named without a cast so that global
      // annotations (axioms, reads clauses) can use it.
      logic u64 *kva_words(integer p);

      // KCore's linear map gives each page its own memory, apart from every
      // other page's: the page is a function of the block its words are in
      // (so distinct pages are distinct blocks).
      logic integer kva_page(char *b);
      axiom kva_words_apart:
	\forall integer p; p % 0x1000 == 0 ==> kva_page(\base_addr(kva_words(p))) == p;
    }
 */

/*@ assigns \nothing;
    ensures \result == kva(p.v);
    ensures (u64 *)\result == kva_words(p.v);
 */
void *arch_pa_to_va(paddr_t p);

/*
 * Break-before-make (Arm ARM D8.16.1), as ghost state that only the
 * contracts below change. bbm_pending is 1 from the moment a valid
 * descriptor is overwritten (necessarily with an invalid one) until the
 * next TLB invalidation; pte_unpublished is 1 from a store of a valid
 * descriptor until the next arch_pte_publish(). tlbi_kind, tlbi_vmid,
 * tlbi_addr and tlbi_level describe the last TLB invalidation (kind: one of
 * the KC_TLBI_* below, KC_TLBI_NONE before any). The contracts make every
 * descriptor store respect the protocol: a valid descriptor is only
 * written over an invalid one, and never while an invalidation is pending.
 */
/*@ ghost int bbm_pending; */
/*@ ghost int pte_unpublished; */
/*@ ghost int tlbi_kind; */
/*@ ghost u16 tlbi_vmid; */
/*@ ghost u64 tlbi_addr; */
/*@ ghost u32 tlbi_level; */
#define KC_TLBI_NONE 0
#define KC_TLBI_S2_IPA 1
#define KC_TLBI_S2_VMID 2
#define KC_TLBI_EL2_VA 3
#define KC_TLBI_EL2_ALL 4

/*@ requires \valid(ptep);
    requires bbm_pending == 0;
    requires (v & 1) != 0 ==> (*ptep & 1) == 0;
    assigns *ptep, bbm_pending, pte_unpublished;
    ensures *ptep == v;
    ensures bbm_pending == ((\old(*ptep) & 1) != 0 ? 1 : 0);
    ensures pte_unpublished == ((v & 1) != 0 ? 1 : \old(pte_unpublished));
 */
void arch_pte_write(u64 *ptep, u64 v);

/*@ assigns pte_unpublished;
    ensures pte_unpublished == 0;
 */
void arch_pte_publish(void);

/*@ assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures bbm_pending == 0;
    ensures tlbi_kind == KC_TLBI_S2_IPA && tlbi_vmid == vmid && tlbi_addr == ipa && tlbi_level == level;
 */
void arch_tlbi_s2_ipa(u16 vmid, u64 ipa, u32 level);

/*@ assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures bbm_pending == 0;
    ensures tlbi_kind == KC_TLBI_S2_VMID && tlbi_vmid == vmid;
 */
void arch_tlbi_s2_vmid(u16 vmid);

/*@ assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures bbm_pending == 0;
    ensures tlbi_kind == KC_TLBI_EL2_VA && tlbi_addr == va && tlbi_level == level;
 */
void arch_tlbi_el2_va(u64 va, u32 level);

/*@ assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures bbm_pending == 0;
    ensures tlbi_kind == KC_TLBI_EL2_ALL;
 */
void arch_tlbi_el2_all(void);

/* Cache maintenance changes no value that KCore reads or writes: it only
 * writes dirty lines back to memory and drops them from the caches, so that
 * every observer (cacheable or not) sees what KCore's coherent view holds.
 * That KCore calls it where needed is what the memory model checks
 * (tests/model/). */
/*@ assigns \nothing; */
void arch_dcache_clean_inval_poc(const void *va, u64 size);

/*@ assigns \nothing; */
void arch_icache_inval_all(void);

#endif /* KCORE_ARCH_SPEC_H */
