// SPDX-License-Identifier: GPL-2.0
/*
 * KServ's stage-2: an identity map of what KServ owns. RAM is mapped at boot
 * with the largest blocks that fit; device MMIO (anything that is not RAM) is
 * mapped on KServ's first access, as Device-nGnRE. Frames KServ does not own
 * are never mapped; an access to one is refused.
 */
#include "kcore.h"
#include "mem_protect.h"
#include <kcore/abi.h>

static const struct pt_prot kserv_ram = { PT_MEM_NORMAL, PT_R | PT_W | PT_X };
static const struct pt_prot kserv_mmio = { PT_MEM_DEVICE, PT_R | PT_W };

/*@ // [a, a + n) misses KCore's carve-out [cb, cb + cs).
    predicate misses_carve(integer a, integer n, integer cb, integer cs) =
      cs == 0 || n == 0 || a + n <= cb || cb + cs <= a;
 */

/* Map [base, end) of RAM minus the carve-out [cb, cb + cs). Every range it
 * maps is asserted to lie in [base, end) and to miss the carve-out
 * (invariant 4). */
/*@ requires host_pt_ok;
    requires base <= end && no_wrap(kc.carve_base, kc.carve_size);
    assigns HOST_PT_FOOTPRINT;
    ensures host_pt_ok;
 */
static int map_bank(u64 base, u64 end)
{
	u64 cb = kc.carve_base, cs = kc.carve_size, ce = cb + cs;
	int err = 0;

	if (ranges_overlap(base, end - base, cb, cs)) {
		if (base < cb) {
			/*@ assert cb <= end && misses_carve(base, cb - base, cb, cs); */
			err = pt_map(&kc.host.pt, base, pa(base), cb - base, kserv_ram);
		}
		if (!err && ce < end) {
			/*@ assert base <= ce && misses_carve(ce, end - ce, cb, cs); */
			err = pt_map(&kc.host.pt, ce, pa(ce), end - ce, kserv_ram);
		}
		return err;
	}
	/*@ assert misses_carve(base, end - base, cb, cs); */
	return pt_map(&kc.host.pt, base, pa(base), end - base, kserv_ram);
}

/*@ requires pool_ok(&kc.pool) && pt_pages_apart(&kc.pool, &kc.host.pt);
    requires kc.pool.free_head != 0 ==> pool_owns(&kc.pool, kc.pool.free_head);
    requires bbm_pending == 0 && pte_unpublished == 0;
    requires \forall integer q; pool_owns(&kc.pool, q) ==>
	       \base_addr(tbl(q)) != \base_addr(&kc) && \base_addr(tbl(q)) != \base_addr(kc.frames.rec);
    requires kc.plat.nmem <= PLAT_MAX_MEM;
    requires \forall integer i; 0 <= i < kc.plat.nmem ==> no_wrap(kc.plat.mem[i].base, kc.plat.mem[i].size);
    requires no_wrap(kc.carve_base, kc.carve_size);
    assigns kc.host.pt, HOST_PT_FOOTPRINT;
    ensures \result == 0 ==> host_pt_ok;
 */
int host_s2_init(u32 ipa_bits)
{
	u32 i;
	int err;

	err = pt_init(&kc.host.pt, PT_S2, ipa_bits, 0, &kc.pool);
	/*@ loop invariant 0 <= i <= kc.plat.nmem;
	    loop invariant err == 0 ==> host_pt_ok;
	    loop assigns i, err, HOST_PT_FOOTPRINT;
	    loop variant kc.plat.nmem - i;
	 */
	for (i = 0; !err && i < kc.plat.nmem; i++)
		err = map_bank(kc.plat.mem[i].base, range_end(&kc.plat.mem[i]));
	return err;
}

/*@ // [base, base + size) holds no RAM.
    predicate no_ram{L}(struct frames *f, integer base, integer size) =
      \forall integer i; 0 <= i < f->nbanks && f->bank[i].size != 0 ==>
	!(base < f->bank[i].base + f->bank[i].size && f->bank[i].base < base + size);
 */

