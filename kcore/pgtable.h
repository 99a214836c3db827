/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Armv8-A VMSA page tables with the 4 KiB granule, for both KCore's own EL2
 * stage-1 and the stage-2 tables of KServ and VMs. Every change of a valid
 * entry goes through one break-before-make helper (pte_set_live) that issues
 * the TLB invalidation the change requires. Callers serialise updates of one
 * table with that table's lock.
 */
#ifndef KCORE_PGTABLE_H
#define KCORE_PGTABLE_H

#include <kcore/abi.h>

#include "palloc.h"
#include "types.h"

enum pt_stage {
	PT_EL2_S1, /* KCore's own translation regime */
	PT_S2,	   /* a stage-2 table: KServ's or a VM's */
};

enum pt_mem {
	PT_MEM_NORMAL, /* write-back cacheable, inner shareable */
	PT_MEM_DEVICE, /* Device-nGnRE */
};

#define PT_R 1U
#define PT_W 2U
#define PT_X 4U

struct pt_prot {
	enum pt_mem mem;
	u32 perm; /* PT_R | PT_W | PT_X */
};

struct pgtable {
	paddr_t root;
	enum pt_stage stage;
	u32 start_level; /* 0 or 1 */
	u32 ia_bits;	 /* input address size */
	u16 vmid;	 /* stage-2 only */
	struct page_pool *pool;
};

/* Descriptor bits (Arm ARM D8.3). */
#define PTE_VALID BIT(0)
#define PTE_TYPE_TABLE BIT(1) /* levels 0-2: table; level 3: page */
#define PTE_AF BIT(10)
#define PTE_SH_INNER (3UL << 8)
#define PTE_OA_MASK 0x0000fffffffff000UL
#define PTE_S1_ATTRIDX(i) ((u64)(i) << 2)
#define PTE_S1_AP_RO BIT(7)
#define PTE_S1_AP1 BIT(6) /* RES1 in the EL2 regime */
#define PTE_S1_XN BIT(54)
#define PTE_S2_MEMATTR(a) ((u64)(a) << 2)
#define PTE_S2_AP_R BIT(6)
#define PTE_S2_AP_W BIT(7)
#define PTE_S2_XN (2UL << 53)

/* MAIR_EL2 indices used by KCore's stage-1. */
#define MT_DEVICE_nGnRE 0
#define MT_NORMAL 1
#define MT_NORMAL_NC 2
#define MAIR_EL2_VALUE 0x44ff04UL

#define PT_LEVELS 4

#ifdef __FRAMAC__
/* The 512 descriptors of the table page at physical address p, as KCore
 * maps it: palloc.h's link(p), under a name for tables. */
#define tbl(p) link(p)
/* The words a table operation may write, in assigns clauses: the pages of
 * its pool. */
/* What a table update may write: the pool's record and pages, and the
 * ghost break-before-make state of arch_spec.h. */
#define PT_UPDATE_FOOTPRINT pt->pool->lock, pt->pool->free_head, pt->pool->nfree, PT_WORDS(pt->pool)
#define PT_GHOST_STATE bbm_pending, pte_unpublished, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level

#define PT_WORDS(pool)                                                                                                 \
	{                                                                                                              \
		tbl(q)[k] | integer q, integer k;                                                                      \
		pool_owns(pool, q) && 0 <= k < 512                                                                     \
	}
#endif

/*
 * The specification the proofs use (scripts/prove.sh, docs/verification.md).
 */
