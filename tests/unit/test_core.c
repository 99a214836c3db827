// SPDX-License-Identifier: GPL-2.0
/* Ownership records, carve-out placement, KServ's stage-2 and its faults. */
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"
#include "kcore.h"
#include <kcore/abi.h>

static const struct range two_banks[] = { { 0x40000000, 0x40000000 }, { 0x100000000, 0x20000000 } };

TEST(frames_track_owners_across_banks)
{
	struct frames f;
	struct frame *rec = calloc(frames_count(two_banks, 2), sizeof(*rec));

	CHECK_EQ(frames_count(two_banks, 2), (0x40000000 + 0x20000000) >> PAGE_SHIFT);
	CHECK_EQ(frames_init(&f, two_banks, 2, rec), 0);
	CHECK_EQ(frames_owner(&f, pa(0x40000000)), OWNER_KSERV);
	CHECK_EQ(frames_owner(&f, pa(0x3ffff000)), OWNER_NOT_RAM);
	CHECK_EQ(frames_owner(&f, pa(0x80000000)), OWNER_NOT_RAM); /* the gap */
	CHECK_EQ(frames_set_owner(&f, pa(0x11fe00000), 0x200000, OWNER_KCORE), 0);
	CHECK_EQ(frames_owner(&f, pa(0x11fe00123)), OWNER_KCORE);
	CHECK_EQ(frames_owner(&f, pa(0x11fdff000)), OWNER_KSERV);
	CHECK_EQ(frames_count_owned(&f, OWNER_KCORE), 0x200);
	CHECK(frames_all_owned(&f, pa(0x11fe00000), 0x200000, OWNER_KCORE));
	CHECK(!frames_all_owned(&f, pa(0x11fc00000), 0x400000, OWNER_KCORE));
	/* Ranges that leave RAM, cross the gap, or are unaligned are refused. */
	CHECK_EQ(frames_set_owner(&f, pa(0x7ffff000), 0x2000, OWNER_KCORE), -KCORE_EINVAL);
	CHECK_EQ(frames_set_owner(&f, pa(0x40000800), 0x1000, OWNER_KCORE), -KCORE_EINVAL);
	CHECK(!frames_all_owned(&f, pa(0x7ffff000), 0x2000, OWNER_KSERV));
	CHECK(frames_any_ram(&f, 0x3ffff000, 0x2000));
	CHECK(!frames_any_ram(&f, 0x80000000, 0x80000000));
	free(rec);
}

TEST(carveout_sizes_and_placement)
{
	struct carveout_plan c;
	struct range avoid[] = { { 0x7fe00000, 0x1000 }, { 0x7f900000, 0x200000 } };
	u64 base;

	carveout_plan(&c, 0x50000, 0x40000, 4, 128);
	CHECK_EQ(c.image_size, 0x50000);
	CHECK_EQ(c.frames_size, 0x40000 * sizeof(struct frame));
	CHECK(c.pool_size >= (1UL << 20));
	CHECK(IS_ALIGNED(c.total, SZ_2M));
	CHECK_EQ(c.total, c.image_size + c.frames_size + c.percpu_size + c.pool_size);
	/* Highest fit, below what must be avoided. */
	base = carveout_place(two_banks, 1, avoid, 2, 0x600000, SZ_2M);
	CHECK_EQ(base, 0x7f200000); /* below both, after two steps */
	base = carveout_place(two_banks, 2, avoid, 2, 0x600000, SZ_2M);
	CHECK_EQ(base, 0x120000000 - 0x600000);
	CHECK_EQ(carveout_place(two_banks, 1, avoid, 2, 0x80000000, SZ_2M), 0); /* too big */
	CHECK_EQ(carveout_place(two_banks, 1, avoid, 2, 0x600000, 3), 0);	/* bad alignment */
}

/* A small machine: 64 MiB of RAM at 1 GiB, a 2 MiB carve-out at its top. */
static void small_machine(void)
{
	fixture_machine(64 << 20, 1);
}

static bool host_maps(u64 ipa, u32 *level, u64 *pte)
{
	paddr_t out;

	return pt_lookup(&kc.host.pt, ipa, &out, level, pte) && out.v == ipa;
}

TEST(host_s2_maps_kserv_ram_not_kcore)
{
	u32 level;
	u64 pte;
	u16 owner;

	small_machine();
	CHECK(host_maps(ram(0), &level, &pte));
	CHECK_EQ(level, 2); /* 2 MiB blocks */
	CHECK(host_maps(ram(0x3dff000), &level, &pte));
	CHECK(!host_maps(ram(0x3e00000), &level, &pte));
	CHECK(!host_maps(ram(0x3fff000), &level, &pte));
	CHECK_EQ(host_s2_fault(ram(0x3e00040), &owner), S2_FAULT_DENIED);
	CHECK_EQ(owner, OWNER_KCORE);
	CHECK(!host_maps(ram(0x3e00000), &level, &pte)); /* still not mapped */
}

TEST(host_s2_maps_mmio_on_demand)
{
	u32 level;
	u64 pte;
	u16 owner;

	small_machine();
	CHECK(!host_maps(0x09000000, &level, &pte));
	CHECK_EQ(host_s2_fault(0x09000018, &owner), S2_FAULT_HANDLED);
	CHECK_EQ(owner, OWNER_NOT_RAM);
	CHECK(host_maps(0x09000000, &level, &pte));
	CHECK_EQ(level, 1); /* [0, 1 GiB) holds no RAM */
	CHECK_EQ(pte & (0xfUL << 2), PTE_S2_MEMATTR(1));
	CHECK_EQ(pte & PTE_S2_XN, PTE_S2_XN);
	/* Next to RAM the block must stay clear of it: a 2 MiB block, unless
	 * RAM happens to end on a 1 GiB boundary (the fake RAM's address comes
	 * from the allocator). */
	CHECK_EQ(host_s2_fault(ram(0x4000000), &owner), S2_FAULT_HANDLED);
	CHECK(host_maps(ram(0x4000000), &level, &pte));
	CHECK_EQ(level, IS_ALIGNED(ram(0x4000000), 1UL << 30) ? 1 : 2);
	CHECK_EQ(pte & (0xfUL << 2), PTE_S2_MEMATTR(1));
	/* Outside the 48-bit IPA space there is nothing to map. */
	CHECK_EQ(host_s2_fault(1UL << 49, &owner), S2_FAULT_DENIED);
}

TEST(host_s2_remaps_kserv_ram)
{
	u32 level;
	u64 pte;
	u16 owner;

	small_machine();
	CHECK_EQ(pt_unmap(&kc.host.pt, ram(0x200000), SZ_2M), 0);
	CHECK(!host_maps(ram(0x200000), &level, &pte));
	CHECK_EQ(host_s2_fault(ram(0x234000), &owner), S2_FAULT_HANDLED);
	CHECK(host_maps(ram(0x200000), &level, &pte));
	CHECK_EQ(level, 2);
	CHECK_EQ(pte & (0xfUL << 2), PTE_S2_MEMATTR(0xf));
}
