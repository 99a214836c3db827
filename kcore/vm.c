// SPDX-License-Identifier: GPL-2.0
/* VM lifecycle and guest memory ownership. */
#include "vm.h"
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

static const struct pt_prot guest_ram = { PT_MEM_NORMAL, PT_R | PT_W | PT_X };

/*@ requires vm_table(&kc.vms[0]);
    assigns \nothing;
    ensures handle < KCORE_MAX_VMS ==> \result == kc.vms[handle];
    ensures handle >= KCORE_MAX_VMS ==> \result == \null;
 */
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

/*@ requires \valid_read(vm) && vm->s2.start_level < PT_LEVELS;
    assigns \nothing;
 */
u32 vm_map_reserve(const struct vm *vm)
{
	return s2_map_reserve(vm->s2.start_level); /* one table per level below the root */
}

/*
 * The specification of the handlers below (docs/verification.md): each keeps
 * the global invariants of mem_protect.h (2) and (3), and the well-formed
 * state they rest on, with (1) as frames_ok.
 */
/*@
  // Every page of RAM is in KCore's linear map (arch_pa_to_va(): RAM is
  // mapped one to one), and one that is not KCore's own lies apart from kc
  // and from the frame records (both are in KCore's image or carve-out).
  predicate ram_mapped{L} =
    (\forall integer q, i; q % PAGE_SIZE == 0 && in_bank(&kc.frames, i, q) ==>
       word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1))) &&
    \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) && o != OWNER_KCORE ==>
      \base_addr(link(q)) != \base_addr(&kc) && \base_addr(link(q)) != \base_addr(kc.frames.rec);

  // A live VM's record and table pages are its metadata: the page whose
  // block holds the record (kva_words_apart), and every page of its pool.
  predicate vms_meta{L} =
    \forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
      kva_page(\base_addr(kc.vms[h])) % PAGE_SIZE == 0 &&
      owned_by(kva_page(\base_addr(kc.vms[h])), OWNER_META_FIRST + h) &&
      \forall integer q; pool_owns(&kc.vms[h]->pool, q) ==> owned_by(q, OWNER_META_FIRST + h);

  // A VM's stage-2 maps a page at one address at most (so unmapping it
  // once leaves it unmapped).
  predicate vms_map_once{L} =
    \forall integer h, ia1, ia2, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null &&
      ia1 % PAGE_SIZE == 0 && ia2 % PAGE_SIZE == 0 &&
      pt_maps(&kc.vms[h]->s2, ia1, q) && pt_maps(&kc.vms[h]->s2, ia2, q) ==> ia1 == ia2;

  predicate kcore_ok{L} =
    frames_ok(&kc.frames) && host_pt_ok && vms_ok && inv_kserv_maps && inv_vms_maps &&
    kc_pool_kcore && ram_mapped && vms_meta && vms_map_once;
 */

/* Proof steps after a write that leaves every VM's record and table pages
 * alone (the donation and the scrub): each live VM's table fields, and the
 * words of its table pages, are those of Pre. @vmh names the VM. */
#ifdef __FRAMAC__
/* clang-format off */
#define VMS_TABLES_KEPT(vmh) \
	\forall integer vmh; 0 <= vmh < KCORE_MAX_VMS && kc.vms[vmh] != \null ==> \
		kc.vms[vmh]->s2.root.v == \at(kc.vms[vmh]->s2.root.v, Pre) && \
		kc.vms[vmh]->s2.start_level == \at(kc.vms[vmh]->s2.start_level, Pre) && \
		kc.vms[vmh]->s2.ia_bits == \at(kc.vms[vmh]->s2.ia_bits, Pre) && \
		kc.vms[vmh]->s2.pool == \at(kc.vms[vmh]->s2.pool, Pre) && \
		kc.vms[vmh]->pool.free_head == \at(kc.vms[vmh]->pool.free_head, Pre) && \
		kc.vms[vmh]->pool.nfree == \at(kc.vms[vmh]->pool.nfree, Pre)