/*@
  // What one entry at level l (0 .. 3) covers: 512 GiB, 1 GiB, 2 MiB, 4 KiB.
  logic integer lsize(integer l) =
    l == 3 ? 0x1000 : l == 2 ? 0x200000 : l == 1 ? 0x40000000 : 0x8000000000;

  // 1 << b for the input address sizes pt_init() accepts: one lemma per
  // size, each proved by evaluation, so that the provers can bound the
  // input address space (pow2_ia_bound) by case analysis.
  lemma pow2_25: \forall integer b; b == 25 ==> (1 << b) == 0x2000000;
  lemma pow2_26: \forall integer b; b == 26 ==> (1 << b) == 0x4000000;
  lemma pow2_27: \forall integer b; b == 27 ==> (1 << b) == 0x8000000;
  lemma pow2_28: \forall integer b; b == 28 ==> (1 << b) == 0x10000000;
  lemma pow2_29: \forall integer b; b == 29 ==> (1 << b) == 0x20000000;
  lemma pow2_30: \forall integer b; b == 30 ==> (1 << b) == 0x40000000;
  lemma pow2_31: \forall integer b; b == 31 ==> (1 << b) == 0x80000000;
  lemma pow2_32: \forall integer b; b == 32 ==> (1 << b) == 0x100000000;
  lemma pow2_33: \forall integer b; b == 33 ==> (1 << b) == 0x200000000;
  lemma pow2_34: \forall integer b; b == 34 ==> (1 << b) == 0x400000000;
  lemma pow2_35: \forall integer b; b == 35 ==> (1 << b) == 0x800000000;
  lemma pow2_36: \forall integer b; b == 36 ==> (1 << b) == 0x1000000000;
  lemma pow2_37: \forall integer b; b == 37 ==> (1 << b) == 0x2000000000;
  lemma pow2_38: \forall integer b; b == 38 ==> (1 << b) == 0x4000000000;
  lemma pow2_39: \forall integer b; b == 39 ==> (1 << b) == 0x8000000000;
  lemma pow2_40: \forall integer b; b == 40 ==> (1 << b) == 0x10000000000;
  lemma pow2_41: \forall integer b; b == 41 ==> (1 << b) == 0x20000000000;
  lemma pow2_42: \forall integer b; b == 42 ==> (1 << b) == 0x40000000000;
  lemma pow2_43: \forall integer b; b == 43 ==> (1 << b) == 0x80000000000;
  lemma pow2_44: \forall integer b; b == 44 ==> (1 << b) == 0x100000000000;
  lemma pow2_45: \forall integer b; b == 45 ==> (1 << b) == 0x200000000000;
  lemma pow2_46: \forall integer b; b == 46 ==> (1 << b) == 0x400000000000;
  lemma pow2_47: \forall integer b; b == 47 ==> (1 << b) == 0x800000000000;
  lemma pow2_48: \forall integer b; b == 48 ==> (1 << b) == 0x1000000000000;
  lemma pow2_ia_bound: \forall integer b; 25 <= b <= 48 ==> 0 < (1 << b) <= 0x1000000000000;

  // A valid descriptor, and one that points to a next-level table.
  predicate pte_valid(integer e) = (e & 1) != 0;
  predicate pte_table(integer e, integer l) = l < 3 && (e & 3) == 3;

  // Every page of the pool is a whole page mapped at tbl() (8-aligned, as
  // palloc.h's pool_page() asks), apart from the table's and the pool's own
  // records.
  predicate pt_pages_apart{L}(struct page_pool *pool, struct pgtable *pt) =
    \forall integer q; pool_owns(pool, q) ==>
      q != 0 && q % PAGE_SIZE == 0 && (uintptr_t)kva(q) % 8 == 0 && \valid(tbl(q) + (0 .. 511)) &&
      \separated(tbl(q) + (0 .. 511), pt) && \separated(tbl(q) + (0 .. 511), pool);

  // A usable page table: a usable pool whose pages are apart from the
  // records, the first free page and the root among them, and the input
  // address size pt_init() accepts with its start level.
  predicate pt_ok{L}(struct pgtable *pt) =
    \valid(pt) && pool_ok(pt->pool) && \separated(pt, pt->pool) &&
    pt_pages_apart(pt->pool, pt) &&
    (pt->pool->free_head != 0 ==> pool_owns(pt->pool, pt->pool->free_head)) &&
    pool_owns(pt->pool, pt->root.v) &&
    25 <= pt->ia_bits <= 48 && pt->start_level == (pt->ia_bits > 39 ? 0 : 1);

  // pt's root, size and pool, and every word of its pool's pages, are the
  // same in states L1 and L2.
  predicate pt_same{L1, L2}(struct pgtable *pt) =
    \at(pt->root.v, L1) == \at(pt->root.v, L2) && \at(pt->start_level, L1) == \at(pt->start_level, L2) &&
    \at(pt->ia_bits, L1) == \at(pt->ia_bits, L2) && \at(pt->pool, L1) == \at(pt->pool, L2) &&
    \forall integer q, k; pool_owns{L1}(\at(pt->pool, L1), q) && 0 <= k < 512 ==>
      \at(kva_words(q)[k], L1) == \at(kva_words(q)[k], L2);

  axiomatic PtMaps {
    // What pt translates, in state L: the walk of its tables from the root
    // takes the input address ia to the output address q. Left abstract:
    // the proofs do not track table contents. What pt_init, pt_map,
    // pt_unmap and pt_lookup do to it is trusted (their "trusted_" clauses,
    // which scripts/prove.sh does not try to prove in pgtable.c), and so is
    // this axiom (docs/verification.md).
    predicate pt_maps{L}(struct pgtable *pt, integer ia, integer q)
      reads pt->root, pt->start_level, pt->ia_bits, pt->pool,
	    { kva_words(q)[k] | integer q, integer k; pool_owns(pt->pool, q) && 0 <= k < 512 };

    // A walk reads the root, the start level, the input size, and
    // descriptors in table pages, which are pool pages (trusted fact 6).
    axiom pt_maps_frame{L1, L2}:
      \forall struct pgtable *pt, integer ia, q;
	pt_same{L1, L2}(pt) ==> (pt_maps{L1}(pt, ia, q) <==> pt_maps{L2}(pt, ia, q));
  }
 */

