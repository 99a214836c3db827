// SPDX-License-Identifier: GPL-2.0
/* Ownership transitions between KServ and KCore or a VM. The contracts are
 * in mem_protect.h. */
#include "mem_protect.h"
#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "log.h"
#include <kcore/abi.h>

int mp_check_kserv(paddr_t p, u64 npages)
{
	u64 i;

	if (!npages || !page_aligned(p.v) || npages > MP_MAX_PAGES)
		return -KCORE_EINVAL;
	/*@ loop invariant 0 <= i <= npages;
	    loop invariant p.v + i * PAGE_SIZE <= UINT64_MAX;
	    loop invariant \forall integer k; 0 <= k < i ==> kserv_free(&kc.frames, p.v + k * PAGE_SIZE);
	    loop assigns i;
	    loop variant npages - i;
	 */
	for (i = 0; i < npages; i++) {
		struct frame *fr = frames_get(&kc.frames, pa(p.v + i * PAGE_SIZE));

		/*@ for ok: assert kserv_free(&kc.frames, p.v + i * PAGE_SIZE); */
		/*@ for ok: assert fr != \null && fr->owner == OWNER_KSERV; */
		/*@ for ok: assert fr->share_count == 0 && fr->pin_count == 0; */
		if (!fr || fr->owner != OWNER_KSERV) {
			/*@ assert !kserv_ram(&kc.frames, p.v + i * PAGE_SIZE); */
			return -KCORE_EACCES;
		}
		if (fr->share_count || fr->pin_count) {
			/*@ assert kserv_ram(&kc.frames, p.v + i * PAGE_SIZE); */
			/*@ assert !kserv_free(&kc.frames, p.v + i * PAGE_SIZE); */
			return -KCORE_EBUSY;
		}
		/*@ assert kserv_free(&kc.frames, p.v + i * PAGE_SIZE); */
		/*@ assert \exists integer b; in_bank(&kc.frames, b, p.v + i * PAGE_SIZE) &&
		      p.v + i * PAGE_SIZE + PAGE_SIZE <= kc.frames.bank[b].base + kc.frames.bank[b].size; */
	}
	return pool_nfree(&kc.pool) >= HOST_S2_UNMAP_RESERVE ? 0 : -KCORE_ENOMEM;
}

/* Unmap [ia, ia + size) from KServ's stage-2 (the frames lock held): 0, or the
 * error of pt_unmap(). The frame records are untouched: this contract
 * says so in the terms mp_take_from_kserv() uses. */
/*@ requires frames_ok(&kc.frames) && host_pt_ok;
    assigns HOST_PT_FOOTPRINT;
    ensures \result == 0 || \result == -KCORE_EINVAL || \result == -KCORE_ENOMEM;
    ensures frames_ok(&kc.frames) && host_pt_ok && frames_same{Pre, Post};
    ensures \forall integer x, q; pt_maps(&kc.host.pt, x, q) ==> \old(pt_maps(&kc.host.pt, x, q));
    ensures \result == 0 ==> \forall integer x, q; ia <= x < ia + size ==> !pt_maps(&kc.host.pt, x, q);
 */
static int host_unmap(u64 ia, u64 size)
{
	int err;

	err = pt_unmap(&kc.host.pt, ia, size);
	/*@ assert HOST_PT_APART; */
	/*@ assert FRAMES_KEPT_FIELDS; */
	/*@ assert FRAMES_KEPT_SHAPE; */
	/*@ assert frames_shape(&kc.frames); */
	/*@ assert FRAMES_KEPT_LOOKUP; */
	return err;
}

