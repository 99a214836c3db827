// SPDX-License-Identifier: GPL-2.0
/* Guest memory: a page KServ gives becomes the VM's when mapped, and goes
 * back to KServ, scrubbed, when unmapped. */
#include "vm_internal.h"
#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "log.h"
#include "mem_protect.h"
#include "vm_ids.h"
#include <kcore/abi.h>
#ifdef __FRAMAC__
#define KCORE_RECLAIM_LEMMAS
#include "proof/lemmas.h"
#endif

static const struct pt_prot guest_ram = { PT_MEM_NORMAL, PT_R | PT_W | PT_X };

/* The guest page mapped at @ipa, or 0. */
/*@ requires pt_ok(&vm->s2);
    assigns \nothing;
    ensures \result != 0 ==> pt_maps(&vm->s2, ipa, \result);
 */
static u64 mapped_page(struct vm *vm, u64 ipa)
{
	paddr_t out;
	u32 level;
	u64 pte;

	return pt_lookup(&vm->s2, ipa, &out, &level, &pte) ? out.v : 0;
}

/* The live VM @h, if @ipa is a valid page address in it; else NULL and *err. */
/*@ requires vms_ok && \valid(err);
    assigns *err;
    ensures \result == \null || (h < KCORE_MAX_VMS && \result == kc.vms[h] && ipa % PAGE_SIZE == 0 &&
				   ipa + PAGE_SIZE <= (1 << kc.vms[h]->s2.ia_bits));
    ensures \result == \null <==> *err != 0;
 */
static struct vm *vm_for_ipa(u32 h, u64 ipa, int *err)
{
	struct vm *vm = vm_lookup(h);

	/*@ assert vm != \null ==> h < KCORE_MAX_VMS && \valid(kc.vms[h]) && pt_ok(&kc.vms[h]->s2); */
	*err = vm ? vm_check_ipa(ipa, vm->s2.ia_bits) : -KCORE_ENOENT;
	return *err ? NULL : vm;
}

/*
 * A change of VM @h's stage-2 (vm_pt_map(), vm_pt_unmap()), with what the
 * provers need to see that nothing else changes spelled out: the VM's
 * record and table pages are apart from kc, the frame records, KCore's pool
 * and the other VMs. The contract both share, and the steps of their proofs
 * (asserted before and after the table call).
 */
#ifdef __FRAMAC__
/* clang-format off */
#define VM_PT_REQUIRES \
	requires frames_ok(&kc.frames); \
	requires h < KCORE_MAX_VMS && kc.vms[h] != \null && \valid(kc.vms[h]); \
	requires pt_ok(&kc.vms[h]->s2) && kc.vms[h]->s2.pool == &kc.vms[h]->pool; \
	requires bbm_pending == 0 && pte_unpublished == 0; \
	requires \base_addr(kc.vms[h]) != \base_addr(&kc) && \base_addr(kc.vms[h]) != \base_addr(kc.frames.rec); \
	requires \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> \
		!pool_owns(&kc.pool, q) && q % PAGE_SIZE == 0 && \base_addr(kva_words(q)) != \base_addr(&kc) && \
		\base_addr(kva_words(q)) != \base_addr(kc.frames.rec); \
	requires kc.host.pt.pool == &kc.pool; \
	requires \forall integer q; pool_owns(&kc.pool, q) ==> \
		q % PAGE_SIZE == 0 && \base_addr(kva_words(q)) != \base_addr(kc.vms[h]); \
	requires \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==> \
		\base_addr(kc.vms[h2]) != \base_addr(kc.vms[h]) && kc.vms[h2]->s2.pool == &kc.vms[h2]->pool && \
		(\forall integer q; pool_owns(&kc.vms[h2]->pool, q) ==> \
			q % PAGE_SIZE == 0 && \base_addr(kva_words(q)) != \base_addr(kc.vms[h])) && \
		(\forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> \
			!pool_owns(&kc.vms[h2]->pool, q) && \base_addr(kva_words(q)) != \base_addr(kc.vms[h2]));
#define VM_PT_ASSIGNS \
	assigns kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree, PT_WORDS(&kc.vms[h]->pool); \
	assigns PT_GHOST_STATE;
