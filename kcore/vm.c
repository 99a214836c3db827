// SPDX-License-Identifier: GPL-2.0
/* VM records: create, donate metadata, destroy. */
#include "vm_internal.h"
#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "log.h"
#include "mem_protect.h"
#include "vm_ids.h"
#include <kcore/abi.h>
#ifdef __FRAMAC__
#include "proof/lemmas.h"
#endif

_Static_assert(sizeof(struct vm) <= PAGE_SIZE, "a VM record fits its page");

struct vm *vm_lookup(u32 handle)
{
	return vm_slot(kc.vms, handle);
}

u32 vm_count(void)
{
	u32 i, n = 0;

	ticket_lock(&kc.vm_lock);
	for (i = 0; i < KCORE_MAX_VMS; i++)
		n += kc.vms[i] != NULL;
	ticket_unlock(&kc.vm_lock);
	return n;
}

u32 vm_map_reserve(const struct vm *vm)
{
	return s2_map_reserve(vm->s2.start_level); /* one table per level below the root */
}

/* vms_ok from its parts: a proof step (a ghost function, no code) for a
 * handler whose goals have too many facts in scope for the provers to
 * unfold vms_ok themselves. */
/*@ ghost
  /@ requires vm_table(&kc.vms[0]);
     requires \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
	       \valid(kc.vms[h]) && \base_addr(kc.vms[h]) != \base_addr(&kc) &&
	       \base_addr(kc.vms[h]) != \base_addr(kc.frames.rec) &&
	       pt_ok(&kc.vms[h]->s2) && kc.vms[h]->s2.pool == &kc.vms[h]->pool;
     requires \forall integer h, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && pool_owns(&kc.pool, q) ==>
	       \base_addr(kva_words(q)) != \base_addr(kc.vms[h]);
     requires \forall integer h, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && pool_owns(&kc.vms[h]->pool, q) ==>
	       !pool_owns(&kc.pool, q) && \base_addr(kva_words(q)) != \base_addr(&kc) &&
	       \base_addr(kva_words(q)) != \base_addr(kc.frames.rec);
     requires \forall integer h1, h2; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
	       kc.vms[h1] != \null && kc.vms[h2] != \null ==> \base_addr(kc.vms[h1]) != \base_addr(kc.vms[h2]);
     requires \forall integer h1, h2, q; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
	       kc.vms[h1] != \null && kc.vms[h2] != \null && pool_owns(&kc.vms[h2]->pool, q) ==>
	       !pool_owns(&kc.vms[h1]->pool, q);
     // The last part of vms_ok, for VM h (a new or changed one) and the others apart.
     requires h < KCORE_MAX_VMS && kc.vms[h] != \null;
     requires \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null &&
	       pool_owns(&kc.vms[h2]->pool, q) ==> \base_addr(kva_words(q)) != \base_addr(kc.vms[h]);
     requires \forall integer h1, q; 0 <= h1 < KCORE_MAX_VMS && h1 != h && kc.vms[h1] != \null &&
	       pool_owns(&kc.vms[h]->pool, q) ==> \base_addr(kva_words(q)) != \base_addr(kc.vms[h1]);
     requires \forall integer h1, h2, q; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
	       h1 != h && h2 != h && kc.vms[h1] != \null && kc.vms[h2] != \null && pool_owns(&kc.vms[h2]->pool, q) ==>
	       \base_addr(kva_words(q)) != \base_addr(kc.vms[h1]);
     assigns \nothing;
     ensures vms_ok;
   @/
  static void vms_ok_intro(u32 h)
  {
  }
 */

/* Take [p, p + npages) from KServ for @owner (VM metadata or guest memory),
 * the frames lock held. */
/*@ requires kcore_ok;
    TAKE_ASSIGNS
    TAKE_ENSURES
 */