#define VMS_POOLS_KEPT(vmh) \
	\forall integer vmh, q, k; 0 <= vmh < KCORE_MAX_VMS && kc.vms[vmh] != \null && \
		pool_owns(&kc.vms[vmh]->pool, q) && 0 <= k < 512 ==> kva_words(q)[k] == \at(kva_words(q)[k], Pre)
/* clang-format on */
#endif

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

/* What taking [p, p + npages) from KServ for @owner writes and ensures:
 * take_locked()'s contract, and with the lock added take_pages()'s. */
#ifdef __FRAMAC__
/* clang-format off */
#define TAKE_ASSIGNS \
	assigns HOST_PT_FOOTPRINT; \
	assigns { frame_in(&kc.frames, i, q)->owner | integer i, q; in_pages(q, p.v, npages) && in_bank(&kc.frames, i, q) };
#define TAKE_ENSURES \
	ensures kcore_ok; \
	ensures \result <= 0; \
	ensures \forall integer h, ia, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==> \
		(pt_maps(&kc.vms[h]->s2, ia, q) <==> \old(pt_maps(&kc.vms[h]->s2, ia, q))); \
	ensures \result == 0 ==> \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==> \
		\old(owned_by(q, OWNER_KSERV)); \
	ensures \result == 0 ==> mp_args_ok(p.v, npages); \
	ensures \result == 0 ==> \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==> \
		owned_by(q, owner); \
	ensures \forall integer q, o; q % PAGE_SIZE == 0 && (\result != 0 || !(p.v <= q < p.v + npages * PAGE_SIZE)) ==> \
		(owned_by(q, o) <==> \old(owned_by(q, o)));
/* clang-format on */
#endif

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

/* take_locked() under the frames lock. vm_lock held. Not proved (the lock
 * is trusted item 2 of docs/verification.md): its contract is
 * take_locked()'s, with the lock among what it writes. */
/*@ requires kcore_ok;
    assigns kc.frames.lock;
    TAKE_ASSIGNS
    TAKE_ENSURES
 */
static int take_pages(paddr_t p, u64 npages, u16 owner)
{
	int err;

	ticket_lock(&kc.frames.lock);
	err = take_locked(p, npages, owner);
	ticket_unlock(&kc.frames.lock);
	return err;
}

/* Build VM @h's record in the first page of [p, p + npages), pages
 * take_pages() has just made the VM's metadata: the other pages are its
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

/* Build and publish VM @h on [p, p + npages), pages take_pages() has just
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
		err = take_pages(p, npages, owner_meta(h));
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

/* Add [p, p + npages), pages take_pages() has just made VM @h's metadata,
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
	err = take_pages(p, npages, owner_meta(h));
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

static bool any_running(const struct vm *vm)
{
	u32 i;

	for (i = 0; i < KCORE_MAX_VCPUS; i++)
		if (vm->vcpus[i] && __atomic_load_n(&vm->vcpus[i]->running, __ATOMIC_ACQUIRE))
			return true;
	return false;
}

static int destroy_locked(u32 h)
{
	struct vm *vm = vm_lookup(h);
	struct frames_cursor c = { 0, 0 };
	struct frame *fr;
	paddr_t p;
	u16 vmid;

	if (!vm)
		return -KCORE_ENOENT;
	if (any_running(vm))
		return -KCORE_EBUSY;
	vmid = vm->vmid;
	kc.vms[h] = NULL;
	/* Nothing runs with this VMID any more: drop all of its translations,
	 * then scrub and return its guest pages and its metadata (the record
	 * and the tables included; @vm is not touched after this). */
	arch_tlbi_s2_vmid(vmid);
	ticket_lock(&kc.frames.lock);
	while ((fr = frames_next_owned(&kc.frames, owner_vm(h), owner_meta(h), &c, &p)))
		mp_give_to_kserv(p, fr);
	ticket_unlock(&kc.frames.lock);
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
	err = take_pages(page, 1, owner_vm(h));
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

