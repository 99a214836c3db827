// SPDX-License-Identifier: GPL-2.0
/* Page-table construction: blocks, splits, break-before-make and its TLBIs. */
#include <stdlib.h>

#include "fake_arch.h"
#include "harness.h"
#include "pgtable.h"
#include <kcore/abi.h>

static const struct pt_prot RW = { PT_MEM_NORMAL, PT_R | PT_W };
static const struct pt_prot RWX = { PT_MEM_NORMAL, PT_R | PT_W | PT_X };
static const struct pt_prot DEV = { PT_MEM_DEVICE, PT_R | PT_W };

static struct pgtable new_s2(struct page_pool *pool, u64 pages)
{
	struct pgtable pt;

	fake_reset();
	fake_pool(pool, pages);
	CHECK_EQ(pt_init(&pt, PT_S2, 40, 7, pool), 0);
	return pt;
}

static bool mapped_at(struct pgtable *pt, u64 ia, u64 want_pa, u32 want_level)
{
	paddr_t out;
	u32 level;
	u64 pte;

	return pt_lookup(pt, ia, &out, &level, &pte) && out.v == want_pa && level == want_level;
}

TEST(pgtable_map_uses_largest_blocks)
{
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 32);

	CHECK_EQ(pt_map(&pt, 0x1000, pa(0x80001000), PAGE_SIZE, RW), 0);
	CHECK(mapped_at(&pt, 0x1234, 0x80001234, 3));
	CHECK_EQ(pt_map(&pt, 0x40000000, pa(0x40000000), SZ_1G, RWX), 0);
	CHECK(mapped_at(&pt, 0x40000000 + 0x12345, 0x40012345, 1));
	/* An unaligned span: pages up to the 2 MiB boundary, one block, pages. */
	CHECK_EQ(pt_map(&pt, 0x1ff000, pa(0x801ff000), 0x202000, RW), 0);
	CHECK(mapped_at(&pt, 0x1ff000, 0x801ff000, 3));
	CHECK(mapped_at(&pt, 0x200000, 0x80200000, 2));
	CHECK(mapped_at(&pt, 0x400000, 0x80400000, 3));
	CHECK(!mapped_at(&pt, 0x401000, 0x80401000, 3));
	/* Filling invalid entries never needs a TLB invalidation. */
	CHECK_EQ(fake.ntlbi, 0);
}

TEST(pgtable_block_needs_aligned_output)
{
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 32);

	/* IA aligned but PA not: must fall back to pages. */
	CHECK_EQ(pt_map(&pt, 0x200000, pa(0x80201000), SZ_2M, RW), 0);
	CHECK(mapped_at(&pt, 0x200000, 0x80201000, 3));
	CHECK(mapped_at(&pt, 0x3ff000, 0x803ff000 + 0x1000, 3));
}

TEST(pgtable_unmap_splits_block_with_bbm)
{
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 32);

	CHECK_EQ(pt_map(&pt, 0x200000, pa(0x80200000), SZ_2M, RW), 0);
	CHECK_EQ(pt_unmap(&pt, 0x205000, PAGE_SIZE), 0);
	CHECK(!mapped_at(&pt, 0x205000, 0x80205000, 3));
	CHECK(mapped_at(&pt, 0x204000, 0x80204000, 3));
	CHECK(mapped_at(&pt, 0x206fff, 0x80206fff, 3));
	CHECK(mapped_at(&pt, 0x3ff000, 0x803ff000, 3));
	/* The block was broken (invalidated at its base) before the table went in,
	 * then the page was invalidated when it was unmapped. */
	CHECK_EQ(fake.ntlbi, 2);
	CHECK_EQ(fake.tlbi[0].kind, TLBI_S2_IPA);
	CHECK_EQ(fake.tlbi[0].vmid, 7);
	CHECK_EQ(fake.tlbi[0].addr, 0x200000);
	CHECK_EQ(fake.tlbi[0].level, 2);
	CHECK_EQ(fake.tlbi[1].addr, 0x205000);
	CHECK_EQ(fake.tlbi[1].level, 3);
}

