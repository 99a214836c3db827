// SPDX-License-Identifier: GPL-2.0
/* Generic 4 KiB-granule page tables for EL2 stage-1 and stage-2. The
 * contracts of the exported functions are in pgtable.h. */
#include "pgtable.h"
#include "arch.h"
#include "log.h"
#include <kcore/abi.h>

#define PTES_PER_TABLE 512
#define PTE_LEAF_ATTR_MASK (~PTE_OA_MASK & ~(PTE_VALID | PTE_TYPE_TABLE))

/*
 * The table a table descriptor @pte, read from one of @pt's tables, points
 * to. That it is one of the pages of @pt's pool is trusted, not proved
 * (docs/verification.md): the only table descriptors in @pt's tables are
 * the ones add_table() and split_block() store, each with a page just
 * taken from that pool, and a table page is freed only once its
 * descriptor is gone.
 */
/*@ requires pt_ok(pt);
    assigns \nothing;
    ensures pool_owns(pt->pool, pte & PTE_OA_MASK);
    ensures \result == tbl(pte & PTE_OA_MASK);
 */
static u64 *table_of(const struct pgtable *pt, u64 pte)
{
	/*@ admit pool_owns(pt->pool, pte & PTE_OA_MASK); */
	return arch_pa_to_va(pa(pte & PTE_OA_MASK));
}

/*@ requires level <= 3;
    assigns \nothing;
    ensures \result == ia / lsize(level) % 512;
 */
static u32 pt_index(u64 ia, u32 level)
{
	return (u32)(ia / pt_level_size(level) % PTES_PER_TABLE);
}

/*@ assigns \nothing;
    ensures \result <==> pte_table(pte, level);
 */
static bool pte_is_table(u64 pte, u32 level)
{
	return level < 3 && (pte & (PTE_VALID | PTE_TYPE_TABLE)) == (PTE_VALID | PTE_TYPE_TABLE);
}

/*@ assigns \nothing;
    ensures \result <==> level >= 1;
 */
static bool level_has_leaves(u32 level)
{
	return level >= 1; /* 1 GiB and 2 MiB blocks, 4 KiB pages */
}

/*@ assigns \nothing;
    ensures \result == ((oa & PTE_OA_MASK) | attrs | PTE_VALID | (level == 3 ? PTE_TYPE_TABLE : 0));
 */
static u64 make_leaf(u64 oa, u32 level, u64 attrs)
{
	return (oa & PTE_OA_MASK) | attrs | PTE_VALID | (level == 3 ? PTE_TYPE_TABLE : 0);
}

u64 pt_prot_bits(enum pt_stage stage, struct pt_prot prot)
{
	u64 b = PTE_AF | PTE_SH_INNER;

	if (stage == PT_EL2_S1) {
		b |= PTE_S1_AP1 | PTE_S1_ATTRIDX(prot.mem == PT_MEM_DEVICE ? MT_DEVICE_nGnRE : MT_NORMAL);
		if (!(prot.perm & PT_W))
			b |= PTE_S1_AP_RO;
		if (!(prot.perm & PT_X))
			b |= PTE_S1_XN;
	} else {
		b |= PTE_S2_MEMATTR(prot.mem == PT_MEM_DEVICE ? 0x1 : 0xf);
		if (prot.perm & PT_R)
			b |= PTE_S2_AP_R;
		if (prot.perm & PT_W)
			b |= PTE_S2_AP_W;
		if (!(prot.perm & PT_X))
			b |= PTE_S2_XN;
	}
	return b;
}

/*@ requires \valid_read(pt);
    assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures bbm_pending == 0;
    ensures pt->stage == PT_S2 ==>
      tlbi_kind == KC_TLBI_S2_IPA && tlbi_vmid == pt->vmid && tlbi_addr == ia && tlbi_level == level;
    ensures pt->stage != PT_S2 ==> tlbi_kind == KC_TLBI_EL2_VA && tlbi_addr == ia && tlbi_level == level;
 */
