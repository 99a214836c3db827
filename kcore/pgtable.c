// SPDX-License-Identifier: GPL-2.0
/* Generic 4 KiB-granule page tables for EL2 stage-1 and stage-2. */
#include "pgtable.h"
#include "arch.h"
#include "log.h"
#include <kcore/abi.h>

#define PTES_PER_TABLE 512
#define PTE_LEAF_ATTR_MASK (~PTE_OA_MASK & ~(PTE_VALID | PTE_TYPE_TABLE))

static u64 *table_of(u64 pte)
{
	return arch_pa_to_va(pa(pte & PTE_OA_MASK));
}

static u32 pt_index(u64 ia, u32 level)
{
	return (u32)(ia >> pt_shift(level)) & (PTES_PER_TABLE - 1);
}

static bool pte_is_table(u64 pte, u32 level)
{
	return level < 3 && (pte & (PTE_VALID | PTE_TYPE_TABLE)) == (PTE_VALID | PTE_TYPE_TABLE);
}

static bool level_has_leaves(u32 level)
{
	return level >= 1; /* 1 GiB and 2 MiB blocks, 4 KiB pages */
}

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

static void tlbi_entry(const struct pgtable *pt, u64 ia, u32 level)
{
	if (pt->stage == PT_S2)
		arch_tlbi_s2_ipa(pt->vmid, ia, level);
	else
		arch_tlbi_el2_va(ia, level);
}

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
			tlbi_entry(pt, ALIGN_DOWN(ia, pt_level_size(level)), level);
	}
	if (new) {
		arch_pte_write(ptep, new);
		arch_pte_publish();
	}
}

static void free_subtree(const struct pgtable *pt, u64 table_pte, u32 level)
{
	u64 *t = table_of(table_pte);
	u32 i;

	for (i = 0; i < PTES_PER_TABLE; i++)
		if (pte_is_table(t[i], level))
			free_subtree(pt, t[i], level + 1);
	pool_free(pt->pool, pa(table_pte & PTE_OA_MASK));
}

/* Install a new, empty next-level table in the invalid entry @ptep. */
static int add_table(const struct pgtable *pt, u64 *ptep)
{
	paddr_t t = pool_alloc(pt->pool);

	if (!t.v)
		return -KCORE_ENOMEM;
	arch_pte_write(ptep, t.v | PTE_VALID | PTE_TYPE_TABLE);
	arch_pte_publish();
	return 0;
}

/* Replace the block at @ptep (covering @ia) with a table of smaller leaves
 * that map the same addresses with the same attributes. */
static int split_block(const struct pgtable *pt, u64 *ptep, u64 ia, u32 level)
{
	u64 block = *ptep, child = pt_level_size(level + 1), attrs = block & PTE_LEAF_ATTR_MASK;
	paddr_t t = pool_alloc(pt->pool);
	u64 *nt;
	u32 i;

	if (!t.v)
		return -KCORE_ENOMEM;
	nt = arch_pa_to_va(t);
	for (i = 0; i < PTES_PER_TABLE; i++)
		nt[i] = make_leaf((block & PTE_OA_MASK) + i * child, level + 1, attrs);
	arch_pte_publish();
	pte_set_live(pt, ptep, t.v | PTE_VALID | PTE_TYPE_TABLE, ia, level);
	return 0;
}

/* Make @ptep a table entry (allocating or splitting as needed). */
static int ensure_table(const struct pgtable *pt, u64 *ptep, u64 ia, u32 level)
{
	u64 pte = *ptep;

	if (pte_is_table(pte, level))
		return 0;
	if (!(pte & PTE_VALID))
		return add_table(pt, ptep);
	return split_block(pt, ptep, ia, level);
}

static int map_level(const struct pgtable *pt, u64 *table, u32 level, u64 ia, u64 end, u64 oa, u64 attrs)
{
	while (ia < end) {
		u64 sz = pt_level_size(level);
		u64 chunk_end = MIN(ALIGN_DOWN(ia, sz) + sz, end);
		u64 *ptep = &table[pt_index(ia, level)];
		int err;

		if (level_has_leaves(level) && chunk_end - ia == sz && IS_ALIGNED(oa, sz)) {
			u64 old = *ptep;

			pte_set_live(pt, ptep, make_leaf(oa, level, attrs), ia, level);
			if (pte_is_table(old, level))
				free_subtree(pt, old, level + 1);
		} else {
			err = ensure_table(pt, ptep, ia, level);
			if (err)
				return err;
			err = map_level(pt, table_of(*ptep), level + 1, ia, chunk_end, oa, attrs);
			if (err)
				return err;
		}
		oa += chunk_end - ia;
		ia = chunk_end;
	}
	return 0;
}

static int unmap_level(const struct pgtable *pt, u64 *table, u32 level, u64 ia, u64 end)
{
	while (ia < end) {
		u64 sz = pt_level_size(level);
		u64 chunk_end = MIN(ALIGN_DOWN(ia, sz) + sz, end);
		u64 *ptep = &table[pt_index(ia, level)];
		u64 pte = *ptep;
		int err;

		if ((pte & PTE_VALID) && chunk_end - ia == sz) {
			pte_set_live(pt, ptep, 0, ia, level);
			if (pte_is_table(pte, level))
				free_subtree(pt, pte, level + 1);
		} else if (pte & PTE_VALID) {
			err = ensure_table(pt, ptep, ia, level);
			if (err)
				return err;
			err = unmap_level(pt, table_of(*ptep), level + 1, ia, chunk_end);
			if (err)
				return err;
		}
		ia = chunk_end;
	}
	return 0;
}

static bool range_ok(const struct pgtable *pt, u64 ia, u64 size)
{
	return size && IS_ALIGNED(ia, PAGE_SIZE) && IS_ALIGNED(size, PAGE_SIZE) &&
	       range_within(ia, size, 0, 1UL << pt->ia_bits);
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
	pt->root = pool_alloc(pool);
	return pt->root.v ? 0 : -KCORE_ENOMEM;
}

int pt_map(struct pgtable *pt, u64 ia, paddr_t p, u64 size, struct pt_prot prot)
{
	if (!range_ok(pt, ia, size) || !IS_ALIGNED(p.v, PAGE_SIZE) || !range_within(p.v, size, 0, 1UL << 48))
		return -KCORE_EINVAL;
	return map_level(pt, arch_pa_to_va(pt->root), pt->start_level, ia, ia + size, p.v,
			 pt_prot_bits(pt->stage, prot));
}

int pt_unmap(struct pgtable *pt, u64 ia, u64 size)
{
	if (!range_ok(pt, ia, size))
		return -KCORE_EINVAL;
	return unmap_level(pt, arch_pa_to_va(pt->root), pt->start_level, ia, ia + size);
}

bool pt_lookup(const struct pgtable *pt, u64 ia, paddr_t *out, u32 *level, u64 *pte)
{
	u64 *table = arch_pa_to_va(pt->root);
	u32 l;

	if (ia >> pt->ia_bits)
		return false;
	for (l = pt->start_level; l < PT_LEVELS; l++) {
		u64 e = __atomic_load_n(&table[pt_index(ia, l)], __ATOMIC_RELAXED);

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
		table = table_of(e);
	}
	return false;
}