#define VM_PT_ENSURES \
	ensures pt_ok(&kc.vms[h]->s2) && bbm_pending == 0 && pte_unpublished == 0; \
	ensures frames_ok(&kc.frames) && frames_same{Pre, Post}; \
	ensures \forall integer q, o; owned_by(q, o) <==> \old(owned_by(q, o)); \
	ensures kc.pool.free_head == \old(kc.pool.free_head) && kc.pool.nfree == \old(kc.pool.nfree); \
	ensures pt_same{Pre, Post}(&kc.host.pt); \
	ensures \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==> \
		pt_same{Pre, Post}(&kc.vms[h2]->s2) && \
		kc.vms[h2]->pool.free_head == \old(kc.vms[h2]->pool.free_head) && \
		kc.vms[h2]->pool.nfree == \old(kc.vms[h2]->pool.nfree);
/* Before the call: distinct pages are distinct blocks (kva_words_apart). */
#define VM_PT_APART \
	(\forall integer q, q2; pool_owns(&kc.pool, q) && pool_owns(&kc.vms[h]->pool, q2) ==> \
		\base_addr(kva_words(q)) != \base_addr(kva_words(q2))) && \
	(\forall integer h2, q, q2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null && \
		pool_owns(&kc.vms[h2]->pool, q) && pool_owns(&kc.vms[h]->pool, q2) ==> \
		\base_addr(kva_words(q)) != \base_addr(kva_words(q2)))
/* After it (and FRAMES_KEPT_*): KServ's table, KCore's pool and the other
 * VMs are as they were. */
#define VM_PT_KEPT \
	kc.host.pt.root.v == \at(kc.host.pt.root.v, Pre) && \
	kc.host.pt.start_level == \at(kc.host.pt.start_level, Pre) && \
	kc.host.pt.ia_bits == \at(kc.host.pt.ia_bits, Pre) && \
	(\forall integer q, k; pool_owns(&kc.pool, q) && 0 <= k < 512 ==> kva_words(q)[k] == \at(kva_words(q)[k], Pre)) && \
	(\forall integer h2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==> \
		kc.vms[h2]->s2.root.v == \at(kc.vms[h2]->s2.root.v, Pre) && \
		kc.vms[h2]->s2.start_level == \at(kc.vms[h2]->s2.start_level, Pre) && \
		kc.vms[h2]->s2.ia_bits == \at(kc.vms[h2]->s2.ia_bits, Pre)) && \
	(\forall integer h2, q, k; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null && \
		pool_owns(&kc.vms[h2]->pool, q) && 0 <= k < 512 ==> kva_words(q)[k] == \at(kva_words(q)[k], Pre))
/* clang-format on */
#endif

/* Map @page at @ipa in VM @h's stage-2. */
/*@ VM_PT_REQUIRES
    VM_PT_ASSIGNS
    VM_PT_ENSURES
    ensures \forall integer x, q; pt_maps(&kc.vms[h]->s2, x, q) ==>
	      \old(pt_maps(&kc.vms[h]->s2, x, q)) || (ipa <= x < ipa + PAGE_SIZE && q == page.v + (x - ipa));
 */
static void vm_pt_map(u32 h, u64 ipa, paddr_t page)
{
	/*@ assert VM_PT_APART; */
	/* The pool holds what the map needs (map_locked() checked). */
	KC_CHECK(pt_map(&kc.vms[h]->s2, ipa, page, PAGE_SIZE, guest_ram) == 0);
	/*@ assert FRAMES_KEPT_FIELDS; */
	/*@ assert FRAMES_KEPT_SHAPE; */
	/*@ assert frames_shape(&kc.frames); */
	/*@ assert FRAMES_KEPT_LOOKUP; */
	/*@ assert VM_PT_KEPT; */
}

/* Unmap the page at @ipa from VM @h's stage-2. */
/*@ VM_PT_REQUIRES
    requires ipa % PAGE_SIZE == 0 && ipa + PAGE_SIZE <= (1 << kc.vms[h]->s2.ia_bits);
    VM_PT_ASSIGNS
    VM_PT_ENSURES
    ensures \forall integer x, q; pt_maps(&kc.vms[h]->s2, x, q) ==>
	      \old(pt_maps(&kc.vms[h]->s2, x, q)) && !(ipa <= x < ipa + PAGE_SIZE);
 */
