// SPDX-License-Identifier: GPL-2.0
/* VM lifecycle and guest memory: ownership moves, scrubbing, accounting. */
#include "fixture.h"
#include "harness.h"
#include "invariants.h"
#include "vm.h"
#include <kcore/abi.h>

#define RAM_SIZE (32UL << 20)

static u64 kserv_frames(void)
{
	return frames_count_owned(&kc.frames, OWNER_KSERV);
}

static bool host_maps(u64 p)
{
	paddr_t out;
	u32 level;
	u64 pte;

	return pt_lookup(&kc.host.pt, p, &out, &level, &pte);
}

static bool page_is(u64 p, u8 v)
{
	const u8 *b = (const u8 *)(uintptr_t)p;
	u64 i;

	for (i = 0; i < PAGE_SIZE; i++)
		if (b[i] != v)
			return false;
	return true;
}

static u32 new_vm(u64 meta_off, u64 npages)
{
	u32 h = 999;

	CHECK_EQ(vm_create(pa(ram(meta_off)), npages, 40, &h), 0);
	return h;
}

TEST(vm_create_takes_metadata_from_kserv)
{
	u64 before;
	u32 h;

	fixture_machine(RAM_SIZE, 1);
	before = kserv_frames();
	h = new_vm(0x100000, 8);
	CHECK_EQ(h, 0);
	CHECK_EQ(vm_count(), 1);
	CHECK_EQ(kserv_frames(), before - 8);
	CHECK_EQ(frames_owner(&kc.frames, pa(ram(0x100000))), owner_meta(0));
	CHECK_EQ(frames_owner(&kc.frames, pa(ram(0x107000))), owner_meta(0));
	CHECK(!host_maps(ram(0x100000)));
	CHECK(!host_maps(ram(0x107000)));
	CHECK(host_maps(ram(0x108000)));
	CHECK_EQ(vm_lookup(h)->vmid, 1);
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_create_rejects_bad_donations)
{
	u32 h = 0;

	fixture_machine(RAM_SIZE, 1);
	CHECK_EQ(vm_create(pa(ram(0x100000)), 1, 40, &h), -KCORE_EINVAL); /* too few pages */
	CHECK_EQ(vm_create(pa(ram(0x100000)), 4, 31, &h), -KCORE_EINVAL); /* IPA size */
	CHECK_EQ(vm_create(pa(ram(0x100000)), 4, 49, &h), -KCORE_EINVAL); /* IPA size */
	kc.pa_bits = 40;
	CHECK_EQ(vm_create(pa(ram(0x100000)), 4, 44, &h), -KCORE_EINVAL); /* beyond the PA size */
	kc.pa_bits = 48;
	CHECK_EQ(vm_create(pa(ram(0x100800)), 4, 40, &h), -KCORE_EINVAL);	   /* misaligned */
	CHECK_EQ(vm_create(pa(kc.carve_base), 4, 40, &h), -KCORE_EACCES);	   /* KCore's */
	CHECK_EQ(vm_create(pa(kc.carve_base - 0x2000), 4, 40, &h), -KCORE_EACCES); /* runs into KCore's */
	CHECK_EQ(vm_create(pa(0x1000), 4, 40, &h), -KCORE_EACCES);		   /* not RAM */
	CHECK_EQ(vm_create(pa(ram(RAM_SIZE - 0x1000)), 4, 40, &h), -KCORE_EACCES); /* past the end */
	h = new_vm(0x100000, 4);
	CHECK_EQ(vm_create(pa(ram(0x102000)), 4, 40, &h), -KCORE_EACCES); /* already donated */
	CHECK_EQ(vm_count(), 1);
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_map_moves_page_to_guest)
{
	u32 h;
	u64 page, host_tlbi = 0, i;

	fixture_machine(RAM_SIZE, 1);
	page = ram(0x400000);
	h = new_vm(0x100000, 8);
	CHECK(host_maps(page));
	fake.ntlbi = 0;
	fake.cache_cleans = 0;
	fake.icache_invals = 0;
	CHECK_EQ(vm_map_page(h, pa(page), 0x80000000), 0);
	CHECK_EQ(frames_owner(&kc.frames, pa(page)), owner_vm(h));
	CHECK(!host_maps(page));
	for (i = 0; i < fake.ntlbi; i++)
		host_tlbi += fake.tlbi[i].vmid == 0;
	CHECK(host_tlbi > 0);	      /* KServ's stale translations are gone */
	CHECK(fake.cache_cleans > 0); /* and so are its cached copies */
	/* The guest may execute it: instruction caches dropped after the clean. */
	CHECK_EQ(fake.icache_invals, 1);
	CHECK_EQ(fake.cleans_before_inval, fake.cache_cleans);
	CHECK(page_is(page, 0xee)); /* the guest gets the contents KServ loaded */
	CHECK_EQ(frames_count_owned(&kc.frames, owner_vm(h)), 1);
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_map_checks_everything)
{
	u32 a, b;

	fixture_machine(RAM_SIZE, 1);
	a = new_vm(0x100000, 8);
	b = new_vm(0x200000, 8);
	CHECK_EQ(vm_map_page(a, pa(ram(0x400000)), 0x1000), 0);
	CHECK_EQ(vm_map_page(a, pa(ram(0x401000)), 0x1000), -KCORE_EEXIST); /* IPA taken */
	CHECK_EQ(vm_map_page(a, pa(ram(0x400000)), 0x2000), -KCORE_EACCES); /* twice in one VM */
	CHECK_EQ(vm_map_page(b, pa(ram(0x400000)), 0x1000), -KCORE_EACCES); /* another VM's */
	CHECK_EQ(vm_map_page(b, pa(ram(0x100000)), 0x1000), -KCORE_EACCES); /* metadata */
	CHECK_EQ(vm_map_page(b, pa(kc.carve_base), 0x1000), -KCORE_EACCES); /* KCore's */
	CHECK_EQ(vm_map_page(b, pa(0x9000000), 0x1000), -KCORE_EACCES);	    /* MMIO */
	CHECK_EQ(vm_map_page(b, pa(ram(0x402000)), 1UL << 40), -KCORE_ERANGE);
	CHECK_EQ(vm_map_page(b, pa(ram(0x402000)), 0x1800), -KCORE_EINVAL);
	CHECK_EQ(vm_map_page(b, pa(ram(0x402800)), 0x1000), -KCORE_EINVAL);
	CHECK_EQ(vm_map_page(7, pa(ram(0x402000)), 0x1000), -KCORE_ENOENT);
	CHECK_EQ(vm_map_page(KCORE_MAX_VMS, pa(ram(0x402000)), 0x1000), -KCORE_ENOENT);
	CHECK_EQ(vm_map_page(0xffffffff, pa(ram(0x402000)), 0x1000), -KCORE_ENOENT);
	CHECK_EQ(frames_owner(&kc.frames, pa(ram(0x402000))), OWNER_KSERV); /* untouched */
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_map_needs_donated_tables)
{
	u32 h;

	fixture_machine(RAM_SIZE, 1);
	h = new_vm(0x100000, 2); /* the record and the root table only */
	CHECK_EQ(vm_map_page(h, pa(ram(0x400000)), 0x1000), -KCORE_ENOMEM);
	CHECK_EQ(frames_owner(&kc.frames, pa(ram(0x400000))), OWNER_KSERV);
	CHECK_EQ(vm_donate(h, pa(ram(0x300000)), 3), 0);
	CHECK_EQ(vm_map_page(h, pa(ram(0x400000)), 0x1000), 0);
	CHECK_EQ(vm_donate(h, pa(ram(0x400000)), 1), -KCORE_EACCES); /* a guest page */
	CHECK_EQ(vm_donate(9, pa(ram(0x500000)), 1), -KCORE_ENOENT);
	CHECK_EQ(vm_donate(h, pa(0), 1), -KCORE_EINVAL); /* page 0 cannot join a free list */
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_unmap_scrubs_and_returns)
{
	u32 h;
	paddr_t back = pa(0);
	u64 page, i;
	bool guest_tlbi = false;

	fixture_machine(RAM_SIZE, 1);
	page = ram(0x400000);
	h = new_vm(0x100000, 8);
	CHECK_EQ(vm_map_page(h, pa(page), 0x5000), 0);
	fake.ntlbi = 0;
	CHECK_EQ(vm_unmap_page(h, 0x5000, &back), 0);
	CHECK_EQ(back.v, page);
	CHECK(page_is(page, 0)); /* zeroed before KServ gets it */
	CHECK_EQ(frames_owner(&kc.frames, pa(page)), OWNER_KSERV);
	for (i = 0; i < fake.ntlbi; i++)
		guest_tlbi |= fake.tlbi[i].vmid == vm_lookup(h)->vmid && fake.tlbi[i].addr == 0x5000;
	CHECK(guest_tlbi); /* the guest cannot keep using it */
	CHECK_EQ(vm_unmap_page(h, 0x5000, &back), -KCORE_ENOENT);
	CHECK_EQ(vm_unmap_page(h, 0x5001, &back), -KCORE_EINVAL);
	CHECK_EQ(vm_unmap_page(h, 1UL << 45, &back), -KCORE_ERANGE);
	/* KServ's next touch maps it back. */
	{
		u16 owner;

		CHECK_EQ(host_s2_fault(page, &owner), S2_FAULT_HANDLED);
		CHECK(host_maps(page));
	}
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_destroy_returns_everything_zeroed)
{
	u64 before;
	u32 h, i;

	fixture_machine(RAM_SIZE, 1);
	before = kserv_frames();
	h = new_vm(0x100000, 16);
	for (i = 0; i < 8; i++)
		CHECK_EQ(vm_map_page(h, pa(ram(0x400000 + i * PAGE_SIZE)), 0x10000000 + i * PAGE_SIZE), 0);
	CHECK_EQ(kserv_frames(), before - 24);
	fake.ntlbi = 0;
	CHECK_EQ(vm_destroy(h), 0);
	CHECK_EQ(fake.ntlbi, 1);
	CHECK_EQ(fake.tlbi[0].kind, TLBI_S2_VMID);
	CHECK_EQ(fake.tlbi[0].vmid, 1);
	CHECK_EQ(kserv_frames(), before);
	CHECK_EQ(vm_count(), 0);
	for (i = 0; i < 16; i++)
		CHECK(page_is(ram(0x100000 + i * PAGE_SIZE), 0));
	for (i = 0; i < 8; i++)
		CHECK(page_is(ram(0x400000 + i * PAGE_SIZE), 0));
	CHECK_EQ(vm_destroy(h), -KCORE_ENOENT);
	CHECK_EQ(check_invariants(), 0);
}