static int take_locked(paddr_t p, u64 npages, u16 owner)
{
	int err = mp_check_kserv(p, npages);

	/*@ assert \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
	      \base_addr(kc.vms[h]) != \base_addr(&kc) && \base_addr(kc.vms[h]) != \base_addr(kc.frames.rec) &&
	      \forall integer q; pool_owns(&kc.pool, q) ==> \base_addr(kva_words(q)) != \base_addr(kc.vms[h]); */
	/*@ assert \forall integer h, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null &&
	      pool_owns(&kc.vms[h]->pool, q) ==>
	      !pool_owns(&kc.pool, q) && q % PAGE_SIZE == 0 && \base_addr(kva_words(q)) != \base_addr(&kc) &&
	      \base_addr(kva_words(q)) != \base_addr(kc.frames.rec); */
	/* So every VM's record is apart from what the donation writes. */
	/*@ assert \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==> \separated(kc.vms[h], &kc); */
	/*@ assert \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
	      \separated(kc.vms[h], kc.frames.rec + (0 .. kc.frames.nframes - 1)); */
	/*@ assert \forall integer h, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && pool_owns(&kc.pool, q) ==>
	      \separated(kc.vms[h], kva_words(q) + (0 .. PAGE_SIZE / 8 - 1)); */

	if (!err) {
		mp_take_from_kserv(p, npages, owner);
		/* KServ's pages only changed owner: every VM's table translates
		 * as before, to pages the VM still owns. */
		/*@ assert VMS_TABLES_KEPT(h); */
		/*@ assert VMS_POOLS_KEPT(h); */
		/*@ assert \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
		      pt_same{Pre, Here}(&kc.vms[h]->s2) && pt_ok(&kc.vms[h]->s2); */
		/*@ assert \forall integer h, ia, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
		      (pt_maps(&kc.vms[h]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h]->s2, ia, q), Pre)); */
		/*@ assert vms_ok; */
		/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
		      \at(owned_by(q, o), Pre) ==> o == OWNER_KSERV; */
		/*@ assert \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
		      \at(owned_by(q, OWNER_KSERV), Pre); */
		/* Pages of other owners are not in the range. */
		/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) ==>
		      \at(owned_by(q, o), Pre) || \at(owned_by(q, OWNER_KSERV), Pre); */
		/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && o != OWNER_KSERV && \at(owned_by(q, o), Pre) ==>
		      owned_by(q, o); */
		/*@ assert kc_pool_kcore; */
		/*@ assert ram_mapped; */
		/*@ assert vms_meta; */
		/*@ assert vms_map_once; */
	}
	return err;
}

int vm_take_pages(paddr_t p, u64 npages, u16 owner)
{
	int err;

	ticket_lock(&kc.frames.lock);
	err = take_locked(p, npages, owner);
	ticket_unlock(&kc.frames.lock);
	return err;
}

/* Build VM @h's record in the first page of [p, p + npages), pages
 * vm_take_pages() has just made the VM's metadata: the other pages are its
 * pool, and its stage-2 is empty, on a root from that pool. The record is
 * not published (kc.vms is left alone). */
/*@ requires h < KCORE_MAX_VMS && 2 <= npages && p.v % PAGE_SIZE == 0;
    requires p.v + npages * PAGE_SIZE <= UINT64_MAX;
    requires VM_MIN_IPA_BITS <= ipa_bits <= VM_MAX_IPA_BITS;
    requires \forall integer q; in_pages(q, p.v, npages) ==>
	       word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1));
    assigns pool_epoch, { link(q)[k] | integer q, k; in_pages(q, p.v, npages) && 0 <= k < PAGE_SIZE / 8 };
    assigns *(struct vm *)kva_words(p.v);
    ensures \result == (struct vm *)kva_words(p.v) && \valid(\result);
    ensures \result->handle == h && \result->vmid == vmid_of(h);
    ensures pt_ok(&\result->s2) && \result->s2.pool == &\result->pool;
    ensures \forall integer q; pool_owns(&\result->pool, q) <==> in_pages(q, p.v + PAGE_SIZE, npages - 1);
    ensures \forall struct page_pool *p2, integer q; p2 != &\result->pool ==>
	      (pool_owns(p2, q) <==> \old(pool_owns(p2, q)));
    ensures \forall integer x, q; !pt_maps(&\result->s2, x, q);
 */
static struct vm *record_init(u32 h, paddr_t p, u64 npages, u32 ipa_bits)
{
	struct vm *vm = arch_pa_to_va(p);

	kc_memset(vm, 0, PAGE_SIZE);
	vm->handle = h;
	vm->vmid = vm_vmid(h);
	pool_init(&vm->pool);
	pool_add(&vm->pool, pa(p.v + PAGE_SIZE), npages - 1);
	KC_CHECK(pt_init(&vm->s2, PT_S2, ipa_bits, vm->vmid, &vm->pool) == 0);
	return vm;
}

/* Build and publish VM @h on [p, p + npages), pages vm_take_pages() has just
 * made the VM's metadata (vm_lock held). */
/*@ requires kcore_ok;
    requires h < KCORE_MAX_VMS && kc.vms[h] == \null;
    requires 2 <= npages && mp_args_ok(p.v, npages);
    requires VM_MIN_IPA_BITS <= ipa_bits <= VM_MAX_IPA_BITS;
    requires \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
	       owned_by(q, OWNER_META_FIRST + h);
    assigns kc.vms[h], pool_epoch, bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    assigns { link(q)[k] | integer q, k; in_pages(q, p.v, npages) && 0 <= k < PAGE_SIZE / 8 };
    assigns *(struct vm *)kva_words(p.v);
    ensures kcore_ok;
    ensures kc.vms[h] != \null;
 */