/*@ requires level <= 3;
    assigns \nothing;
    ensures \result == PAGE_SHIFT + 9 * (3 - level);
 */
static inline u32 pt_shift(u32 level)
{
	return PAGE_SHIFT + 9 * (3 - level);
}

/*@ requires level <= 3;
    assigns \nothing;
    ensures \result == lsize(level);
    ensures PAGE_SIZE <= \result <= 0x8000000000 && \result % PAGE_SIZE == 0;
 */
static inline u64 pt_level_size(u32 level)
{
	/* 1 << pt_shift(level), spelled out per level for the provers. */
	return level == 3 ? PAGE_SIZE : level == 2 ? SZ_2M : level == 1 ? SZ_1G : 512 * SZ_1G;
}

/* Set up @pt with a fresh, empty root from @pool. */
/*@ requires \valid(pt) && pool_ok(pool) && \separated(pt, pool);
    requires pt_pages_apart(pool, pt);
    requires pool->free_head != 0 ==> pool_owns(pool, pool->free_head);
    assigns *pt, pool->lock, pool->free_head, pool->nfree;
    assigns link(pool->free_head)[0 .. (pool->free_head == 0 ? -1 : PAGE_SIZE / 8 - 1)];
    behavior bad_size:
      assumes ia_bits < 25 || ia_bits > 48;
      assigns \nothing;
      ensures \result == -KCORE_EINVAL;
    behavior no_memory:
      assumes 25 <= ia_bits <= 48 && pool->free_head == 0;
      ensures \result == -KCORE_ENOMEM;
    behavior ok:
      assumes 25 <= ia_bits <= 48 && pool->free_head != 0;
      ensures \result == 0 && pt_ok(pt);
      ensures pt->stage == stage && pt->ia_bits == ia_bits && pt->vmid == vmid && pt->pool == pool;
      ensures pt->start_level == (ia_bits > 39 ? 0 : 1);
      ensures pt->root.v == \old(pool->free_head);
      ensures \forall integer k; 0 <= k < 512 ==> tbl(pt->root.v)[k] == 0;
      ensures trusted_init_empty: \forall integer x, q; !pt_maps(pt, x, q);
    complete behaviors;
    disjoint behaviors;
 */
int pt_init(struct pgtable *pt, enum pt_stage stage, u32 ia_bits, u16 vmid, struct page_pool *pool);
/* Map [ia, ia + size) to [p, p + size), using the largest blocks that fit.
 * Existing mappings in the range are replaced. 0 or -KCORE_E*. On -ENOMEM
 * part of the range may already be mapped. */
/*@ requires pt_ok(pt);
    requires bbm_pending == 0 && pte_unpublished == 0;
    assigns PT_UPDATE_FOOTPRINT;
    assigns PT_GHOST_STATE;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures pt->root == \old(pt->root) && pt->stage == \old(pt->stage) && pt->ia_bits == \old(pt->ia_bits);
    ensures pt->start_level == \old(pt->start_level) && pt->vmid == \old(pt->vmid) && pt->pool == \old(pt->pool);
    ensures trusted_map_only: \forall integer x, q; pt_maps(pt, x, q) ==>
	      \old(pt_maps(pt, x, q)) || (ia <= x < ia + size && q == p.v + (x - ia));
    behavior invalid:
      assumes size == 0 || ia % PAGE_SIZE != 0 || size % PAGE_SIZE != 0 || ia + size > (1 << pt->ia_bits) ||
	      p.v % PAGE_SIZE != 0 || p.v + size > (1 << 48);
      assigns \nothing;
      ensures \result == -KCORE_EINVAL;
    behavior valid:
      assumes size != 0 && ia % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && ia + size <= (1 << pt->ia_bits) &&
	      p.v % PAGE_SIZE == 0 && p.v + size <= (1 << 48);
      ensures \result == 0 || \result == -KCORE_ENOMEM;
      ensures trusted_map_done: \result == 0 ==>
		\forall integer x; ia <= x < ia + size ==> pt_maps(pt, x, p.v + (x - ia));
    complete behaviors;
    disjoint behaviors;
 */