static void vm_pt_unmap(u32 h, u64 ipa)
{
	/*@ assert VM_PT_APART; */
	/* Page-sized leaves (vm_pt_map()): nothing to split, no allocation. */
	KC_CHECK(pt_unmap(&kc.vms[h]->s2, ipa, PAGE_SIZE) == 0);
	/*@ assert FRAMES_KEPT_FIELDS; */
	/*@ assert FRAMES_KEPT_SHAPE; */
	/*@ assert frames_shape(&kc.frames); */
	/*@ assert FRAMES_KEPT_LOOKUP; */
	/*@ assert VM_PT_KEPT; */
}

/* Map @page, which the VM owns, at @ipa in VM @h's stage-2, whose pool holds
 * what the map needs (map_locked()). */
/*@ requires kcore_ok;
    requires h < KCORE_MAX_VMS && kc.vms[h] != \null && ipa % PAGE_SIZE == 0;
    requires owned_by(page.v, OWNER_VM_FIRST + h) && page.v % PAGE_SIZE == 0;
    requires \forall integer ia; ia % PAGE_SIZE == 0 ==> !pt_maps(&kc.vms[h]->s2, ia, page.v);
    assigns kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree, PT_WORDS(&kc.vms[h]->pool);
    assigns PT_GHOST_STATE;
    ensures kcore_ok;
 */
static void guest_map(u32 h, u64 ipa, paddr_t page)
{
	vm_pt_map(h, ipa, page);
	/* So KCore's state, KServ's table and the other VMs are as they were. */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && kc.vms[i] != \null ==>
	      kc.vms[i]->s2.pool == \at(kc.vms[i]->s2.pool, Pre); */
	/*@ assert \forall integer q; not_ram(&kc.frames, q) <==> \at(not_ram(&kc.frames, q), Pre); */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert host_pt_ok; */
	/*@ assert inv_kserv_maps; */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/* pt_ok() reads the table's and the pool's fields, which stay. */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==>
	      \at(pt_ok(&kc.vms[h2]->s2), Pre) && kc.vms[h2]->s2.root.v == \at(kc.vms[h2]->s2.root.v, Pre) &&
	      kc.vms[h2]->s2.start_level == \at(kc.vms[h2]->s2.start_level, Pre) &&
	      kc.vms[h2]->s2.ia_bits == \at(kc.vms[h2]->s2.ia_bits, Pre) &&
	      kc.vms[h2]->pool.free_head == \at(kc.vms[h2]->pool.free_head, Pre) &&
	      kc.vms[h2]->pool.nfree == \at(kc.vms[h2]->pool.nfree, Pre); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==>
	      pt_ok(&kc.vms[h2]->s2); */
	/*@ assert \forall integer x; x % PAGE_SIZE == 0 && ipa <= x < ipa + PAGE_SIZE ==> x == ipa; */
	/*@ assert \forall integer ia, q; ia % PAGE_SIZE == 0 && pt_maps(&kc.vms[h]->s2, ia, q) ==>
	      \at(pt_maps(&kc.vms[h]->s2, ia, q), Pre) || (ia == ipa && q == page.v); */
	/*@ assert \forall integer ia, q; ia % PAGE_SIZE == 0 && \at(pt_maps(&kc.vms[h]->s2, ia, q), Pre) ==>
	      q % PAGE_SIZE == 0 && \at(owned_by(q, OWNER_VM_FIRST + h), Pre); */
	/*@ assert \forall integer ia, q; ia % PAGE_SIZE == 0 && pt_maps(&kc.vms[h]->s2, ia, q) ==>
	      q % PAGE_SIZE == 0 && owned_by(q, OWNER_VM_FIRST + h); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null &&
	      ia % PAGE_SIZE == 0 && pt_maps(&kc.vms[h2]->s2, ia, q) ==>
	      q % PAGE_SIZE == 0 && owned_by(q, OWNER_VM_FIRST + h2); */
	/*@ assert inv_vms_maps; */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && kc.vms[i] != \null ==> pt_ok(&kc.vms[i]->s2); */
	/* vms_ok's other parts are about where the records and pools are. */
	/*@ assert vm_table(&kc.vms[0]); */
	/*@ assert \forall integer h1, q; 0 <= h1 < KCORE_MAX_VMS && kc.vms[h1] != \null && pool_owns(&kc.pool, q) ==>
	      \base_addr(kva_words(q)) != \base_addr(kc.vms[h1]); */
	/*@ assert \forall integer h1, q; 0 <= h1 < KCORE_MAX_VMS && kc.vms[h1] != \null &&
	      pool_owns(&kc.vms[h1]->pool, q) ==>
	      !pool_owns(&kc.pool, q) && \base_addr(kva_words(q)) != \base_addr(&kc) &&
	      \base_addr(kva_words(q)) != \base_addr(kc.frames.rec); */
	/*@ assert vms_ok; */
	/*@ assert kc_pool_kcore && ram_mapped && vms_meta; */
	/*@ assert \forall integer ia1, ia2, q; ia1 % PAGE_SIZE == 0 && ia2 % PAGE_SIZE == 0 &&
	      pt_maps(&kc.vms[h]->s2, ia1, q) && pt_maps(&kc.vms[h]->s2, ia2, q) ==> ia1 == ia2; */
	/*@ assert vms_map_once; */
}