static void build_locked(u32 h, paddr_t p, u64 npages, u32 ipa_bits)
{
	struct vm *vm;

	/* The last page is RAM: the range does not wrap. */
	/*@ assert owned_by(p.v + (npages - 1) * PAGE_SIZE, OWNER_META_FIRST + h); */
	/*@ assert p.v + npages * PAGE_SIZE <= UINT64_MAX; */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE; */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==> owned_by(q, OWNER_META_FIRST + h); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1)); */
	/* The pages are VM @h's metadata: no pool's pages, no live VM's
	 * record (other owners), so other blocks (kva_words_apart). */
	/*@ assert \forall integer q, q2; in_pages(q, p.v, npages) && pool_owns(&kc.pool, q2) ==> q != q2; */
	/*@ assert \forall integer h2, q, q2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) && pool_owns(&kc.vms[h2]->pool, q2) ==> q != q2; */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) ==> kva_page(\base_addr(kc.vms[h2])) != q; */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) ==> \base_addr(link(q)) != \base_addr(kc.vms[h2]); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      \base_addr(link(q)) != \base_addr(&kc) && \base_addr(link(q)) != \base_addr(kc.frames.rec); */
	/*@ assert \forall integer q, q2; in_pages(q, p.v, npages) && pool_owns(&kc.pool, q2) ==>
	      \base_addr(link(q)) != \base_addr(kva_words(q2)); */
	/*@ assert \forall integer h2, q, q2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) && pool_owns(&kc.vms[h2]->pool, q2) ==>
	      \base_addr(link(q)) != \base_addr(kva_words(q2)); */
	/* So what record_init() writes in them is apart from everything else. */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), &kc) &&
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), kc.frames.rec + (0 .. kc.frames.nframes - 1)); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && in_pages(q, p.v, npages) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), kc.vms[h2]); */
	/*@ assert \forall integer q, q2; in_pages(q, p.v, npages) && pool_owns(&kc.pool, q2) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), kva_words(q2) + (0 .. 511)); */
	/*@ assert \forall integer h2, q, q2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) && pool_owns(&kc.vms[h2]->pool, q2) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), kva_words(q2) + (0 .. 511)); */
	vm = record_init(h, p, npages, ipa_bits);
	/* The record is in page p's block: apart from everything else. */
	/*@ assert \base_addr(vm) == \base_addr(link(p.v)) && kva_page(\base_addr(vm)) == p.v; */
	/*@ assert \base_addr(vm) != \base_addr(&kc) && \base_addr(vm) != \base_addr(kc.frames.rec); */
	/*@ assert \separated(vm, &kc) && \separated(vm, kc.frames.rec + (0 .. kc.frames.nframes - 1)); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      \base_addr(kc.vms[h2]) != \base_addr(vm); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==> \separated(kc.vms[h2], vm); */
	/*@ assert &kc.pool != &vm->pool; */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      &kc.vms[h2]->pool != &vm->pool; */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) <==> \at(pool_owns(&kc.pool, q), Pre); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      (pool_owns(&kc.vms[h2]->pool, q) <==> \at(pool_owns(&kc.vms[h2]->pool, q), Pre)); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==> \separated(kva_words(q) + (0 .. 511), vm); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> \separated(kva_words(q) + (0 .. 511), vm); */
	/*@ assert new_empty: \forall integer ia, q; !pt_maps(&vm->s2, ia, q); */
	/* Other VMs' table pages hold what they held. */
	/*@ assert \forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      \at(pool_owns(&kc.vms[h2]->pool, q), Pre) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Pre); */
	/*@ ghost Built: ; */
	/* A recycled VMID may still have TLB entries from its last VM. */
	arch_tlbi_s2_vmid(vm->vmid);
	kc.vms[h] = vm;
	/* The records are as they were. */
	/*@ assert FRAMES_KEPT_FIELDS; */
	/*@ assert FRAMES_KEPT_SHAPE; */
	/*@ assert frames_shape(&kc.frames); */
	/*@ assert FRAMES_KEPT_LOOKUP; */
	/*@ assert \forall integer r; 0 <= r < kc.frames.nframes ==>
	      kc.frames.rec[r].owner == \at(kc.frames.rec[r].owner, Pre); */
	/*@ assert frames_kept1: frames_ok(&kc.frames); */
	/*@ assert frames_kept2: frames_same{Pre, Here}; */
	/*@ assert \forall integer i, q; \separated(frame_in(&kc.frames, i, q), vm); */
	/*@ assert \forall integer i, q; in_bank(&kc.frames, i, q) ==>
	      frame_in(&kc.frames, i, q)->owner == \at(frame_in(&kc.frames, i, q)->owner, Pre); */
	/*@ assert owners_kept: \forall integer q, o; owned_by(q, o) <==> \at(owned_by(q, o), Pre); */
	/* Slot @h now holds the new record; the other slots and pools are as they were. */
	/*@ assert kc.vms[h] == vm; */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && i != h ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) <==> \at(pool_owns(&kc.pool, q), Pre); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      (pool_owns(&kc.vms[h2]->pool, q) <==> \at(pool_owns(&kc.vms[h2]->pool, q), Pre)); */
	/*@ assert \forall integer q; pool_owns(&vm->pool, q) <==> in_pages(q, p.v + PAGE_SIZE, npages - 1); */
	/*@ assert \forall integer q; pool_owns(&vm->pool, q) ==> in_pages(q, p.v, npages); */
	/* KServ's table and pool are as they were. */
	/*@ assert kc.pool.free_head == \at(kc.pool.free_head, Pre) && kc.pool.nfree == \at(kc.pool.nfree, Pre); */
	/*@ assert host_words_kept0: \forall integer q, k; pool_owns(&kc.pool, q) && 0 <= k < 512 ==>
	      \at(pool_owns(&kc.pool, q), Pre); */
	/*@ assert host_words_kept: \forall integer q, k; pool_owns(&kc.pool, q) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Pre); */
	/*@ assert kc.host.pt.root.v == \at(kc.host.pt.root.v, Pre) &&
	      kc.host.pt.start_level == \at(kc.host.pt.start_level, Pre) &&
	      kc.host.pt.ia_bits == \at(kc.host.pt.ia_bits, Pre) && kc.host.pt.pool == \at(kc.host.pt.pool, Pre); */
	/*@ assert \forall integer q, k; pool_owns{Pre}(\at(kc.host.pt.pool, Pre), q) && 0 <= k < 512 ==>
	      \at(kva_words(q)[k], Pre) == kva_words(q)[k]; */
	/*@ assert host_same: pt_same{Pre, Here}(&kc.host.pt); */
	/*@ assert pool_ok(&kc.pool) && pt_pages_apart(&kc.pool, &kc.host.pt); */
	/*@ assert pt_ok(&kc.host.pt); */
	/*@ assert host_pt_ok; */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert inv_kserv_maps; */
	/* Every other VM's table translates as before. */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      kc.vms[h2]->s2.root.v == \at(kc.vms[h2]->s2.root.v, Pre) &&
	      kc.vms[h2]->s2.start_level == \at(kc.vms[h2]->s2.start_level, Pre) &&
	      kc.vms[h2]->s2.ia_bits == \at(kc.vms[h2]->s2.ia_bits, Pre) &&
	      kc.vms[h2]->s2.pool == \at(kc.vms[h2]->s2.pool, Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      kc.vms[h2]->pool.free_head == \at(kc.vms[h2]->pool.free_head, Pre) &&
	      kc.vms[h2]->pool.nfree == \at(kc.vms[h2]->pool.nfree, Pre); */
	/*@ assert \forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      \at(pool_owns(&kc.vms[h2]->pool, q), Pre) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Built); */
	/*@ assert \forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      \at(pool_owns(&kc.vms[h2]->pool, q), Pre) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      \at(kc.vms[h2]->s2.pool, Pre) == &kc.vms[h2]->pool; */
	/*@ assert \forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns{Pre}(\at(kc.vms[h2]->s2.pool, Pre), q) && 0 <= k < 512 ==>
	      \at(kva_words(q)[k], Pre) == kva_words(q)[k]; */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pt_same{Pre, Here}(&kc.vms[h2]->s2); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/* The new VM's table translates nothing. */
	/*@ assert \forall integer q, k; pool_owns(&vm->pool, q) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Built); */
	/*@ assert pt_same{Built, Here}(&vm->s2); */
	/*@ assert new_same: \forall integer ia, q; pt_maps(&vm->s2, ia, q) <==> \at(pt_maps(&vm->s2, ia, q), Built); */
	/*@ assert new_empty2: \forall integer ia, q; !pt_maps(&vm->s2, ia, q); */
	/*@ assert \forall integer ia, q; !pt_maps(&kc.vms[h]->s2, ia, q); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      ia % PAGE_SIZE == 0 && pt_maps(&kc.vms[h2]->s2, ia, q) ==>
	      q % PAGE_SIZE == 0 && owned_by(q, OWNER_VM_FIRST + h2); */
	/*@ assert inv_vms_maps; */
	/*@ assert \forall integer h2, ia1, ia2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pt_maps(&kc.vms[h2]->s2, ia1, q) && pt_maps(&kc.vms[h2]->s2, ia2, q) ==>
	      \at(pt_maps(&kc.vms[h2]->s2, ia1, q) && pt_maps(&kc.vms[h2]->s2, ia2, q), Pre); */
	/*@ assert vms_map_once; */
	/* The tables are usable. */
	/*@ assert pt_ok(&vm->s2) && vm->s2.pool == &vm->pool && \valid(vm); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      \at(pt_ok(&kc.vms[h2]->s2), Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pool_ok(&kc.vms[h2]->pool); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pt_pages_apart(&kc.vms[h2]->pool, &kc.vms[h2]->s2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pt_ok(&kc.vms[h2]->s2); */
	/* Where the records and pools are: the new VM's are its metadata
	 * pages, apart from everything else. */
	/*@ assert \forall integer q; pool_owns(&vm->pool, q) ==>
	      !pool_owns(&kc.pool, q) && \base_addr(kva_words(q)) != \base_addr(&kc) &&
	      \base_addr(kva_words(q)) != \base_addr(kc.frames.rec); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&kc.vms[h2]->pool, q) ==>
	      !pool_owns(&vm->pool, q) && \base_addr(kva_words(q)) != \base_addr(vm); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&vm->pool, q) ==>
	      !pool_owns(&kc.vms[h2]->pool, q) && \base_addr(kva_words(q)) != \base_addr(kc.vms[h2]); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==> \base_addr(kva_words(q)) != \base_addr(vm); */
	/* So every part of vms_ok holds (checked at the call). */
	/*@ ghost vms_ok_intro(h); */
	/*@ assert vms_ok; */
	/*@ assert kc_pool_kcore && ram_mapped; */
	/* The record's page and the pool's pages are VM @h's metadata. */
	/*@ assert kva_page(\base_addr(kc.vms[h])) == p.v && owned_by(p.v, OWNER_META_FIRST + h); */
	/*@ assert \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> owned_by(q, OWNER_META_FIRST + h); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      kva_page(\base_addr(kc.vms[h2])) % PAGE_SIZE == 0 &&
	      \at(owned_by(kva_page(\base_addr(kc.vms[h2])), OWNER_META_FIRST + h2), Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      owned_by(kva_page(\base_addr(kc.vms[h2])), OWNER_META_FIRST + h2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      kva_page(\base_addr(kc.vms[h2])) % PAGE_SIZE == 0 &&
	      owned_by(kva_page(\base_addr(kc.vms[h2])), OWNER_META_FIRST + h2); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> owned_by(q, OWNER_META_FIRST + h2); */
	/*@ assert vms_meta; */
}