static void tlbi_entry(const struct pgtable *pt, u64 ia, u32 level)
{
	if (pt->stage == PT_S2)
		arch_tlbi_s2_ipa(pt->vmid, ia, level);
	else
		arch_tlbi_el2_va(ia, level);
}

/*@ requires \valid_read(pt);
    assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures bbm_pending == 0;
    ensures pt->stage == PT_S2 ==> tlbi_kind == KC_TLBI_S2_VMID && tlbi_vmid == pt->vmid;
    ensures pt->stage != PT_S2 ==> tlbi_kind == KC_TLBI_EL2_ALL;
 */
static void tlbi_all(const struct pgtable *pt)
{
	if (pt->stage == PT_S2)
		arch_tlbi_s2_vmid(pt->vmid);
	else
		arch_tlbi_el2_all();
}

/*
 * The one place where a live descriptor changes (break-before-make, Arm ARM
 * D8.16.1): a valid entry is first made invalid and its TLB entries
 * invalidated, so that no walker ever sees two translations for one address
 * at once; only then is the new entry written and published. A table entry
 * covers many leaves, so replacing one invalidates the whole table's TLB
 * entries. @new == 0 unmaps.
 */
/*@ requires \valid_read(pt) && \valid(ptep) && level <= 3;
    requires bbm_pending == 0 && pte_unpublished == 0;
    assigns *ptep, bbm_pending, pte_unpublished, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    ensures new == 0 && !pte_valid(\old(*ptep)) ? *ptep == \old(*ptep) : *ptep == new;
    ensures bbm_pending == 0 && pte_unpublished == 0;
    behavior same:
      assumes *ptep == new;
      ensures tlbi_kind == \old(tlbi_kind) && tlbi_vmid == \old(tlbi_vmid);
      ensures tlbi_addr == \old(tlbi_addr) && tlbi_level == \old(tlbi_level);
    behavior from_invalid:
      assumes *ptep != new && !pte_valid(*ptep);
      ensures tlbi_kind == \old(tlbi_kind) && tlbi_vmid == \old(tlbi_vmid);
      ensures tlbi_addr == \old(tlbi_addr) && tlbi_level == \old(tlbi_level);
    behavior break_table:
      assumes *ptep != new && pte_valid(*ptep) && pte_table(*ptep, level);
      ensures pt->stage == PT_S2 ==> tlbi_kind == KC_TLBI_S2_VMID && tlbi_vmid == pt->vmid;
      ensures pt->stage != PT_S2 ==> tlbi_kind == KC_TLBI_EL2_ALL;
    behavior break_leaf:
      assumes *ptep != new && pte_valid(*ptep) && !pte_table(*ptep, level);
      ensures pt->stage == PT_S2 ==> tlbi_kind == KC_TLBI_S2_IPA && tlbi_vmid == pt->vmid;
      ensures pt->stage != PT_S2 ==> tlbi_kind == KC_TLBI_EL2_VA;
      ensures tlbi_addr == ia - ia % lsize(level) && tlbi_level == level;
    complete behaviors;
    disjoint behaviors;
 */
static void pte_set_live(const struct pgtable *pt, u64 *ptep, u64 new, u64 ia, u32 level)
{
	u64 old = *ptep;

	if (old == new)
		return;
	if (old & PTE_VALID) {
		arch_pte_write(ptep, 0);
		if (pte_is_table(old, level))
			tlbi_all(pt);
		else
			tlbi_entry(pt, ia - ia % pt_level_size(level), level);
	}
	if (new) {
		arch_pte_write(ptep, new);
		arch_pte_publish();
	}
}

/*@ requires pt_ok(pt) && level <= 3;
    decreases 3 - level;
    assigns PT_UPDATE_FOOTPRINT;
    ensures pt_ok(pt);
 */