/*
 * What the last host_s2_fault() handed to pt_map(), for the proofs
 * (docs/verification.md): its contract says what that range may hold.
 */
/*@ ghost u64 host_s2_mapped_base; */
/*@ ghost u64 host_s2_mapped_size; */

/* The @sz block around @ipa is inside the IPA space and holds no RAM. */
/*@ requires frames_ok(&kc.frames);
    requires 25 <= kc.host.pt.ia_bits <= 48;
    requires sz == SZ_1G || sz == SZ_2M || sz == PAGE_SIZE;
    assigns \nothing;
    ensures \result <==> ipa - ipa % sz + sz <= (1 << kc.host.pt.ia_bits) &&
			  no_ram(&kc.frames, ipa - ipa % sz, sz);
 */
static bool mmio_fits(u64 ipa, u64 sz)
{
	u64 base = ipa - ipa % sz;

	return range_within(base, sz, 0, 1UL << kc.host.pt.ia_bits) && !frames_any_ram(&kc.frames, base, sz);
}

/* The largest block around @ipa that holds no RAM at all, or 0. */
/*@ requires frames_ok(&kc.frames);
    requires 25 <= kc.host.pt.ia_bits <= 48;
    assigns \nothing;
    ensures \result == 0 || \result == SZ_1G || \result == SZ_2M || \result == PAGE_SIZE;
    ensures \result != 0 ==> ipa - ipa % \result + \result <= (1 << kc.host.pt.ia_bits) &&
			      no_ram(&kc.frames, ipa - ipa % \result, \result);
 */
static u64 mmio_block(u64 ipa)
{
	if (mmio_fits(ipa, SZ_1G))
		return SZ_1G;
	if (mmio_fits(ipa, SZ_2M))
		return SZ_2M;
	return mmio_fits(ipa, PAGE_SIZE) ? PAGE_SIZE : 0;
}

/* The largest block around @ipa whose frames are all KServ's: 2 MiB or 4 KiB. */
/*@ requires frames_ok(&kc.frames);
    assigns \nothing;
    ensures \result == SZ_2M || \result == PAGE_SIZE;
    ensures \result == SZ_2M ==>
	      \exists integer b; range_owned(&kc.frames, b, ipa - ipa % SZ_2M, SZ_2M, OWNER_KSERV);
 */
static u64 ram_block(u64 ipa)
{
	u64 base = ipa - ipa % SZ_2M;

	return frames_all_owned(&kc.frames, pa(base), SZ_2M, OWNER_KSERV) ? SZ_2M : PAGE_SIZE;
}

/* Map [base, base + sz) in KServ's stage-2 (the frames lock held): 0, or the
 * error of pt_map(). The frame records are untouched: this contract says so
 * in the terms fault_locked() uses. */
/*@ requires frames_ok(&kc.frames) && host_pt_ok;
    assigns HOST_PT_FOOTPRINT;
    ensures frames_ok(&kc.frames) && host_pt_ok && frames_same{Pre, Post};
    ensures kc.host.pt.ia_bits == \old(kc.host.pt.ia_bits);
    ensures \forall integer x, q; pt_maps(&kc.host.pt, x, q) ==>
	      \old(pt_maps(&kc.host.pt, x, q)) || (base <= x < base + sz && q == x);
 */
static int host_map(u64 base, u64 sz, bool ram)
{
	int err = pt_map(&kc.host.pt, base, pa(base), sz, ram ? kserv_ram : kserv_mmio);

	/*@ assert HOST_PT_APART; */
	/*@ assert FRAMES_KEPT_FIELDS; */
	/*@ assert FRAMES_KEPT_SHAPE; */
	/*@ assert frames_shape(&kc.frames); */
	/*@ assert FRAMES_KEPT_LOOKUP; */
	return err;
}