/* vm_create() with vm_lock held: the new VM's handle, or a negative error. */
/*@ requires kcore_ok;
    assigns kc.frames.lock, kc.vms[0 .. KCORE_MAX_VMS - 1], pool_epoch;
    TAKE_ASSIGNS
    assigns { link(q)[k] | integer q, k; in_pages(q, p.v, npages) && 0 <= k < PAGE_SIZE / 8 };
    assigns *(struct vm *)kva_words(p.v);
    ensures kcore_ok;
    ensures \result >= 0 ==> \result < KCORE_MAX_VMS;
    ensures \result >= 0 ==> \old(kc.vms[\result]) == \null && kc.vms[\result] != \null;
 */
static int create_locked(paddr_t p, u64 npages, u32 ipa_bits)
{
	u32 h;
	int err;

	/* A stage-2 input size beyond the physical address size is a
	 * configuration the architecture leaves unpredictable: refuse it. */
	if (npages < 2 || ipa_bits < VM_MIN_IPA_BITS || ipa_bits > VM_MAX_IPA_BITS || ipa_bits > kc.pa_bits)
		return -KCORE_EINVAL;
	err = vm_free_handle(kc.vms, &h);
	if (!err)
		err = vm_take_pages(p, npages, owner_meta(h));
	if (err)
		return err;
	/* Taking the pages wrote no slot of the VM table. */
	/*@ assert h < KCORE_MAX_VMS && \forall integer i; i == h ==> \at(kc.vms[i], Pre) == \null; */
	/*@ assert kc.vms[h] == \null; */
	build_locked(h, p, npages, ipa_bits);
	return (int)h;
}