static void free_subtree(const struct pgtable *pt, u64 table_pte, u32 level)
{
	u64 *t = table_of(pt, table_pte);
	u32 i;

	/*@ loop invariant 0 <= i <= PTES_PER_TABLE;
	    loop invariant pt_ok(pt);
	    loop assigns i, pt->pool->lock, pt->pool->free_head, pt->pool->nfree, PT_WORDS(pt->pool);
	    loop variant PTES_PER_TABLE - i;
	 */
	for (i = 0; i < PTES_PER_TABLE; i++)
		if (pte_is_table(t[i], level))
			free_subtree(pt, t[i], level + 1);
	pool_free(pt->pool, pa(table_pte & PTE_OA_MASK));
}

/*
 * pool_alloc() for a table page of a pool whose free pages are its own.
 * Trusted, not proved (docs/verification.md): the free list holds only
 * pages given to the pool, so the next free page is one of them too (as
 * pop_locked() in palloc.c admits for pool_page()).
 */
/*@ requires pool_ok(pool) && (pool->free_head != 0 ==> pool_owns(pool, pool->free_head));
    assigns pool->lock, pool->free_head, pool->nfree;
    assigns link(pool->free_head)[0 .. (pool->free_head == 0 ? -1 : PAGE_SIZE / 8 - 1)];
    ensures pool_ok(pool) && (pool->free_head != 0 ==> pool_owns(pool, pool->free_head));
    ensures \old(pool->free_head) == 0 ==> \result.v == 0;
    ensures \old(pool->free_head) != 0 ==> \result.v == \old(pool->free_head);
    ensures \result.v != 0 ==> pool_owns(pool, \result.v);
    ensures \result.v != 0 ==> \forall integer k; 0 <= k < 512 ==> tbl(\result.v)[k] == 0;
 */
static paddr_t take_page(struct page_pool *pool)
{
	paddr_t t = pool_alloc(pool);

	/*@ admit pool->free_head != 0 ==> pool_owns(pool, pool->free_head); */
	return t;
}

/*
 * A zeroed page from @pt's pool for a new table that the entry @live (a
 * ghost parameter) will point to, or pa(0). Trusted, not proved
 * (docs/verification.md): a free page is none of the live tables, so it is
 * apart from @live.
 */
/*@ requires pt_ok(pt);
    assigns pt->pool->lock, pt->pool->free_head, pt->pool->nfree;
    assigns link(pt->pool->free_head)[0 .. (pt->pool->free_head == 0 ? -1 : PAGE_SIZE / 8 - 1)];
    ensures pt_ok(pt);
    ensures \result.v == 0 || \result.v == \old(pt->pool->free_head);
    ensures \result.v != 0 ==> pool_owns(pt->pool, \result.v);
    ensures \result.v != 0 ==> \separated(tbl(\result.v) + (0 .. 511), live);
    ensures \result.v != 0 ==> \forall integer k; 0 <= k < 512 ==> tbl(\result.v)[k] == 0;
 */
static paddr_t alloc_table(const struct pgtable *pt) /*@ ghost (u64 *live) */
{
	paddr_t t = take_page(pt->pool);

	/*@ admit t.v != 0 ==> \separated(tbl(t.v) + (0 .. 511), live); */
	return t;
}

/* Install a new, empty next-level table in the invalid entry @ptep. */
/*@ requires pt_ok(pt) && \valid(ptep) && !pte_valid(*ptep);
    requires pool_owns(pt->pool, tp) && 0 <= k < 512 && ptep == tbl(tp) + k;
    requires bbm_pending == 0 && pte_unpublished == 0;
    assigns PT_UPDATE_FOOTPRINT;
    assigns bbm_pending, pte_unpublished;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures \result == 0 || \result == -KCORE_ENOMEM;
 */