/*@ requires kcore_ok;
    assigns kc.frames.lock, HOST_PT_FOOTPRINT;
    assigns { frame_in(&kc.frames, i, q)->owner | integer i, q; in_pages(q, page.v, 1) && in_bank(&kc.frames, i, q) };
    assigns kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree, PT_WORDS(&kc.vms[h]->pool);
    ensures kcore_ok;
 */
static int map_locked(u32 h, paddr_t page, u64 ipa)
{
	int err;
	struct vm *vm = vm_for_ipa(h, ipa, &err);

	if (!vm)
		return err;
	if (mapped_page(vm, ipa))
		return -KCORE_EEXIST;
	if (pool_nfree(&vm->pool) < vm_map_reserve(vm))
		return -KCORE_ENOMEM;
	/* KServ's page is in no VM's stage-2 (invariant 2). */
	/*@ assert \at(owned_by(page.v, OWNER_KSERV), Pre) ==>
	      \forall integer ia; ia % PAGE_SIZE == 0 ==> !pt_maps(&kc.vms[h]->s2, ia, page.v); */
	err = vm_take_pages(page, 1, owner_vm(h));
	if (err)
		return err;
	arch_icache_inval_all(); /* the guest may execute it (cleaned to PoC just now) */
	guest_map(h, ipa, page);
	return 0;
}

int vm_map_page(u32 handle, paddr_t page, u64 ipa)
{
	int err;

	ticket_lock(&kc.vm_lock);
	err = map_locked(handle, page, ipa);
	ticket_unlock(&kc.vm_lock);
	return err;
}

/* Unmap @ipa, which maps @p, from VM @h's stage-2: after it no VM's stage-2
 * maps @p, which VM @h still owns. */
/*@ requires kcore_ok;
    requires h < KCORE_MAX_VMS && kc.vms[h] != \null;
    requires ipa % PAGE_SIZE == 0 && ipa + PAGE_SIZE <= (1 << kc.vms[h]->s2.ia_bits);
    requires pt_maps(&kc.vms[h]->s2, ipa, p.v);
    assigns kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree, PT_WORDS(&kc.vms[h]->pool);
    assigns PT_GHOST_STATE;
    ensures kcore_ok && frames_same{Pre, Post};
    ensures p.v % PAGE_SIZE == 0 && owned_by(p.v, OWNER_VM_FIRST + h);
    ensures \forall integer h2, ia; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && ia % PAGE_SIZE == 0 ==>
	      !pt_maps(&kc.vms[h2]->s2, ia, p.v);
 */
static void guest_unmap(u32 h, u64 ipa, paddr_t p)
{
	vm_pt_unmap(h, ipa);
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && kc.vms[i] != \null ==>
	      kc.vms[i]->s2.pool == \at(kc.vms[i]->s2.pool, Pre); */
	/*@ assert \forall integer q; not_ram(&kc.frames, q) <==> \at(not_ram(&kc.frames, q), Pre); */
	/*@ assert \forall integer x, q; pt_maps(&kc.host.pt, x, q) <==> \at(pt_maps(&kc.host.pt, x, q), Pre); */
	/*@ assert host_pt_ok; */
	/*@ assert inv_kserv_maps; */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null ==>
	      pt_ok(&kc.vms[h2]->s2); */
	/* Every translation is one of before. */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      pt_maps(&kc.vms[h2]->s2, ia, q) ==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre); */
	/*@ assert inv_vms_maps; */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS && kc.vms[i] != \null ==> pt_ok(&kc.vms[i]->s2); */
	/*@ assert vms_ok; */
	/*@ assert kc_pool_kcore && ram_mapped && vms_meta; */
	/*@ assert vms_map_once; */
	/* @p was VM @h's, at @ipa only; no other VM mapped it. */
	/*@ assert p.v % PAGE_SIZE == 0 && owned_by(p.v, OWNER_VM_FIRST + h); */
	/*@ assert \forall integer ia; ia % PAGE_SIZE == 0 && \at(pt_maps(&kc.vms[h]->s2, ia, p.v), Pre) ==>
	      ia == ipa; */
	/*@ assert \forall integer h2, ia; 0 <= h2 < KCORE_MAX_VMS && h2 != h && kc.vms[h2] != \null &&
	      ia % PAGE_SIZE == 0 ==> !\at(pt_maps(&kc.vms[h2]->s2, ia, p.v), Pre); */
}