int vm_create(paddr_t donation, u64 npages, u32 ipa_bits, u32 *handle)
{
	int err;

	ticket_lock(&kc.vm_lock);
	err = create_locked(donation, npages, ipa_bits);
	ticket_unlock(&kc.vm_lock);
	if (err < 0)
		return err;
	*handle = (u32)err;
	return 0;
}

/* Add [p, p + npages), pages vm_take_pages() has just made VM @h's metadata,
 * to the VM's pool. */
/*@ requires kcore_ok;
    requires h < KCORE_MAX_VMS && kc.vms[h] != \null && mp_args_ok(p.v, npages) && p.v != 0;
    requires kc.vms[h]->pool.nfree + npages <= UINT64_MAX && kc.vms[h]->pool.ntotal + npages <= UINT64_MAX;
    requires \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
	       owned_by(q, OWNER_META_FIRST + h) && !pool_owns(&kc.vms[h]->pool, q) &&
	       kva_page(\base_addr(kc.vms[h])) != q;
    assigns kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree, kc.vms[h]->pool.ntotal;
    assigns pool_epoch, { *link(q) | integer q; in_pages(q, p.v, npages) };
    ensures kcore_ok;
 */
static void pool_grow(u32 h, paddr_t p, u64 npages)
{
	/* The last page is RAM: the range does not wrap. */
	/*@ assert owned_by(p.v + (npages - 1) * PAGE_SIZE, OWNER_META_FIRST + h); */
	/*@ assert p.v + npages * PAGE_SIZE <= UINT64_MAX; */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      q != 0 && q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE; */
	/* The new pages are other pages than every pool's, and than every
	 * VM's record: other blocks (kva_words_apart). */
	/*@ assert \forall integer q, q2; in_pages(q, p.v, npages) && pool_owns(&kc.pool, q2) ==> q != q2; */
	/*@ assert \forall integer h2, q, q2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) && pool_owns(&kc.vms[h2]->pool, q2) ==> q != q2; */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) ==> kva_page(\base_addr(kc.vms[h2])) != q; */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) ==> \base_addr(link(q)) != \base_addr(kc.vms[h2]); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      \base_addr(link(q)) != \base_addr(&kc) && \base_addr(link(q)) != \base_addr(kc.frames.rec); */
	/*@ assert \forall integer q, q2; in_pages(q, p.v, npages) && pool_owns(&kc.pool, q2) ==>
	      \base_addr(link(q)) != \base_addr(kva_words(q2)); */
	/*@ assert \forall integer h2, q, q2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      in_pages(q, p.v, npages) && pool_owns(&kc.vms[h2]->pool, q2) ==>
	      \base_addr(link(q)) != \base_addr(kva_words(q2)); */
	/* So what pool_add() writes is apart from everything else. */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), &kc); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), kc.frames.rec + (0 .. kc.frames.nframes - 1)); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && in_pages(q, p.v, npages) ==>
	      \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), kc.vms[h2]); */
	/*@ assert \separated(kc.vms[h], &kc) && \separated(kc.vms[h], kc.frames.rec + (0 .. kc.frames.nframes - 1)); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      \separated(kc.vms[h2], kc.vms[h]); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==> \separated(kva_words(q) + (0 .. 511), kc.vms[h]); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> \separated(kva_words(q) + (0 .. 511), kc.vms[h]); */
	/*@ assert \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==>
	      \separated(kva_words(q) + (0 .. 511), &kc.vms[h]->pool); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1)); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==> pool_page(&kc.vms[h]->pool, q); */
	pool_add(&kc.vms[h]->pool, p, npages);
	/* The records are as they were. */
	/*@ assert FRAMES_KEPT_FIELDS; */
	/*@ assert FRAMES_KEPT_SHAPE; */
	/*@ assert frames_shape(&kc.frames); */
	/*@ assert FRAMES_KEPT_LOOKUP; */
	/*@ assert \forall integer r; 0 <= r < kc.frames.nframes ==>
	      kc.frames.rec[r].owner == \at(kc.frames.rec[r].owner, Pre); */
	/*@ assert frames_ok(&kc.frames) && frames_same{Pre, Here}; */
	/*@ assert \forall integer q, o; owned_by(q, o) <==> \at(owned_by(q, o), Pre); */
	/* Only VM @h's pool changed: it holds the new pages too. */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) <==> \at(pool_owns(&kc.pool, q), Pre); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      (pool_owns(&kc.vms[h2]->pool, q) <==> \at(pool_owns(&kc.vms[h2]->pool, q), Pre)); */
	/*@ assert \forall integer q; pool_owns(&kc.vms[h]->pool, q) <==>
	      (\at(pool_owns(&kc.vms[h]->pool, q), Pre) || in_pages(q, p.v, npages)); */
	/* KServ's table and pool are as they were. */
	/*@ assert kc.pool.free_head == \at(kc.pool.free_head, Pre) && kc.pool.nfree == \at(kc.pool.nfree, Pre); */
	/*@ assert \forall integer q, k; pool_owns(&kc.pool, q) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Pre); */
	/*@ assert pt_same{Pre, Here}(&kc.host.pt); */
	/*@ assert pool_ok(&kc.pool) && pt_pages_apart(&kc.pool, &kc.host.pt); */
	/*@ assert pt_ok(&kc.host.pt); */
	/*@ assert host_pt_ok; */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert inv_kserv_maps; */
	/* Every VM's table translates as before. */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      kc.vms[h2]->s2.root.v == \at(kc.vms[h2]->s2.root.v, Pre) &&
	      kc.vms[h2]->s2.start_level == \at(kc.vms[h2]->s2.start_level, Pre) &&
	      kc.vms[h2]->s2.ia_bits == \at(kc.vms[h2]->s2.ia_bits, Pre) &&
	      kc.vms[h2]->s2.pool == \at(kc.vms[h2]->s2.pool, Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      kc.vms[h2]->pool.free_head == \at(kc.vms[h2]->pool.free_head, Pre) &&
	      kc.vms[h2]->pool.nfree == \at(kc.vms[h2]->pool.nfree, Pre); */
	/*@ assert \forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      \at(pool_owns(&kc.vms[h2]->pool, q), Pre) && 0 <= k < 512 ==>
	      kva_words(q)[k] == \at(kva_words(q)[k], Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      \at(kc.vms[h2]->s2.pool, Pre) == &kc.vms[h2]->pool; */
	/*@ assert \forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      pool_owns{Pre}(\at(kc.vms[h2]->s2.pool, Pre), q) && 0 <= k < 512 ==>
	      \at(kva_words(q)[k], Pre) == kva_words(q)[k]; */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      pt_same{Pre, Here}(&kc.vms[h2]->s2); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/*@ assert inv_vms_maps; */
	/*@ assert vms_map_once; */
	/* The tables are usable: VM @h's pool gained whole pages apart from its record. */
	/*@ assert pool_ok(&kc.vms[h]->pool) && \separated(&kc.vms[h]->s2, &kc.vms[h]->pool); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      \separated(link(q) + (0 .. 511), &kc.vms[h]->s2) && \separated(link(q) + (0 .. 511), &kc.vms[h]->pool); */
	/*@ assert \forall integer q; \at(pool_owns(&kc.vms[h]->pool, q), Pre) ==>
	      q != 0 && q % PAGE_SIZE == 0 && (uintptr_t)kva(q) % 8 == 0 && \valid(tbl(q) + (0 .. 511)) &&
	      \separated(tbl(q) + (0 .. 511), &kc.vms[h]->s2) && \separated(tbl(q) + (0 .. 511), &kc.vms[h]->pool); */
	/*@ assert \forall integer q; in_pages(q, p.v, npages) ==>
	      q != 0 && q % PAGE_SIZE == 0 && (uintptr_t)kva(q) % 8 == 0 && \valid(tbl(q) + (0 .. 511)) &&
	      \separated(tbl(q) + (0 .. 511), &kc.vms[h]->s2) && \separated(tbl(q) + (0 .. 511), &kc.vms[h]->pool); */
	/* So every page of the pool now, old or new, is usable as a table. */
	/*@ assert \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==>
	      q != 0 && q % PAGE_SIZE == 0 && (uintptr_t)kva(q) % 8 == 0 && \valid(tbl(q) + (0 .. 511)) &&
	      \separated(tbl(q) + (0 .. 511), &kc.vms[h]->s2) && \separated(tbl(q) + (0 .. 511), &kc.vms[h]->pool); */
	/*@ assert pt_pages_apart(&kc.vms[h]->pool, &kc.vms[h]->s2); */
	/*@ assert pt_ok(&kc.vms[h]->s2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      \at(pt_ok(&kc.vms[h2]->s2), Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pool_ok(&kc.vms[h2]->pool); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pt_pages_apart(&kc.vms[h2]->pool, &kc.vms[h2]->s2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h ==>
	      pt_ok(&kc.vms[h2]->s2); */
	/* Where the records and pools are: the new pages are VM @h's, apart
	 * from everything else. */
	/*@ assert \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> !pool_owns(&kc.pool, q); */
	/*@ assert \forall integer h1, q; 0 <= h1 < KCORE_MAX_VMS && kc.vms[h1] != \null && h1 != h &&
	      pool_owns(&kc.vms[h1]->pool, q) ==> !pool_owns(&kc.pool, q); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> !pool_owns(&kc.vms[h]->pool, q); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&kc.vms[h]->pool, q) ==> !pool_owns(&kc.vms[h2]->pool, q); */
	/*@ assert \forall integer h1, q; 0 <= h1 < KCORE_MAX_VMS && kc.vms[h1] != \null &&
	      pool_owns(&kc.vms[h1]->pool, q) ==>
	      !pool_owns(&kc.pool, q) && \base_addr(kva_words(q)) != \base_addr(&kc) &&
	      \base_addr(kva_words(q)) != \base_addr(kc.frames.rec); */
	/*@ assert \forall integer h1, h2, q; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
	      kc.vms[h1] != \null && kc.vms[h2] != \null && pool_owns(&kc.vms[h2]->pool, q) ==>
	      !pool_owns(&kc.vms[h1]->pool, q) && \base_addr(kva_words(q)) != \base_addr(kc.vms[h1]); */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && kc.vms[i] != \null ==> pt_ok(&kc.vms[i]->s2); */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && kc.vms[i] != \null ==>
	      \valid(kc.vms[i]) && \base_addr(kc.vms[i]) != \base_addr(&kc) &&
	      \base_addr(kc.vms[i]) != \base_addr(kc.frames.rec) &&
	      pt_ok(&kc.vms[i]->s2) && kc.vms[i]->s2.pool == &kc.vms[i]->pool; */
	/*@ assert \forall integer h1, h2; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
	      kc.vms[h1] != \null && kc.vms[h2] != \null ==> \base_addr(kc.vms[h1]) != \base_addr(kc.vms[h2]); */
	/*@ assert vm_table(&kc.vms[0]); */
	/*@ assert \forall integer h1, q; 0 <= h1 < KCORE_MAX_VMS && kc.vms[h1] != \null && pool_owns(&kc.pool, q) ==>
	      \base_addr(kva_words(q)) != \base_addr(kc.vms[h1]); */
	/*@ assert vms_ok; */
	/*@ assert kc_pool_kcore && ram_mapped; */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      kva_page(\base_addr(kc.vms[h2])) % PAGE_SIZE == 0 &&
	      owned_by(kva_page(\base_addr(kc.vms[h2])), OWNER_META_FIRST + h2); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && h2 != h &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> owned_by(q, OWNER_META_FIRST + h2); */
	/*@ assert \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> owned_by(q, OWNER_META_FIRST + h); */
	/*@ assert vms_meta; */
}