static int add_table(const struct pgtable *pt, u64 *ptep) /*@ ghost (u64 tp, u32 k) */
{
	paddr_t t = alloc_table(pt) /*@ ghost (ptep) */;

	if (!t.v)
		return -KCORE_ENOMEM;
	arch_pte_write(ptep, t.v | PTE_VALID | PTE_TYPE_TABLE);
	arch_pte_publish();
	return 0;
}

/* Replace the block at @ptep (covering @ia) with a table of smaller leaves
 * that map the same addresses with the same attributes. */
/*@ requires pt_ok(pt) && \valid(ptep) && level < 3;
    requires pool_owns(pt->pool, tp) && 0 <= k < 512 && ptep == tbl(tp) + k;
    requires bbm_pending == 0 && pte_unpublished == 0;
    assigns PT_UPDATE_FOOTPRINT;
    assigns PT_GHOST_STATE;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures \result == 0 || \result == -KCORE_ENOMEM;
 */
static int split_block(const struct pgtable *pt, u64 *ptep, u64 ia, u32 level) /*@ ghost (u64 tp, u32 k) */
{
	u64 block = *ptep, child = pt_level_size(level + 1), attrs = block & PTE_LEAF_ATTR_MASK;
	u64 oa = block & PTE_OA_MASK;
	paddr_t t = alloc_table(pt) /*@ ghost (ptep) */;
	u64 *nt;
	u32 i;

	if (!t.v)
		return -KCORE_ENOMEM;
	nt = arch_pa_to_va(t);
	/*@ loop invariant 0 <= i <= PTES_PER_TABLE;
	    loop invariant oa <= PTE_OA_MASK + i * SZ_1G;
	    loop assigns i, oa, nt[0 .. PTES_PER_TABLE - 1];
	    loop variant PTES_PER_TABLE - i;
	 */
	for (i = 0; i < PTES_PER_TABLE; i++, oa += child)
		nt[i] = make_leaf(oa, level + 1, attrs);
	arch_pte_publish();
	pte_set_live(pt, ptep, t.v | PTE_VALID | PTE_TYPE_TABLE, ia, level);
	return 0;
}

/* Make @ptep a table entry (allocating or splitting as needed). */
/*@ requires pt_ok(pt) && \valid(ptep) && level < 3;
    requires pool_owns(pt->pool, tp) && 0 <= k < 512 && ptep == tbl(tp) + k;
    requires bbm_pending == 0 && pte_unpublished == 0;
    assigns PT_UPDATE_FOOTPRINT;
    assigns PT_GHOST_STATE;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures \result == 0 || \result == -KCORE_ENOMEM;
 */
static int ensure_table(const struct pgtable *pt, u64 *ptep, u64 ia, u32 level) /*@ ghost (u64 tp, u32 k) */
{
	u64 pte = *ptep;

	if (pte_is_table(pte, level))
		return 0;
	if (!(pte & PTE_VALID))
		return add_table(pt, ptep) /*@ ghost (tp, k) */;
	return split_block(pt, ptep, ia, level) /*@ ghost (tp, k) */;
}

/*@ lemma mod_bound: \forall integer a, s; 0 <= a && 0 < s ==> 0 <= a % s < s; */

/* The end of the part of [@ia, @end) that the level-@level entry of @ia
 * covers. */
/*@ requires level <= 3 && ia < end <= 0x1000000000000;
    requires ia % PAGE_SIZE == 0 && end % PAGE_SIZE == 0;
    assigns \nothing;
    ensures ia < \result <= end && \result % PAGE_SIZE == 0;
    ensures \result - ia <= lsize(level);
    ensures level == 3 ==> \result == ia + PAGE_SIZE;
 */
static u64 chunk_end_of(u64 ia, u64 end, u32 level)
{
	u64 sz = pt_level_size(level);
	u64 next;

	//@ assert sz == 0x1000 || sz == 0x200000 || sz == 0x40000000 || sz == 0x8000000000;
	//@ assert sz == 0x1000 ==> (ia - ia % 0x1000) % PAGE_SIZE == 0;
	//@ assert sz == 0x200000 ==> (ia - ia % 0x200000) % PAGE_SIZE == 0;
	//@ assert sz == 0x40000000 ==> (ia - ia % 0x40000000) % PAGE_SIZE == 0;
	//@ assert sz == 0x8000000000 ==> (ia - ia % 0x8000000000) % PAGE_SIZE == 0;
	next = ia - ia % sz + sz;
	return MIN(next, end);
}