/* What giving @p, a page of VM @h that no stage-2 maps, back to KServ
 * writes, needs and ensures: give_locked()'s contract, and with the lock
 * added give_page()'s. */
#ifdef __FRAMAC__
/* clang-format off */
#define GIVE_REQUIRES \
	requires kcore_ok; \
	requires h < KCORE_MAX_VMS && p.v % PAGE_SIZE == 0 && owned_by(p.v, OWNER_VM_FIRST + h); \
	requires \forall integer h2, ia; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null && ia % PAGE_SIZE == 0 ==> \
		!pt_maps(&kc.vms[h2]->s2, ia, p.v);
#define GIVE_ASSIGNS \
	assigns link(p.v)[0 .. PAGE_SIZE / 8 - 1]; \
	assigns { frame_in(&kc.frames, i, p.v)->owner | integer i; in_bank(&kc.frames, i, p.v) }; \
	assigns { frame_in(&kc.frames, i, p.v)->share_count | integer i; in_bank(&kc.frames, i, p.v) }; \
	assigns { frame_in(&kc.frames, i, p.v)->pin_count | integer i; in_bank(&kc.frames, i, p.v) };
#define GIVE_ENSURES \
	ensures kcore_ok && inv_zero_returned{Pre, Post};
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
	 * frame records, every VM's record and every table page (@p is not
	 * KCore's page nor any VM's metadata). */
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
	mp_give_to_kserv(p, fr);
	/*@ assert \forall integer i; 0 <= i < KCORE_MAX_VMS ==> kc.vms[i] == \at(kc.vms[i], Pre); */
	/*@ assert VMS_TABLES_KEPT(h2); */
	/*@ assert VMS_POOLS_KEPT(h2); */
	/*@ assert \forall integer h2; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      pt_same{Pre, Here}(&kc.vms[h2]->s2) && pt_ok(&kc.vms[h2]->s2); */
	/*@ assert \forall integer h2, ia, q; 0 <= h2 < KCORE_MAX_VMS && kc.vms[h2] != \null ==>
	      (pt_maps(&kc.vms[h2]->s2, ia, q) <==> \at(pt_maps(&kc.vms[h2]->s2, ia, q), Pre)); */
	/*@ assert vms_ok; */
	/* Only @p changed owner, from VM @h to KServ. */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) ==>
	      \at(owned_by(q, o), Pre) || (q == p.v && \at(owned_by(q, OWNER_VM_FIRST + h), Pre)); */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && o != OWNER_VM_FIRST + h && \at(owned_by(q, o), Pre) ==>
	      owned_by(q, o); */
	/*@ assert inv_vms_maps; */
	/*@ assert kc_pool_kcore; */
	/*@ assert \forall integer q, i; q % PAGE_SIZE == 0 && in_bank(&kc.frames, i, q) ==>
	      word_aligned(kva(q)) && \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1)); */
	/*@ assert \forall integer q, o; q % PAGE_SIZE == 0 && owned_by(q, o) && o != OWNER_KCORE ==>
	      \at(owned_by(q, o), Pre) || \at(owned_by(q, OWNER_VM_FIRST + h), Pre); */
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

/* The vCPU @index of VM @handle, or NULL. vm_lock held. */
static struct vcpu *vcpu_lookup(u32 handle, u64 index, struct vm **vmp)
{
	struct vm *vm = vm_lookup(handle);

	*vmp = vm;
	return vm && index < KCORE_MAX_VCPUS ? vm->vcpus[index] : NULL;
}