TEST(pgtable_remap_invalidates_only_changes)
{
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 32);

	CHECK_EQ(pt_map(&pt, 0x3000, pa(0x90003000), PAGE_SIZE, RW), 0);
	CHECK_EQ(pt_map(&pt, 0x3000, pa(0x90003000), PAGE_SIZE, RW), 0);
	CHECK_EQ(fake.ntlbi, 0); /* identical: nothing to do */
	CHECK_EQ(pt_map(&pt, 0x3000, pa(0x90004000), PAGE_SIZE, RW), 0);
	CHECK_EQ(fake.ntlbi, 1);
	CHECK_EQ(fake.tlbi[0].addr, 0x3000);
	CHECK(mapped_at(&pt, 0x3000, 0x90004000, 3));
	CHECK_EQ(pt_map(&pt, 0x3000, pa(0x90004000), PAGE_SIZE, DEV), 0);
	CHECK_EQ(fake.ntlbi, 2); /* attributes changed too */
}

TEST(pgtable_block_over_table_frees_subtree)
{
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 32);
	u64 before;

	CHECK_EQ(pt_map(&pt, 0x200000, pa(0x80200000), PAGE_SIZE, RW), 0);
	before = pool_nfree(&pool);
	CHECK_EQ(pt_map(&pt, 0x200000, pa(0x80200000), SZ_2M, RW), 0);
	CHECK(mapped_at(&pt, 0x3ff000, 0x803ff000, 2));
	CHECK_EQ(pool_nfree(&pool), before + 1); /* the level-3 table came back */
	CHECK_EQ(fake.ntlbi, 1);
	CHECK_EQ(fake.tlbi[0].kind, TLBI_S2_VMID); /* a table covers many entries */
	CHECK_EQ(pt_unmap(&pt, 0, SZ_1G), 0);	   /* the whole level-2 table goes */
	CHECK(!mapped_at(&pt, 0x3ff000, 0x803ff000, 2));
	CHECK_EQ(pool_nfree(&pool), before + 2);
}

TEST(pgtable_rejects_bad_arguments)
{
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 3);

	CHECK_EQ(pt_map(&pt, 0x1001, pa(0x1000), PAGE_SIZE, RW), -KCORE_EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, pa(0x1001), PAGE_SIZE, RW), -KCORE_EINVAL);
	CHECK_EQ(pt_map(&pt, 0x1000, pa(0x1000), 0, RW), -KCORE_EINVAL);
	CHECK_EQ(pt_map(&pt, 1UL << 40, pa(0x1000), PAGE_SIZE, RW), -KCORE_EINVAL);
	CHECK_EQ(pt_map(&pt, (1UL << 40) - PAGE_SIZE, pa(0), 2 * PAGE_SIZE, RW), -KCORE_EINVAL);
	CHECK_EQ(pt_map(&pt, 0, pa((1UL << 48) - PAGE_SIZE), 2 * PAGE_SIZE, RW), -KCORE_EINVAL);
	CHECK_EQ(pt_unmap(&pt, 0x800, PAGE_SIZE), -KCORE_EINVAL);
	/* Two pool pages left after the root: a 4 KiB map needs three tables. */
	CHECK_EQ(pt_map(&pt, 0x1000, pa(0x1000), PAGE_SIZE, RW), -KCORE_ENOMEM);
}