/*@ requires pt_ok(pt) && level <= 3;
    requires pool_owns(pt->pool, tp) && table == tbl(tp);
    requires ia % PAGE_SIZE == 0 && end % PAGE_SIZE == 0 && oa % PAGE_SIZE == 0;
    requires ia <= end <= 0x1000000000000 && oa + (end - ia) <= 0x1000000000000;
    requires bbm_pending == 0 && pte_unpublished == 0;
    decreases 3 - level;
    assigns PT_UPDATE_FOOTPRINT;
    assigns PT_GHOST_STATE;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures \result == 0 || \result == -KCORE_ENOMEM;
 */
static int map_level(const struct pgtable *pt, u64 *table, u32 level, u64 ia, u64 end, u64 oa, u64 attrs)
/*@ ghost (u64 tp) */
{
	/*@ loop invariant \at(ia, Pre) <= ia <= end;
	    loop invariant ia % PAGE_SIZE == 0 && oa % PAGE_SIZE == 0;
	    loop invariant oa + (end - ia) == \at(oa, Pre) + (end - \at(ia, Pre));
	    loop invariant pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
	    loop assigns ia, oa, pt->pool->lock, pt->pool->free_head, pt->pool->nfree, PT_WORDS(pt->pool);
	    loop assigns PT_GHOST_STATE;
	    loop variant end - ia;
	 */
	while (ia < end) {
		u64 sz = pt_level_size(level);
		u64 chunk_end = chunk_end_of(ia, end, level);
		u32 i = pt_index(ia, level);
		u64 *ptep = &table[i];
		int err;

		if (level_has_leaves(level) && chunk_end - ia == sz && oa % sz == 0) {
			u64 old = *ptep;

			pte_set_live(pt, ptep, make_leaf(oa, level, attrs), ia, level);
			if (pte_is_table(old, level))
				free_subtree(pt, old, level + 1);
		} else {
			err = ensure_table(pt, ptep, ia, level) /*@ ghost (tp, i) */;
			if (err)
				return err;
			err = map_level(pt, table_of(pt, *ptep), level + 1, ia, chunk_end, oa, attrs)
			    /*@ ghost (*ptep & PTE_OA_MASK) */;
			if (err)
				return err;
		}
		oa += chunk_end - ia;
		ia = chunk_end;
	}
	return 0;
}

/*@ requires pt_ok(pt) && level <= 3;
    requires pool_owns(pt->pool, tp) && table == tbl(tp);
    requires ia % PAGE_SIZE == 0 && end % PAGE_SIZE == 0;
    requires ia <= end <= 0x1000000000000;
    requires bbm_pending == 0 && pte_unpublished == 0;
    decreases 3 - level;
    assigns PT_UPDATE_FOOTPRINT;
    assigns PT_GHOST_STATE;
    ensures pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
    ensures \result == 0 || \result == -KCORE_ENOMEM;
 */