/* What giving @p back to KServ writes, needs and ensures: @p is a guest
 * page of VM @h that no stage-2 maps, or a page of its metadata once the
 * VM is dead. give_locked()'s contract, and with the lock added
 * give_page()'s. */
#ifdef __FRAMAC__
/* clang-format off */
#define GIVE_REQUIRES \
	requires kcore_ok; \
	requires h < KCORE_MAX_VMS && p.v % PAGE_SIZE == 0; \
	requires owned_by(p.v, OWNER_VM_FIRST + h) || (kc.vms[h] == \null && owned_by(p.v, OWNER_META_FIRST + h)); \
	requires \forall integer h2, ia; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && ia % PAGE_SIZE == 0 ==> \
		!pt_maps(&kc.vms[h2]->s2, ia, p.v);
#define GIVE_ASSIGNS \
	assigns link(p.v)[0 .. PAGE_SIZE / 8 - 1]; \
	assigns { frame_in(&kc.frames, i, p.v)->owner | integer i; in_bank(&kc.frames, i, p.v) }; \
	assigns { frame_in(&kc.frames, i, p.v)->share_count | integer i; in_bank(&kc.frames, i, p.v) }; \
	assigns { frame_in(&kc.frames, i, p.v)->pin_count | integer i; in_bank(&kc.frames, i, p.v) };
#define GIVE_ENSURES \
	ensures kcore_ok && inv_zero_returned{Pre, Post}; \
	ensures frames_layout_same{Pre, Post}; \
	ensures \forall integer q, o; q % PAGE_SIZE == 0 && q != p.v ==> (owned_by(q, o) <==> \old(owned_by(q, o))); \
	ensures \forall integer i; in_bank(&kc.frames, i, p.v) ==> frame_in(&kc.frames, i, p.v)->owner == OWNER_KSERV;
/* clang-format on */
#endif

/* Scrub @p and give it to KServ, the frames lock held. */
/*@ GIVE_REQUIRES
    GIVE_ASSIGNS
    GIVE_ENSURES
 */