/*@ // KServ's stage-2 may map every page of [base, base + sz) to itself
    // (invariant 3): each is RAM that KServ owns, or not RAM.
    predicate kserv_may_map{L}(integer base, integer sz) =
      \forall integer x; base <= x < base + sz && x % PAGE_SIZE == 0 ==>
	owned_by(x, OWNER_KSERV) || not_ram(&kc.frames, x);
 */

/*
 * host_s2_fault() under the frame records' lock, which also covers KServ's
 * stage-2 (spinlock.h): the owner check and the map are one step.
 */
/*@ requires frames_ok(&kc.frames) && host_pt_ok && inv_kserv_maps;
    requires \valid(owner) && \base_addr(owner) != \base_addr(&kc) && \base_addr(owner) != \base_addr(kc.frames.rec);
    assigns *owner, HOST_PT_FOOTPRINT, host_s2_mapped_base, host_s2_mapped_size;
    ensures frames_ok(&kc.frames) && host_pt_ok && inv_kserv_maps;
    ensures \result == S2_FAULT_HANDLED || \result == S2_FAULT_DENIED || \result == S2_FAULT_NOMEM;
    ensures \result != S2_FAULT_DENIED ==> *owner == OWNER_KSERV || *owner == OWNER_NOT_RAM;
    ensures \result != S2_FAULT_DENIED ==> host_s2_mapped_base == ipa - ipa % host_s2_mapped_size;
    behavior kserv_ram:
      assumes \exists integer i; in_bank(&kc.frames, i, ipa) && frame_in(&kc.frames, i, ipa)->owner == OWNER_KSERV;
      ensures *owner == OWNER_KSERV;
      ensures \result != S2_FAULT_DENIED;
      ensures host_s2_mapped_size == PAGE_SIZE ||
	      (host_s2_mapped_size == SZ_2M &&
	       \exists integer b; \at(range_owned(&kc.frames, b, ipa - ipa % SZ_2M, SZ_2M, OWNER_KSERV), Pre));
    behavior other_ram:
      assumes \exists integer i; in_bank(&kc.frames, i, ipa) && frame_in(&kc.frames, i, ipa)->owner != OWNER_KSERV &&
		frame_in(&kc.frames, i, ipa)->owner != OWNER_NOT_RAM;
      ensures \result == S2_FAULT_DENIED;
    behavior not_ram:
      assumes not_ram(&kc.frames, ipa);
      ensures *owner == OWNER_NOT_RAM;
      ensures \result != S2_FAULT_DENIED ==>
		host_s2_mapped_base + host_s2_mapped_size <= (1 << kc.host.pt.ia_bits) &&
		no_ram(&kc.frames, host_s2_mapped_base, host_s2_mapped_size);
 */
static enum s2_fault fault_locked(u64 ipa, u16 *owner)
{
	u16 o = frames_owner(&kc.frames, pa(ipa));
	enum s2_fault r = S2_FAULT_DENIED;
	u64 sz = 0, base;