/* vm_donate() with vm_lock held. */
/*@ requires kcore_ok;
    assigns kc.frames.lock;
    TAKE_ASSIGNS
    assigns kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree, kc.vms[h]->pool.ntotal;
    assigns pool_epoch, { *link(q) | integer q; in_pages(q, p.v, npages) };
    ensures kcore_ok;
 */
static int donate_locked(u32 h, paddr_t p, u64 npages)
{
	struct vm *vm = vm_lookup(h);
	int err;

	if (!vm)
		return -KCORE_ENOENT;
	if (!pool_can_take(&vm->pool, p, npages))
		return -KCORE_EINVAL;
	err = vm_take_pages(p, npages, owner_meta(h));
	if (err)
		return err;
	/* The pages were KServ's: in no VM's pool (vms_meta), nor the record. */
	/*@ assert \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
	      \at(owned_by(q, OWNER_KSERV), Pre) && owned_by(q, OWNER_META_FIRST + h); */
	/*@ assert \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
	      !\at(owned_by(q, OWNER_META_FIRST + h), Pre); */
	/*@ assert \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==>
	      !\at(pool_owns(&kc.vms[h]->pool, q), Pre) && kva_page(\base_addr(kc.vms[h])) != q; */
	/*@ assert kc.vms[h] == \at(kc.vms[h], Pre) && kc.vms[h]->pool.nfree == \at(kc.vms[h]->pool.nfree, Pre) &&
	      kc.vms[h]->pool.ntotal == \at(kc.vms[h]->pool.ntotal, Pre); */
	pool_grow(h, p, npages);
	return 0;
}