static int unmap_level(const struct pgtable *pt, u64 *table, u32 level, u64 ia, u64 end) /*@ ghost (u64 tp) */
{
	/*@ loop invariant \at(ia, Pre) <= ia <= end;
	    loop invariant ia % PAGE_SIZE == 0;
	    loop invariant pt_ok(pt) && bbm_pending == 0 && pte_unpublished == 0;
	    loop assigns ia, pt->pool->lock, pt->pool->free_head, pt->pool->nfree, PT_WORDS(pt->pool);
	    loop assigns PT_GHOST_STATE;
	    loop variant end - ia;
	 */
	while (ia < end) {
		u64 sz = pt_level_size(level);
		u64 chunk_end = chunk_end_of(ia, end, level);
		u32 i = pt_index(ia, level);
		u64 *ptep = &table[i];
		u64 pte = *ptep;
		int err;

		if ((pte & PTE_VALID) && chunk_end - ia == sz) {
			pte_set_live(pt, ptep, 0, ia, level);
			if (pte_is_table(pte, level))
				free_subtree(pt, pte, level + 1);
		} else if (pte & PTE_VALID) {
			err = ensure_table(pt, ptep, ia, level) /*@ ghost (tp, i) */;
			if (err)
				return err;
			err = unmap_level(pt, table_of(pt, *ptep), level + 1, ia,
					  chunk_end) /*@ ghost (*ptep & PTE_OA_MASK) */;
			if (err)
				return err;
		}
		ia = chunk_end;
	}
	return 0;
}

/*@ requires \valid_read(pt) && 25 <= pt->ia_bits <= 48;
    assigns \nothing;
    ensures \result <==> size != 0 && ia % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && ia + size <= (1 << pt->ia_bits);
 */
static bool range_ok(const struct pgtable *pt, u64 ia, u64 size)
{
	return size && page_aligned(ia) && page_aligned(size) && range_within(ia, size, 0, 1UL << pt->ia_bits);
}

int pt_init(struct pgtable *pt, enum pt_stage stage, u32 ia_bits, u16 vmid, struct page_pool *pool)
{
	if (ia_bits < 25 || ia_bits > 48)
		return -KCORE_EINVAL;
	pt->stage = stage;
	pt->ia_bits = ia_bits;
	pt->start_level = ia_bits > 39 ? 0 : 1;
	pt->vmid = vmid;
	pt->pool = pool;
	pt->root = take_page(pool);
	return pt->root.v ? 0 : -KCORE_ENOMEM;
}

int pt_map(struct pgtable *pt, u64 ia, paddr_t p, u64 size, struct pt_prot prot)
{
	if (!range_ok(pt, ia, size) || !page_aligned(p.v) || !range_within(p.v, size, 0, 1UL << 48))
		return -KCORE_EINVAL;
	return map_level(pt, arch_pa_to_va(pt->root), pt->start_level, ia, ia + size, p.v,
			 pt_prot_bits(pt->stage, prot)) /*@ ghost (pt->root.v) */;
}

int pt_unmap(struct pgtable *pt, u64 ia, u64 size)
{
	if (!range_ok(pt, ia, size))
		return -KCORE_EINVAL;
	return unmap_level(pt, arch_pa_to_va(pt->root), pt->start_level, ia, ia + size) /*@ ghost (pt->root.v) */;
}

bool pt_lookup(const struct pgtable *pt, u64 ia, paddr_t *out, u32 *level, u64 *pte)
{
	u64 *table = arch_pa_to_va(pt->root);
	u32 l;
	/*@ ghost u64 tp = pt->root.v; */

	if (ia >> pt->ia_bits)
		return false;
	/*@ loop invariant pt->start_level <= l <= PT_LEVELS;
	    loop invariant pool_owns(pt->pool, tp) && table == tbl(tp);
	    loop assigns l, table, tp;
	    loop variant PT_LEVELS - l;
	 */
	for (l = pt->start_level; l < PT_LEVELS; l++) {
		u64 e = load_relaxed(&table[pt_index(ia, l)]);

		if (!(e & PTE_VALID))
			return false;
		if (!pte_is_table(e, l)) {
			u64 mask = pt_level_size(l) - 1;

			if (l == 0)
				return false; /* no level-0 blocks with 4 KiB pages */
			*out = pa((e & PTE_OA_MASK & ~mask) | (ia & mask));
			*level = l;
			*pte = e;
			return true;
		}
		table = table_of(pt, e);
		/*@ ghost tp = e & PTE_OA_MASK; */
	}
	return false;
}