static void give_locked(u32 h, paddr_t p)
{
	struct frame *fr = frames_get(&kc.frames, p);

	/* Where mp_give_to_kserv() writes: @p's words are apart from kc, the
	 * frame records, every live VM's record and every table page (@p is
	 * not KCore's page nor any live VM's metadata). */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      !owned_by(p.v, OWNER_META_FIRST + h2); */
	/*@ assert !owned_by(p.v, OWNER_KCORE) && !owned_by(p.v, OWNER_KSERV); */
	/*@ assert \base_addr(link(p.v)) != \base_addr(&kc) && \base_addr(link(p.v)) != \base_addr(kc.frames.rec); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==> q != p.v; */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> q != p.v; */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      kva_page(\base_addr(kc.vms[h2])) != p.v; */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      \base_addr(link(p.v)) != \base_addr(kc.vms[h2]); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      \separated(kc.vms[h2], link(p.v) + (0 .. PAGE_SIZE / 8 - 1), fr); */
	/*@ assert \forall integer q; pool_owns(&kc.pool, q) ==> \base_addr(link(p.v)) != \base_addr(kva_words(q)); */
	/*@ assert \forall integer h2, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
	      pool_owns(&kc.vms[h2]->pool, q) ==> \base_addr(link(p.v)) != \base_addr(kva_words(q)); */
	/*@ assert \forall integer q, i; q % PAGE_SIZE == 0 && in_bank(&kc.frames, i, q) ==>
	      word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1)); */
	mp_give_to_kserv(p, fr);
	/* The frame records' layout is kc's, apart from what the call wrote. */
	/*@ assert kc.frames.nbanks == \at(kc.frames.nbanks, Pre) && kc.frames.nframes == \at(kc.frames.nframes, Pre) &&
	      kc.frames.rec == \at(kc.frames.rec, Pre); */
	/*@ assert \forall integer j; 0 <= j < FRAMES_MAX_BANKS ==>
	      kc.frames.bank[j].base == \at(kc.frames.bank[j].base, Pre) &&
	      kc.frames.bank[j].size == \at(kc.frames.bank[j].size, Pre) &&
	      kc.frames.first[j] == \at(kc.frames.first[j], Pre); */
	/*@ assert frames_layout_same{Pre, Here}; */
	/*@ assert \forall integer q, i; q % PAGE_SIZE == 0 && in_bank(&kc.frames, i, q) ==>
	      word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1)); */
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert VMS_TABLES_KEPT(h2); */
	/*@ assert VMS_POOLS_KEPT(h2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      pt_same{Pre, Here}(&kc.vms[h2]->s2) && pt_ok(&kc.vms[h2]->s2); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/*@ assert vms_ok; */
	/* Only @p changed owner, from VM @h (or its metadata) to KServ. */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) ==>
	      \at(owned_by(q, o), Pre) || (q == p.v && o == OWNER_KSERV); */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && !\at(owned_by(p.v, o), Pre) && \at(owned_by(q, o), Pre)
	   ==> owned_by(q, o); */
	/*@ assert inv_vms_maps; */
	/*@ assert kc_pool_kcore; */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) && o != OWNER_KCORE ==>
	      \at(owned_by(q, o), Pre) || q == p.v; */
	/*@ assert ram_mapped; */
	/*@ assert vms_meta; */
	/*@ assert vms_map_once; */
}

/* give_locked() under the frames lock. vm_lock held. Not proved (the lock
 * is trusted item 2 of docs/verification.md): its contract is
 * give_locked()'s, with the lock among what it writes. */
/*@ GIVE_REQUIRES
    assigns kc.frames.lock;
    GIVE_ASSIGNS
    GIVE_ENSURES
 */
static void give_page(u32 h, paddr_t p)
{
	ticket_lock(&kc.frames.lock);
	give_locked(h, p);
	ticket_unlock(&kc.frames.lock);
}

/*@ // Page k of bank i exists.
    predicate page_at{L}(integer i, integer k) =
      0 <= i < kc.frames.nbanks && 0 <= k < kc.frames.bank[i].size / PAGE_SIZE;

    // No page before page k of bank i is VM h's or its metadata's.
    predicate none_before{L}(integer h, integer i, integer k) =
      none_owned(&kc.frames, OWNER_VM_FIRST + h, OWNER_META_FIRST + h, 0, 0, i, k);
 */

/* Give every page of dead VM @h and of its metadata back to KServ,
 * scrubbed, the frames lock held: vm_reclaim()'s contract without the lock. */
/*@ requires kcore_ok;
    requires h < KCORE_MAX_VMS && kc.vms[h] == \null;
    RECLAIM_ASSIGNS(h)
    ensures kcore_ok && inv_zero_returned{Pre, Post};
    ensures RECLAIMED(h);
 */