TEST(pgtable_attribute_encoding)
{
	struct pt_prot ro = { PT_MEM_NORMAL, PT_R };
	u64 s1 = pt_prot_bits(PT_EL2_S1, ro), s2 = pt_prot_bits(PT_S2, ro);

	CHECK(s1 & PTE_S1_AP_RO);
	CHECK(s1 & PTE_S1_XN);
	CHECK(s1 & PTE_S1_AP1);
	CHECK_EQ(s1 & (7UL << 2), PTE_S1_ATTRIDX(MT_NORMAL));
	CHECK_EQ(pt_prot_bits(PT_EL2_S1, DEV) & (7UL << 2), PTE_S1_ATTRIDX(MT_DEVICE_nGnRE));
	CHECK(!(pt_prot_bits(PT_EL2_S1, RWX) & (PTE_S1_XN | PTE_S1_AP_RO)));
	CHECK(s2 & PTE_S2_AP_R);
	CHECK(!(s2 & PTE_S2_AP_W));
	CHECK_EQ(s2 & PTE_S2_XN, PTE_S2_XN);
	CHECK_EQ(pt_prot_bits(PT_S2, DEV) & (0xfUL << 2), PTE_S2_MEMATTR(1));
	CHECK_EQ(pt_prot_bits(PT_S2, RWX) & (0xfUL << 2), PTE_S2_MEMATTR(0xf));
	CHECK(!(pt_prot_bits(PT_S2, RWX) & PTE_S2_XN));
}

/*
 * Random maps and unmaps over an 8 MiB window, checked page by page against
 * a reference model after every operation; every page whose translation was
 * valid and changed must have been covered by a TLB invalidation.
 */
#define WINDOW_PAGES 2048
struct ref {
	u64 pa; /* 0: unmapped */
	u32 level;
};

static bool tlbi_covers(u64 ia, u32 level)
{
	u32 i;

	for (i = 0; i < fake.ntlbi && i < FAKE_MAX_TLBI; i++) {
		if (fake.tlbi[i].kind == TLBI_S2_VMID)
			return true;
		if (fake.tlbi[i].kind == TLBI_S2_IPA && fake.tlbi[i].addr == ALIGN_DOWN(ia, pt_level_size(level)))
			return true;
	}
	return false;
}

TEST(pgtable_random_against_model)
{
	static struct ref model[WINDOW_PAGES], seen[WINDOW_PAGES];
	struct page_pool pool;
	struct pgtable pt = new_s2(&pool, 256);
	unsigned seed = 7;
	int op, i;

	for (op = 0; op < 3000; op++) {
		u64 first, n, base_pa;
		bool map;

		seed = seed * 1103515245 + 12345;
		map = (seed >> 16) & 1;
		n = 1 + ((seed >> 4) % 4 == 0 ? 512 + (seed >> 20) % 600 : (seed >> 20) % 8);
		first = (seed >> 8) % WINDOW_PAGES;
		if ((seed >> 3) & 1)
			first = ALIGN_DOWN(first, 512);
		if (first + n > WINDOW_PAGES)
			n = WINDOW_PAGES - first;
		base_pa = 0x100000000UL + ((seed >> 12) % 4) * SZ_2M * 8 + first * PAGE_SIZE;
		for (i = 0; i < WINDOW_PAGES; i++) {
			paddr_t out;
			u64 pte;

			seen[i].pa = pt_lookup(&pt, (u64)i * PAGE_SIZE, &out, &seen[i].level, &pte) ? out.v : 0;
		}
		fake.ntlbi = 0;
		if (map)
			CHECK_EQ(pt_map(&pt, first * PAGE_SIZE, pa(base_pa), n * PAGE_SIZE, RW), 0);
		else
			CHECK_EQ(pt_unmap(&pt, first * PAGE_SIZE, n * PAGE_SIZE), 0);
		for (i = 0; i < (int)n; i++)
			model[first + i].pa = map ? base_pa + (u64)i * PAGE_SIZE : 0;
		for (i = 0; i < WINDOW_PAGES; i++) {
			paddr_t out;
			u32 level;
			u64 pte, now = pt_lookup(&pt, (u64)i * PAGE_SIZE, &out, &level, &pte) ? out.v : 0;

			if (now != model[i].pa) {
				CHECK_EQ(now, model[i].pa);
				return;
			}
			if (seen[i].pa && seen[i].pa != now && !tlbi_covers((u64)i * PAGE_SIZE, seen[i].level)) {
				printf("    page %d changed from 0x%lx without a TLBI (op %d)\n", i, seen[i].pa, op);
				CHECK(0);
				return;
			}
		}
	}
	CHECK(pool_nfree(&pool) > 0);
}