int pt_map(struct pgtable *pt, u64 ia, paddr_t p, u64 size, struct pt_prot prot);
/* Unmap [ia, ia + size), splitting blocks that straddle its ends. */
/*@ requires pt_ok(pt);
    requires bbm_pending == 0 && pte_unpublished == 0;
    assigns PT_UPDATE_FOOTPRINT;
    assigns PT_GHOST_STATE;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures pt->root == \old(pt->root) && pt->stage == \old(pt->stage) && pt->ia_bits == \old(pt->ia_bits);
    ensures pt->start_level == \old(pt->start_level) && pt->vmid == \old(pt->vmid) && pt->pool == \old(pt->pool);
    ensures trusted_unmap_only: \forall integer x, q; pt_maps(pt, x, q) ==> \old(pt_maps(pt, x, q));
    behavior invalid:
      assumes size == 0 || ia % PAGE_SIZE != 0 || size % PAGE_SIZE != 0 || ia + size > (1 << pt->ia_bits);
      assigns \nothing;
      ensures \result == -KCORE_EINVAL;
    behavior valid:
      assumes size != 0 && ia % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && ia + size <= (1 << pt->ia_bits);
      ensures \result == 0 || \result == -KCORE_ENOMEM;
      ensures trusted_unmap_done: \result == 0 ==> \forall integer x, q; ia <= x < ia + size ==> !pt_maps(pt, x, q);
    complete behaviors;
    disjoint behaviors;
 */
int pt_unmap(struct pgtable *pt, u64 ia, u64 size);
/* Translate @ia: true with the output address, the leaf's level and the
 * raw descriptor when mapped. */
/*@ requires pt_ok(pt);
    requires \valid(out) && \valid(level) && \valid(pte) && \separated(out, pte);
    requires \separated(out, pt) && \separated(level, pt) && \separated(pte, pt);
    assigns *out, *level, *pte;
    ensures (ia >> pt->ia_bits) != 0 ==> !\result;
    ensures \result ==> pt->start_level <= *level <= 3 && 1 <= *level;
    ensures \result ==> pte_valid(*pte) && !pte_table(*pte, *level);
    ensures \result ==> out->v == ((*pte & PTE_OA_MASK & (u64)~(lsize(*level) - 1)) | (ia & (lsize(*level) - 1)));
    ensures trusted_lookup_maps: \result ==> pt_maps((struct pgtable *)pt, ia, out->v);
    ensures trusted_lookup_none: !\result ==> \forall integer q; !pt_maps((struct pgtable *)pt, ia, q);
 */
bool pt_lookup(const struct pgtable *pt, u64 ia, paddr_t *out, u32 *level, u64 *pte);
/* The descriptor bits (other than address and type) for @prot. */
/*@ assigns \nothing;
    behavior el2_s1:
      assumes stage == PT_EL2_S1;
      ensures \result == (PTE_AF | PTE_SH_INNER | PTE_S1_AP1 |
			  PTE_S1_ATTRIDX(prot.mem == PT_MEM_DEVICE ? MT_DEVICE_nGnRE : MT_NORMAL) |
			  ((prot.perm & PT_W) == 0 ? PTE_S1_AP_RO : 0) | ((prot.perm & PT_X) == 0 ? PTE_S1_XN : 0));
    behavior s2:
      assumes stage != PT_EL2_S1;
      ensures \result == (PTE_AF | PTE_SH_INNER | PTE_S2_MEMATTR(prot.mem == PT_MEM_DEVICE ? 0x1 : 0xf) |
			  ((prot.perm & PT_R) != 0 ? PTE_S2_AP_R : 0) | ((prot.perm & PT_W) != 0 ? PTE_S2_AP_W : 0) |
			  ((prot.perm & PT_X) == 0 ? PTE_S2_XN : 0));
    complete behaviors;
    disjoint behaviors;
 */
u64 pt_prot_bits(enum pt_stage stage, struct pt_prot prot);

#endif /* KCORE_PGTABLE_H */