	if (o == OWNER_KSERV || o == OWNER_NOT_RAM)
		sz = o == OWNER_KSERV ? ram_block(ipa) : mmio_block(ipa);
	if (sz) { /* else not KServ's, or beyond the IPA space */
		base = ipa - ipa % sz;
		/*@ assert sz == PAGE_SIZE ==> \forall integer i; in_bank(&kc.frames, i, ipa) ==>
		      kc.frames.bank[i].base % PAGE_SIZE == 0; */
		/*@ assert sz == PAGE_SIZE ==> \forall integer bb; bb % PAGE_SIZE == 0 && bb <= ipa ==>
		      bb <= base && (base - bb) / PAGE_SIZE == (ipa - bb) / PAGE_SIZE; */
		/*@ assert o == OWNER_KSERV && sz == PAGE_SIZE ==>
		      \forall integer i; in_bank(&kc.frames, i, ipa) ==>
			in_bank(&kc.frames, i, base) &&
			frame_in(&kc.frames, i, base) == frame_in(&kc.frames, i, ipa); */
		/*@ assert o == OWNER_KSERV && sz == PAGE_SIZE ==> owned_by(base, OWNER_KSERV); */
		/*@ assert o == OWNER_KSERV && sz == SZ_2M ==>
		      \exists integer b; range_owned(&kc.frames, b, base, SZ_2M, OWNER_KSERV); */
		/*@ assert o == OWNER_KSERV && sz == SZ_2M ==>
		      \forall integer b, x; range_owned(&kc.frames, b, base, SZ_2M, OWNER_KSERV) &&
			base <= x < base + sz && x % PAGE_SIZE == 0 ==>
			in_bank(&kc.frames, b, x) &&
			frame_in(&kc.frames, b, x) == page_frame(&kc.frames, b, base, (x - base) / PAGE_SIZE) &&
			0 <= (x - base) / PAGE_SIZE < SZ_2M / PAGE_SIZE; */
		/*@ assert o == OWNER_KSERV && sz == SZ_2M ==>
		      \forall integer b, x; range_owned(&kc.frames, b, base, SZ_2M, OWNER_KSERV) &&
			base <= x < base + sz && x % PAGE_SIZE == 0 ==>
			in_bank(&kc.frames, b, x) && frame_in(&kc.frames, b, x)->owner == OWNER_KSERV; */
		/*@ assert o == OWNER_KSERV && sz == SZ_2M ==> kserv_may_map(base, sz); */
		/*@ assert o == OWNER_KSERV && sz == PAGE_SIZE ==> kserv_may_map(base, sz); */
		/*@ assert o != OWNER_KSERV ==> no_ram(&kc.frames, base, sz); */
		/*@ assert o != OWNER_KSERV ==> kserv_may_map(base, sz); */
		/*@ assert kserv_may_map(base, sz); */
		/*@ ghost host_s2_mapped_base = base; */
		/*@ ghost host_s2_mapped_size = sz; */
		r = host_map(base, sz, o == OWNER_KSERV) ? S2_FAULT_NOMEM : S2_FAULT_HANDLED;
		/*@ assert \forall integer x, q; x % PAGE_SIZE == 0 && pt_maps(&kc.host.pt, x, q) ==>
		      q == x && \at(owned_by(q, OWNER_KSERV) || not_ram(&kc.frames, q), Pre); */
	}
	/*@ assert \forall integer x, q; x % PAGE_SIZE == 0 && pt_maps(&kc.host.pt, x, q) ==>
	      q == x && \at(owned_by(q, OWNER_KSERV) || not_ram(&kc.frames, q), Pre); */
	*owner = o; /* last: the records' owners are read in the same memory */
	/* The records did not change. */
	/*@ assert \forall integer j, q; in_bank(&kc.frames, j, q) <==> \at(in_bank(&kc.frames, j, q), Pre); */
	/*@ assert \forall integer j, q; in_bank(&kc.frames, j, q) ==>
	      frame_in(&kc.frames, j, q) == \at(frame_in(&kc.frames, j, q), Pre) &&
	      frame_in(&kc.frames, j, q)->owner == \at(frame_in(&kc.frames, j, q)->owner, Pre); */
	/*@ assert \forall integer q; \at(owned_by(q, OWNER_KSERV), Pre) ==> owned_by(q, OWNER_KSERV); */
	/*@ assert \forall integer q; \at(not_ram(&kc.frames, q), Pre) ==> not_ram(&kc.frames, q); */
	return r;
}

enum s2_fault host_s2_fault(u64 ipa, u16 *owner)
{
	enum s2_fault r;

	ticket_lock(&kc.frames.lock);
	r = fault_locked(ipa, owner);
	ticket_unlock(&kc.frames.lock);
	return r;
}