int vm_donate(u32 handle, paddr_t donation, u64 npages)
{
	int err;

	ticket_lock(&kc.vm_lock);
	err = donate_locked(handle, donation, npages);
	ticket_unlock(&kc.vm_lock);
	return err;
}

bool vm_any_running(const struct vm *vm)
{
	u32 i;

	for (i = 0; i < KCORE_MAX_VCPUS; i++)
		if (vm->vcpus[i] && __atomic_load_n(&vm->vcpus[i]->running, __ATOMIC_ACQUIRE))
			return true;
	return false;
}

/* Destroy VM @h: unpublish it, drop every translation of its VMID, give
 * its guest pages and its metadata back to KServ, scrubbed. Refused while
 * one of its vCPUs runs. */
/*@ requires kcore_ok;
    assigns kc.vms[0 .. KCORE_MAX_VMS - 1], kc.frames.lock;
    assigns bbm_pending, tlbi_kind, tlbi_vmid, tlbi_addr, tlbi_level;
    RECLAIM_ASSIGNS(h)
    ensures kcore_ok && inv_zero_returned{Pre, Post};
    ensures \result == 0 || \result == -KCORE_ENOENT || \result == -KCORE_EBUSY;
    ensures \result == 0 ==> h < KCORE_MAX_VMS && \old(kc.vms[h]) != \null && kc.vms[h] == \null;
    ensures \result == 0 ==> RECLAIMED(h);
 */