int vcpu_create(u32 handle, u64 index)
{
	struct vm *vm;
	struct vcpu *v;
	paddr_t page;
	int err = 0;

	ticket_lock(&kc.vm_lock);
	if (vcpu_lookup(handle, index, &vm))
		err = -KCORE_EEXIST;
	else if (!vm || index >= KCORE_MAX_VCPUS)
		err = -KCORE_ENOENT;
	else if (!(page = pool_alloc(&vm->pool)).v)
		err = -KCORE_ENOMEM;
	if (!err) {
		v = arch_pa_to_va(page);
		v->index = (u32)index;
		v->vmpidr = vcpu_mpidr((u32)index);
		vcpu_reset(v, 0, 0);
		vm->vcpus[index] = v;
	}
	ticket_unlock(&kc.vm_lock);
	return err;
}

/* The vCPU @index of VM @handle if it exists and is not running; else NULL and *err. vm_lock held. */
static struct vcpu *idle_vcpu(u32 handle, u64 index, int *err)
{
	struct vm *vm;
	struct vcpu *v = vcpu_lookup(handle, index, &vm);

	*err = 0;
	if (!v)
		*err = -KCORE_ENOENT;
	else if (__atomic_load_n(&v->running, __ATOMIC_ACQUIRE))
		*err = -KCORE_EBUSY;
	return *err ? NULL : v;
}

int vcpu_init(u32 handle, u64 index, u64 pc, u64 x0)
{
	struct vcpu *v;
	int err;

	ticket_lock(&kc.vm_lock);
	v = idle_vcpu(handle, index, &err);
	if (v)
		vcpu_reset(v, pc, x0);
	ticket_unlock(&kc.vm_lock);
	return err;
}

int vcpu_set_reg(u32 handle, u64 index, u64 reg, u64 val)
{
	struct vcpu *v;
	int err;

	ticket_lock(&kc.vm_lock);
	v = idle_vcpu(handle, index, &err);
	if (v)
		err = vcpu_set_initial_reg(v, reg, val);
	ticket_unlock(&kc.vm_lock);
	return err;
}

/*
 * Guests may invalidate their TLB entries with local (non-broadcast)
 * operations, which only reach the CPU they run on: when a different vCPU
 * of the same VM ran on this CPU last, the entries it left must go. Only
 * this CPU touches its slot, and it runs one vCPU at a time.
 */
static bool switched_vcpu(struct vm *vm, const struct vcpu *v)
{
	u32 cpu = arch_cpu_index();
	u8 me = (u8)(v->index + 1);
	bool switched;

	KC_CHECK(cpu < KCORE_MAX_CPUS);
	switched = vm->last_vcpu[cpu] != me;
	vm->last_vcpu[cpu] = me;
	return switched;
}

int vcpu_run(u32 handle, u64 index, u64 flags, const u64 *answer, struct exit_record *rec)
{
	struct raw_exit e;
	struct vm *vm;
	struct vcpu *v;
	u32 idle = 0;
	int err;

	ticket_lock(&kc.vm_lock);
	v = vcpu_lookup(handle, index, &vm);
	if (!v || !__atomic_compare_exchange_n(&v->running, &idle, 1, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		ticket_unlock(&kc.vm_lock);
		return v ? -KCORE_EBUSY : -KCORE_ENOENT;
	}
	ticket_unlock(&kc.vm_lock);
	/* While it runs the vCPU keeps its VM alive: vm_destroy() refuses. */
	err = vcpu_apply_answer(v, flags, answer);
	if (!err) {
		v->ran = true;
		arch_vcpu_run(vm, v, &e, switched_vcpu(vm, v));
		vcpu_decode_exit(v, &e, rec);
	}
	__atomic_store_n(&v->running, 0, __ATOMIC_RELEASE);
	return err;
}

int vm_set_timer(u32 handle, u64 cntvoff)
{
	struct vm *vm;
	int err = 0;

	ticket_lock(&kc.vm_lock);
	vm = vm_lookup(handle);
	if (!vm)
		err = -KCORE_ENOENT;
	else if (any_running(vm))
		err = -KCORE_EBUSY; /* every vCPU of a VM sees one offset */
	else
		vm->cntvoff = cntvoff;
	ticket_unlock(&kc.vm_lock);
	return err;
}