static void reclaim_locked(u32 h)
{
	struct frames_cursor c = { 0, 0 };
	struct frame *fr;
	paddr_t p;

	/*@ loop invariant kcore_ok && kc.vms[h] == \null;
	    loop invariant c.bank <= kc.frames.nbanks;
	    loop invariant frames_layout_same{Pre, Here};
	    loop invariant \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) ==>
			     \at(owned_by(q, o), Pre) || o == OWNER_KSERV;
	    loop invariant inv_zero_returned{Pre, Here};
	    loop invariant none_before(h, c.bank, c.page);
	    loop assigns c, p, fr;
	    RECLAIM_SETS(loop assigns, h)
	 */
	while ((fr = frames_next_owned(&kc.frames, owner_vm(h), owner_meta(h), &c, &p))) {
		/* None before @fr is the VM's: the pages before the cursor were
		 * not, and frames_next_owned() skipped none. */
		/*@ assert none_before(h, c.bank, c.page - 1); */
		/* @p is VM @h's or its metadata's, so no live VM maps it. */
		/*@ assert p.v % PAGE_SIZE == 0 && in_bank(&kc.frames, c.bank, p.v); */
		/*@ assert (p.v - kc.frames.bank[c.bank].base) / PAGE_SIZE == c.page - 1; */
		/*@ assert fr == kc.frames.rec + (kc.frames.first[c.bank] + (c.page - 1)); */
		/*@ assert frame_in(&kc.frames, c.bank, p.v) ==
		      kc.frames.rec + (kc.frames.first[c.bank] + (p.v - kc.frames.bank[c.bank].base) / PAGE_SIZE); */
		/*@ assert fr == frame_in(&kc.frames, c.bank, p.v); */
		/*@ assert owned_by(p.v, OWNER_VM_FIRST + h) || owned_by(p.v, OWNER_META_FIRST + h); */
		/*@ assert \forall integer q; q == p.v ==> VM_PAGE_BEFORE(q, h); */
		/*@ assert \forall integer h2, ia; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null &&
		      ia % PAGE_SIZE == 0 ==> !pt_maps(&kc.vms[h2]->s2, ia, p.v); */
		/* Every other page's record is another record. */
		/*@ assert fr == frame_at(&kc.frames, c.bank, c.page - 1); */
		/*@ assert \forall integer i, k; page_at(i, k) && !(i == c.bank && k == c.page - 1) ==>
		      frame_at(&kc.frames, i, k) != fr; */
		/*@ assert \forall integer j; in_bank(&kc.frames, j, p.v) ==> j == c.bank; */
		/*@ assert \forall integer j; in_bank(&kc.frames, j, p.v) ==> frame_in(&kc.frames, j, p.v) == fr; */
		/*@ assert \forall integer i, k; page_at(i, k) && frame_at(&kc.frames, i, k) != fr ==>
		      \separated(&frame_at(&kc.frames, i, k)->owner, &fr->owner); */
		/*@ assert \forall integer i, k; \let r = frame_at(&kc.frames, c.bank, c.page - 1);
		      \separated(&frame_at(&kc.frames, i, k)->owner, &r->share_count) &&
		      \separated(&frame_at(&kc.frames, i, k)->owner, &r->pin_count); */
		/*@ assert \forall integer i, k; page_at(i, k) && !at_or_after(c.bank, c.page - 1, i, k) ==>
		      frame_at(&kc.frames, i, k)->owner != OWNER_VM_FIRST + h &&
		      frame_at(&kc.frames, i, k)->owner != OWNER_META_FIRST + h; */
		/*@ ghost Give: ; */
		give_locked(h, p);
		/* Only @fr changed owner, to KServ. */
		/*@ assert in_bank(&kc.frames, c.bank, p.v) && frame_in(&kc.frames, c.bank, p.v) == fr; */
		/*@ assert fr == frame_at(&kc.frames, c.bank, c.page - 1) && fr->owner == OWNER_KSERV; */
		/*@ assert frames_layout_same{Give, Here}; */
		/*@ assert \forall integer i; 0 <= i < FRAMES_MAX_BANKS ==>
		      kc.frames.first[i] == \at(kc.frames.first[i], Give); */
		/*@ assert kc.frames.rec == \at(kc.frames.rec, Give) && kc.frames.nbanks <= FRAMES_MAX_BANKS; */
		/*@ assert \forall integer i, k; 0 <= i < FRAMES_MAX_BANKS ==>
		      frame_at(&kc.frames, i, k) == \at(frame_at(&kc.frames, i, k), Give); */
		/*@ assert \forall integer i, k; page_at(i, k) && frame_at(&kc.frames, i, k) != fr ==>
		      \at(frame_at(&kc.frames, i, k), Give)->owner == \at(frame_at(&kc.frames, i, k)->owner, Give); */
		/*@ assert \forall integer i, k; page_at(i, k) && frame_at(&kc.frames, i, k) != fr ==>
		      frame_at(&kc.frames, i, k)->owner == \at(frame_at(&kc.frames, i, k)->owner, Give); */
		/* So no page before the cursor is the VM's. */
		/*@ assert \forall integer i, k; page_at(i, k) ==> \at(page_at(i, k), Give); */
		/*@ assert \forall integer i, k; page_at(i, k) && !at_or_after(c.bank, c.page - 1, i, k) ==>
		      \at(frame_at(&kc.frames, i, k)->owner, Give) != OWNER_VM_FIRST + h &&
		      \at(frame_at(&kc.frames, i, k)->owner, Give) != OWNER_META_FIRST + h; */
		/*@ assert \forall integer i, k; page_at(i, k) && !at_or_after(c.bank, c.page - 1, i, k) ==>
		      frame_at(&kc.frames, i, k)->owner != OWNER_VM_FIRST + h &&
		      frame_at(&kc.frames, i, k)->owner != OWNER_META_FIRST + h; */
		/*@ assert frame_at(&kc.frames, c.bank, c.page - 1)->owner == OWNER_KSERV; */
		/* page_at() written out: the premise of none_owned_from_start. */
		/*@ assert \forall integer i, k; 0 <= i < kc.frames.nbanks &&
		      0 <= k < kc.frames.bank[i].size / PAGE_SIZE && !at_or_after(c.bank, c.page, i, k) ==>
		      frame_at(&kc.frames, i, k)->owner != OWNER_VM_FIRST + h &&
		      frame_at(&kc.frames, i, k)->owner != OWNER_META_FIRST + h; */
		/*@ assert none_before(h, c.bank, c.page); */
	}
	/* No record is the VM's any more: so no page. */
	/*@ assert none_before(h, kc.frames.nbanks, 0); */
	/*@ assert \forall integer i, q; in_bank(&kc.frames, i, q) ==>
	      frame_in(&kc.frames, i, q) == frame_at(&kc.frames, i, (q - kc.frames.bank[i].base) / PAGE_SIZE) &&
	      0 <= (q - kc.frames.bank[i].base) / PAGE_SIZE < kc.frames.bank[i].size / PAGE_SIZE; */
}