static int destroy_locked(u32 h)
{
	struct vm *vm = vm_lookup(h);
	u16 vmid;

	if (!vm)
		return -KCORE_ENOENT;
	if (vm_any_running(vm))
		return -KCORE_EBUSY;
	vmid = vm->vmid;
	kc.vms[h] = NULL;
	/*@ assert frames_layout_same{Pre, Here}; */
	/*@ assert frames_ok(&kc.frames); */
	/*@ assert \forall integer q, o; owned_by(q, o) <==> \at(owned_by(q, o), Pre); */
	/* KServ's table is as it was (only a pointer in kc changed). */
	/*@ assert kc.host.pt.root.v == \at(kc.host.pt.root.v, Pre) &&
	      kc.host.pt.start_level == \at(kc.host.pt.start_level, Pre) &&
	      kc.host.pt.ia_bits == \at(kc.host.pt.ia_bits, Pre) && kc.host.pt.pool == \at(kc.host.pt.pool, Pre); */
	/*@ assert pt_same{Pre, Here}(&kc.host.pt); */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert host_pt_ok; */
	/*@ assert inv_kserv_maps; */
	/*@ assert kc_pool_kcore; */
	/*@ assert ram_mapped; */
	/* The other VMs are as they were: their records and table pages lie
	 * apart from kc. */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && i != h ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert VMS_TABLES_KEPT(h2); */
	/*@ assert VMS_POOLS_KEPT(h2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      pt_same{Pre, Here}(&kc.vms[h2]->s2) && pt_ok(&kc.vms[h2]->s2); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/*@ assert vms_ok; */
	/*@ assert inv_vms_maps; */
	/*@ assert vms_meta; */
	/*@ assert vms_map_once; */
	/* Nothing runs with this VMID any more: drop all of its translations,
	 * then scrub and return its guest pages and its metadata (the record
	 * and the tables included; @vm is not touched after this). */
	arch_tlbi_s2_vmid(vmid);
	/*@ assert frames_layout_same{Pre, Here}; */
	/*@ assert host_pt_ok; */
	/*@ assert kcore_ok; */
	vm_reclaim(h);
	return 0;
}

int vm_destroy(u32 handle)
{
	int err;

	ticket_lock(&kc.vm_lock);
	err = destroy_locked(handle);
	ticket_unlock(&kc.vm_lock);
	return err;
}