TEST(vm_lifecycle_50_cycles_accounting)
{
	u64 before, pool_before = 0;
	u32 cycle, i;

	fixture_machine(RAM_SIZE, 1);
	before = kserv_frames();
	for (cycle = 0; cycle < 50; cycle++) {
		u32 a = new_vm(0x100000, 8), b = new_vm(0x800000 + (cycle % 4) * 0x10000, 8);

		CHECK_EQ(a, 0); /* handles and VMIDs are reused */
		CHECK_EQ(b, 1);
		for (i = 0; i < 4; i++) {
			CHECK_EQ(vm_map_page(a, pa(ram(0x400000 + i * PAGE_SIZE)), i * PAGE_SIZE), 0);
			CHECK_EQ(vm_map_page(b, pa(ram(0x600000 + i * PAGE_SIZE)), i * PAGE_SIZE), 0);
		}
		CHECK_EQ(check_invariants(), 0);
		CHECK_EQ(vm_destroy(b), 0);
		CHECK_EQ(vm_destroy(a), 0);
		CHECK_EQ(kserv_frames(), before);
		if (cycle == 1)
			pool_before = pool_nfree(&kc.pool);
		if (cycle > 1)
			CHECK_EQ(pool_nfree(&kc.pool), pool_before); /* KServ's stage-2 splits are not leaked */
	}
	CHECK_EQ(vm_count(), 0);
}