void mp_take_from_kserv(paddr_t p, u64 npages, u16 owner)
{
	u64 i, size = npages * PAGE_SIZE;
	int err;

	/* The pages below p + i pages have the new owner; every other page
	 * keeps its own. */
	/*@ loop invariant 0 <= i <= npages;
	    loop invariant \forall integer q, j; q % PAGE_SIZE == 0 && p.v <= q < p.v + i * PAGE_SIZE &&
			     in_bank(&kc.frames, j, q) ==> frame_in(&kc.frames, j, q)->owner == owner;
	    loop invariant \forall integer q, j; q % PAGE_SIZE == 0 && !(p.v <= q < p.v + i * PAGE_SIZE) &&
			     in_bank(&kc.frames, j, q) ==>
			     frame_in(&kc.frames, j, q)->owner == \at(frame_in(&kc.frames, j, q)->owner, Pre);
	    loop assigns i, { frame_in(&kc.frames, j, p.v + k * PAGE_SIZE)->owner |
			      integer j, k; 0 <= k < npages && in_bank(&kc.frames, j, p.v + k * PAGE_SIZE) };
	    loop variant npages - i;
	 */
	for (i = 0; i < npages; i++) {
		struct frame *fr;

		/*@ assert \forall integer k; k == i ==> \at(kserv_free(&kc.frames, p.v + k * PAGE_SIZE), Pre); */
		/*@ assert \exists integer b; in_bank(&kc.frames, b, p.v + i * PAGE_SIZE); */
		fr = frames_get(&kc.frames, pa(p.v + i * PAGE_SIZE));
		/*@ assert \exists integer b; in_bank(&kc.frames, b, p.v + i * PAGE_SIZE) &&
		      fr == frame_in(&kc.frames, b, p.v + i * PAGE_SIZE) && \valid(fr); */
		/*@ assert \forall integer j; in_bank(&kc.frames, j, p.v + i * PAGE_SIZE) ==>
		      frame_in(&kc.frames, j, p.v + i * PAGE_SIZE) == fr; */
		/* Distinct pages have distinct records. */
		/*@ assert \forall integer q, j; q % PAGE_SIZE == 0 && q != p.v + i * PAGE_SIZE &&
		      in_bank(&kc.frames, j, q) ==>
		      frame_in(&kc.frames, j, q) != fr; */
		fr->owner = owner;
		/* A page-aligned address below the next page and not below
		 * this one is this page. */
		/*@ assert \forall integer q;
		      q % PAGE_SIZE == 0 && p.v + i * PAGE_SIZE <= q < p.v + (i + 1) * PAGE_SIZE ==>
		      q == p.v + i * PAGE_SIZE; */
	}
	/*@ assert \forall integer k; 0 <= k < npages ==>
	      (p.v + k * PAGE_SIZE) % PAGE_SIZE == 0 && p.v <= p.v + k * PAGE_SIZE < p.v + npages * PAGE_SIZE; */
	/* The records' owners, not KServ's table, changed so far. */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && !(p.v <= q < p.v + size) ==>
	      (owned_by(q, o) <==> \at(owned_by(q, o), Pre)); */
	/*@ assert \forall integer q; not_ram(&kc.frames, q) <==> \at(not_ram(&kc.frames, q), Pre); */
	err = host_unmap(p.v, size);
	KC_CHECK(err == 0); /* mp_check_kserv() reserved the pool pages */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && !(p.v <= q < p.v + size) ==>
	      (owned_by(q, o) <==> \at(owned_by(q, o), Pre)); */
	/*@ assert \forall integer q; not_ram(&kc.frames, q) <==> \at(not_ram(&kc.frames, q), Pre); */
	/* What KServ's table still maps, it mapped before, and not in the range. */
	/*@ assert \forall integer x, q; x % PAGE_SIZE == 0 && pt_maps(&kc.host.pt, x, q) ==>
	      \at(pt_maps(&kc.host.pt, x, q), Pre) && !(p.v <= x < p.v + size); */
	/* KServ may have written through a non-cacheable alias: drop every
	 * cached copy so that the new owner sees memory as it is. */
	arch_dcache_clean_inval_poc(arch_pa_to_va(p), size);
}

void mp_give_to_kserv(paddr_t p, struct frame *fr)
{
	void *v = arch_pa_to_va(p);

	/*@ assert \forall integer i; in_bank(&kc.frames, i, p.v) ==> frame_in(&kc.frames, i, p.v) == fr; */
	kc_memset(v, 0, PAGE_SIZE);
	/*@ assert kc.frames.nbanks == \at(kc.frames.nbanks, Pre); */
	/*@ assert \forall integer j; 0 <= j < FRAMES_MAX_BANKS ==>
	      kc.frames.bank[j].base == \at(kc.frames.bank[j].base, Pre) &&
	      kc.frames.bank[j].size == \at(kc.frames.bank[j].size, Pre) &&
	      kc.frames.first[j] == \at(kc.frames.first[j], Pre); */
	/*@ assert \forall integer i; in_bank(&kc.frames, i, p.v) ==> frame_in(&kc.frames, i, p.v) == fr; */
	arch_dcache_clean_inval_poc(v, PAGE_SIZE);
	/*@ assert \forall integer q, j; q % PAGE_SIZE == 0 && q != p.v && in_bank(&kc.frames, j, q) ==>
	      frame_in(&kc.frames, j, q) != fr; */
	fr->owner = OWNER_KSERV;
	fr->share_count = 0;
	fr->pin_count = 0;
	/* KServ's tables are pool pages, other pages than this one. */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==> q != p.v && q % PAGE_SIZE == 0; */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==>
	      \separated(kva_words(q) + (0 .. 511), kva_words(p.v) + (0 .. 511)); */
	/*@ assert pt_same{Pre, Here}(&kc.host.pt); */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert kc.pool.free_head == \at(kc.pool.free_head, Pre) && kc.pool.nfree == \at(kc.pool.nfree, Pre) &&
	      kc.host.pt.root.v == \at(kc.host.pt.root.v, Pre) && kc.host.pt.pool == \at(kc.host.pt.pool, Pre); */
	/*@ assert \forall integer q, j; q % PAGE_SIZE == 0 && q != p.v && in_bank(&kc.frames, j, q) ==>
	      frame_in(&kc.frames, j, q) == \at(frame_in(&kc.frames, j, q), Pre) &&
	      frame_in(&kc.frames, j, q)->owner == \at(frame_in(&kc.frames, j, q)->owner, Pre); */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && q != p.v ==>
	      (owned_by(q, o) <==> \at(owned_by(q, o), Pre)); */
	/*@ assert owned_by(p.v, OWNER_KSERV); */
	/*@ assert \forall integer i, q; in_bank(&kc.frames, i, q) <==> \at(in_bank(&kc.frames, i, q), Pre); */
	/*@ assert \at(inv_kserv_maps, Pre); */
	/*@ assert \forall integer ia, q; ia % PAGE_SIZE == 0 && pt_maps(&kc.host.pt, ia, q) ==>
	      \at(pt_maps(&kc.host.pt, ia, q), Pre); */
	/*@ assert \forall integer ia, q; ia % PAGE_SIZE == 0 && pt_maps(&kc.host.pt, ia, q) ==>
	      q == ia && (\at(owned_by(q, OWNER_KSERV), Pre) || \at(not_ram(&kc.frames, q), Pre)); */
}