void vm_reclaim(u32 h)
{
	ticket_lock(&kc.frames.lock);
	reclaim_locked(h);
	ticket_unlock(&kc.frames.lock);
}

/* What unmap_locked() did: err 0 and the page it gave back, or err
 * -KCORE_E* and nothing changed. */
struct unmapped {
	int err;
	paddr_t page;
};

/* Unmap @ipa from VM @h and give its page back to KServ, scrubbed. */
/*@ requires kcore_ok;
    assigns kc.frames.lock, kc.vms[h]->pool.lock, kc.vms[h]->pool.free_head, kc.vms[h]->pool.nfree;
    assigns PT_WORDS(&kc.vms[h]->pool), PT_GHOST_STATE;
    assigns { link(q)[k] | integer q, k; pt_maps(&kc.vms[h]->s2, ipa, q) && 0 <= k < PAGE_SIZE / 8 };
    assigns { frame_in(&kc.frames, i, q)->owner | integer i, q;
	      pt_maps(&kc.vms[h]->s2, ipa, q) && in_bank(&kc.frames, i, q) };
    assigns { frame_in(&kc.frames, i, q)->share_count | integer i, q;
	      pt_maps(&kc.vms[h]->s2, ipa, q) && in_bank(&kc.frames, i, q) };
    assigns { frame_in(&kc.frames, i, q)->pin_count | integer i, q;
	      pt_maps(&kc.vms[h]->s2, ipa, q) && in_bank(&kc.frames, i, q) };
    ensures kcore_ok;
    ensures \result.err == 0 ==> \old(pt_maps(&kc.vms[h]->s2, ipa, \result.page.v));
 */
static struct unmapped unmap_locked(u32 h, u64 ipa)
{
	struct unmapped r = { 0, { 0 } };
	struct vm *vm = vm_for_ipa(h, ipa, &r.err);

	if (!vm)
		return r;
	r.page = pa(mapped_page(vm, ipa));
	if (!r.page.v) {
		r.err = -KCORE_ENOENT;
		return r;
	}
	/* Out of the guest first (with its TLB entries), then scrubbed. */
	guest_unmap(h, ipa, r.page);
	/*@ assert frames_layout_same{Pre, Here}; */
	/*@ assert \let v = r.page.v; \at(pt_maps(&kc.vms[h]->s2, ipa, v), Pre); */
	give_page(h, r.page);
	return r;
}

int vm_unmap_page(u32 handle, u64 ipa, paddr_t *page)
{
	struct unmapped r;

	ticket_lock(&kc.vm_lock);
	r = unmap_locked(handle, ipa);
	ticket_unlock(&kc.vm_lock);
	if (!r.err)
		*page = r.page;
	return r.err;
}