TEST(vm_table_full)
{
	u32 h, i;

	fixture_machine(RAM_SIZE + (8UL << 20), 1);
	for (i = 0; i < KCORE_MAX_VMS; i++)
		CHECK_EQ(vm_create(pa(ram(0x100000 + i * 0x2000)), 2, 32, &h), 0);
	CHECK_EQ(vm_create(pa(ram(0x100000 + i * 0x2000)), 2, 32, &h), -KCORE_ENOSPC);
	CHECK_EQ(vm_destroy(100), 0);
	CHECK_EQ(vm_create(pa(ram(0x100000 + i * 0x2000)), 2, 32, &h), 0);
	CHECK_EQ(h, 100);
	CHECK_EQ(vm_lookup(100)->vmid, 101);
	for (i = 0; i < KCORE_MAX_VMS; i++)
		CHECK_EQ(vm_destroy(i), 0);
	CHECK_EQ(check_invariants(), 0);
}

/* Attack 11: a VM that gets a destroyed VM's VMID sees none of its translations. */
TEST(vm_vmid_reuse_invalidates)
{
	u32 h, h2, i, before;
	u16 vmid;

	fixture_machine(RAM_SIZE, 1);
	h = new_vm(0x100000, 8);
	vmid = vm_lookup(h)->vmid;
	CHECK_EQ(vm_map_page(h, pa(ram(0x400000)), 0x1000), 0);
	fake.ntlbi = 0;
	CHECK_EQ(vm_destroy(h), 0);
	/* The whole VMID is invalidated before any of its pages go back. */
	before = fake.ntlbi;
	CHECK(before >= 1);
	CHECK_EQ(fake.tlbi[0].kind, TLBI_S2_VMID);
	CHECK_EQ(fake.tlbi[0].vmid, vmid);
	h2 = new_vm(0x300000, 8);
	CHECK_EQ(h2, h);
	CHECK_EQ(vm_lookup(h2)->vmid, vmid);
	/* ... and again when the VMID is handed out, before the new VM runs. */
	for (i = before; i < fake.ntlbi && !(fake.tlbi[i].kind == TLBI_S2_VMID && fake.tlbi[i].vmid == vmid); i++)
		;
	CHECK(i < fake.ntlbi);
	/* The new VM's stage-2 has nothing at the old IPA. */
	{
		paddr_t back = pa(0);

		CHECK_EQ(vm_unmap_page(h2, 0x1000, &back), -KCORE_ENOENT);
	}
	CHECK_EQ(check_invariants(), 0);
}

/* KCore's memory per guest: 4 MiB of guest RAM mapped page by page at a
 * 2 MiB-aligned IPA takes two level-3 tables, one level-2 and one level-1
 * table (a 40-bit IPA space starts at level 0; the root exists from
 * VM_CREATE): per GiB, 512 + 1 table pages, about 0.2% of the guest's RAM. */
TEST(vm_stage2_tables_per_guest_memory)
{
	u64 before, i;
	u32 h;

	fixture_machine(RAM_SIZE, 1);
	h = new_vm(0x100000, 16);
	before = pool_nfree(&vm_lookup(h)->pool);
	for (i = 0; i < 1024; i++)
		CHECK_EQ(vm_map_page(h, pa(ram(0x400000 + i * PAGE_SIZE)), 0x40000000 + i * PAGE_SIZE), 0);
	CHECK_EQ(before - pool_nfree(&vm_lookup(h)->pool), 4);
	CHECK_EQ(check_invariants(), 0);
}
