/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ownership transitions between KServ and KCore or a VM, in two steps:
 * a check that can fail and changes nothing, then a "do" that cannot fail.
 * Both run under the frame records' lock (kc.frames.lock), taken by the
 * caller around the pair.
 */
#ifndef KCORE_MEM_PROTECT_H
#define KCORE_MEM_PROTECT_H

#include "kcore.h"
#include "lib.h"
#include "owner.h"
#include "types.h"
#include "vm_ids.h"
#ifdef __FRAMAC__
#include "arch_spec.h"

/* What an update of KServ's stage-2 may write (pgtable.h). */
#define HOST_PT_FOOTPRINT kc.pool.lock, kc.pool.free_head, kc.pool.nfree, PT_WORDS(&kc.pool), PT_GHOST_STATE

/*
 * Proof steps for a function that writes no frame record (host_map(),
 * host_unmap()), to be asserted in this order after its last write:
 *   HOST_PT_APART, FRAMES_KEPT_FIELDS, FRAMES_KEPT_SHAPE,
 *   frames_shape(&kc.frames), FRAMES_KEPT_LOOKUP.
 * HOST_PT_APART: what the table update wrote is in its pool's pages, apart
 * from kc (host_pt_ok, restated through kc.host.pt.pool, the pool the
 * callee's assigns clause names).
 * They lead the provers from "the fields are those of Pre" to frames_ok and
 * frames_same{Pre, Here}; one general lemma saying so is beyond them (it
 * needs a witness bank no goal names), and without the steps the goals time
 * out. (ACSL, not C: clang-format would split its operators.)
 */
/* clang-format off */
#define HOST_PT_APART \
	\forall integer q, k; pool_owns(kc.host.pt.pool, q) ==> \base_addr(tbl(q) + k) != \base_addr(&kc)
#define FRAMES_KEPT_FIELDS \
	kc.frames.nbanks == \at(kc.frames.nbanks, Pre) && kc.frames.nframes == \at(kc.frames.nframes, Pre) && \
	kc.frames.rec == \at(kc.frames.rec, Pre) && \
	(\forall integer j; 0 <= j < FRAMES_MAX_BANKS ==> \
		kc.frames.bank[j].base == \at(kc.frames.bank[j].base, Pre) && \
		kc.frames.bank[j].size == \at(kc.frames.bank[j].size, Pre) && \
		kc.frames.first[j] == \at(kc.frames.first[j], Pre))
/* The five parts of frames_shape (owner.h), each from FRAMES_KEPT_FIELDS. */
#define FRAMES_KEPT_SHAPE \
	1 <= kc.frames.nbanks <= FRAMES_MAX_BANKS && \
	(\forall integer i; 0 <= i < kc.frames.nbanks ==> bank_ok(&kc.frames.bank[i])) && \
	(\forall integer i, j; 0 <= i < j < kc.frames.nbanks ==> \
		kc.frames.bank[i].base + kc.frames.bank[i].size <= kc.frames.bank[j].base) && \
	(\forall integer i; 0 <= i < kc.frames.nbanks ==> \
		kc.frames.first[i] + kc.frames.bank[i].size / PAGE_SIZE <= kc.frames.nframes) && \
	(\forall integer i, j; 0 <= i < j < kc.frames.nbanks ==> \
		kc.frames.first[i] + kc.frames.bank[i].size / PAGE_SIZE <= kc.frames.first[j])
/* Each page's bank and record are those of Pre. */
#define FRAMES_KEPT_LOOKUP \
	(\forall integer j, q; in_bank(&kc.frames, j, q) <==> \at(in_bank(&kc.frames, j, q), Pre)) && \
	(\forall integer j, q; 0 <= j < FRAMES_MAX_BANKS ==> \
		frame_in(&kc.frames, j, q) == \at(frame_in(&kc.frames, j, q), Pre))
/* clang-format on */
#endif

/* Pool pages that unmapping one range from KServ's stage-2 may need: a
 * 1 GiB and a 2 MiB block split at each end. */
#define HOST_S2_UNMAP_RESERVE 4

/* The most pages one transition moves (2^36: 256 TiB). */
#define MP_MAX_PAGES (1UL << 36)

/*
 * The specification the proofs use (scripts/prove.sh, docs/verification.md),
 * over the records kc.frames.
 */
/*@
  // Bank i of f holds q and q's record says KServ owns it.
  predicate kserv_ram_in{L}(struct frames *f, integer i, integer q) =
    in_bank(f, i, q) && frame_in(f, i, q)->owner == OWNER_KSERV;

  // q is RAM that KServ owns.
  predicate kserv_ram{L}(struct frames *f, integer q) = \exists integer i; kserv_ram_in(f, i, q);

  // q is RAM that KServ owns, neither shared nor pinned: it may change owner.
  predicate kserv_free{L}(struct frames *f, integer q) =
    \exists integer i; kserv_ram_in(f, i, q) &&
      frame_in(f, i, q)->share_count == 0 && frame_in(f, i, q)->pin_count == 0;

  // The first n pages from p are all kserv_free.
  predicate all_kserv_free{L}(struct frames *f, integer p, integer n) =
    \forall integer k; 0 <= k < n ==> kserv_free(f, p + k * PAGE_SIZE);

  // Arguments mp_check_kserv() accepts: 1 .. MP_MAX_PAGES pages, page aligned.
  predicate mp_args_ok(integer p, integer n) = 1 <= n <= MP_MAX_PAGES && p % PAGE_SIZE == 0;

  // KServ's stage-2 is a usable table (pgtable.h) on KCore's pool, no
  // break-before-make step is under way, and the pool's pages are apart
  // from KCore's global record and from the frame records (other objects:
  // both are carved out of memory KServ never gets, in disjoint parts).
  predicate host_pt_ok{L} =
    pt_ok(&kc.host.pt) && kc.host.pt.pool == &kc.pool &&
    bbm_pending == 0 && pte_unpublished == 0 &&
    \forall integer q; pool_owns(&kc.pool, q) ==>
      \base_addr(tbl(q)) != \base_addr(&kc) && \base_addr(tbl(q)) != \base_addr(kc.frames.rec);

  // The layout of the frame records is the same in states L1 and L2: the
  // banks and the record of each page of RAM (an ownership transition
  // keeps it).
  predicate frames_layout_same{L1, L2} =
    \at(kc.frames.nbanks, L1) == \at(kc.frames.nbanks, L2) &&
    \at(kc.frames.nframes, L1) == \at(kc.frames.nframes, L2) && \at(kc.frames.rec, L1) == \at(kc.frames.rec, L2) &&
    (\forall integer j; 0 <= j < FRAMES_MAX_BANKS ==>
       \at(kc.frames.bank[j].base, L1) == \at(kc.frames.bank[j].base, L2) &&
       \at(kc.frames.bank[j].size, L1) == \at(kc.frames.bank[j].size, L2) &&
       \at(kc.frames.first[j], L1) == \at(kc.frames.first[j], L2)) &&
    (\forall integer j, q; \at(in_bank(&kc.frames, j, q), L1) <==> \at(in_bank(&kc.frames, j, q), L2)) &&
    (\forall integer j, q; 0 <= j < FRAMES_MAX_BANKS ==>
       \at(frame_in(&kc.frames, j, q), L1) == \at(frame_in(&kc.frames, j, q), L2));

  // The frame records are the same in states L1 and L2: their layout, and
  // each record's owner (a stage-2 update keeps them: host_map(),
  // host_unmap()).
  predicate frames_same{L1, L2} =
    frames_layout_same{L1, L2} &&
    (\forall integer r; 0 <= r < \at(kc.frames.nframes, L1) ==>
       \at(kc.frames.rec[r].owner, L1) == \at(kc.frames.rec[r].owner, L2));

  // The global invariants (docs/verification.md), over the records and
  // what the stage-2 tables translate (pgtable.h's pt_maps), at page
  // granularity.

  // q is RAM and its record names owner o.
  predicate owned_by{L}(integer q, integer o) =
    \exists integer i; in_bank(&kc.frames, i, q) && frame_in(&kc.frames, i, q)->owner == o;

  // Owners that are KCore: KCore itself and each VM's metadata.
  predicate kcore_owner(integer o) = o == OWNER_KCORE || OWNER_META_FIRST <= o < OWNER_META_FIRST + KCORE_MAX_VMS;

  // (1) Every frame has exactly one owner: every frame of RAM has exactly
  // one record (frames_ok), which names one owner (owner_unique below).
  predicate inv_one_owner{L} = frames_ok(&kc.frames);

  // (2) for VM h: if it is alive, its stage-2 maps only frames it owns
  // (nothing is shared with a VM: the ABI has no call for it).
  // (its pages are page aligned: pt_maps alone does not say so).
  predicate inv_vm_maps{L}(integer h) =
    kc.vms[h] != \null ==>
      \forall integer ia, q; ia % PAGE_SIZE == 0 && pt_maps(&kc.vms[h]->s2, ia, q) ==>
	q % PAGE_SIZE == 0 && owned_by(q, OWNER_VM_FIRST + h);
  // (2) for every VM, stated inside the quantifier (see vms_ok).
  predicate inv_vms_maps{L} =
    \forall integer h, ia, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && ia % PAGE_SIZE == 0 &&
      pt_maps(&kc.vms[h]->s2, ia, q) ==> q % PAGE_SIZE == 0 && owned_by(q, OWNER_VM_FIRST + h);

  // (3) KServ's stage-2 maps a page only to itself, and only a frame KServ
  // owns or an address that is not RAM.
  predicate inv_kserv_maps{L} =
    \forall integer ia, q; ia % PAGE_SIZE == 0 && pt_maps(&kc.host.pt, ia, q) ==>
      q == ia && (owned_by(q, OWNER_KSERV) || not_ram(&kc.frames, q));

  // Well-formed state the invariants' proofs rely on. KCore's pool holds
  // only frames KCore owns.
  predicate kc_pool_kcore{L} = \forall integer q; pool_owns(&kc.pool, q) ==> owned_by(q, OWNER_KCORE);

  // The VM table, and every live VM h: a valid record in a block apart
  // from kc, from the frame records and from the pages of KCore's pool;
  // its stage-2 a usable table on the record's pool, whose pages are not
  // KCore's pool's and lie apart from kc and the frame records. Two live
  // VMs: each record apart from the other's record and pool pages, and no
  // page in both pools. ("Apart": in another block, which the provers use
  // more easily than \separated. Stated per VM inside the quantifiers, not
  // through a predicate of h, so that the provers find the instances.)
  predicate vms_ok{L} =
    vm_table(&kc.vms[0]) &&
    (\forall integer h; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==>
       \valid(kc.vms[h]) && \base_addr(kc.vms[h]) != \base_addr(&kc) &&
       \base_addr(kc.vms[h]) != \base_addr(kc.frames.rec) &&
       pt_ok(&kc.vms[h]->s2) && kc.vms[h]->s2.pool == &kc.vms[h]->pool) &&
    (\forall integer h, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && pool_owns(&kc.pool, q) ==>
       \base_addr(kva_words(q)) != \base_addr(kc.vms[h])) &&
    (\forall integer h, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && pool_owns(&kc.vms[h]->pool, q) ==>
       !pool_owns(&kc.pool, q) && \base_addr(kva_words(q)) != \base_addr(&kc) &&
       \base_addr(kva_words(q)) != \base_addr(kc.frames.rec)) &&
    (\forall integer h1, h2; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
       kc.vms[h1] != \null && kc.vms[h2] != \null ==> \base_addr(kc.vms[h1]) != \base_addr(kc.vms[h2])) &&
    (\forall integer h1, h2, q; 0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 &&
       kc.vms[h1] != \null && kc.vms[h2] != \null && pool_owns(&kc.vms[h2]->pool, q) ==>
	 !pool_owns(&kc.vms[h1]->pool, q) && \base_addr(kva_words(q)) != \base_addr(kc.vms[h1]));

  // (4) KCore's frames are mapped in no stage-2.
  predicate inv_kcore_unmapped{L} =
    \forall integer q, o; owned_by(q, o) && kcore_owner(o) ==>
      (\forall integer ia; ia % PAGE_SIZE == 0 ==> !pt_maps(&kc.host.pt, ia, q)) &&
      \forall integer h, ia; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null && ia % PAGE_SIZE == 0 ==>
	!pt_maps(&kc.vms[h]->s2, ia, q);

  // (5), a property of a step from L1 to L2: a page whose frame KServ gets
  // is zero.
  predicate inv_zero_returned{L1, L2} =
    \forall integer q; q % PAGE_SIZE == 0 && !owned_by{L1}(q, OWNER_KSERV) && owned_by{L2}(q, OWNER_KSERV) ==>
      \forall integer k; 0 <= k < PAGE_SIZE / 8 ==> \at(link(q)[k], L2) == 0;

  // (6) No two VMs map the same frame.
  predicate inv_private{L} =
    \forall integer h1, h2, ia1, ia2, q;
      0 <= h1 < KCORE_MAX_VMS && 0 <= h2 < KCORE_MAX_VMS && h1 != h2 && kc.vms[h1] != \null && kc.vms[h2] != \null &&
      ia1 % PAGE_SIZE == 0 && ia2 % PAGE_SIZE == 0 && pt_maps(&kc.vms[h1]->s2, ia1, q) ==>
	!pt_maps(&kc.vms[h2]->s2, ia2, q);

  // The page after a page below a page-aligned end is still below it (or at
  // it): a page-by-page walk through RAM does not wrap around.
  lemma next_page_below:
    \forall integer a, e; a < e && a % PAGE_SIZE == 0 && e % PAGE_SIZE == 0 ==> a + PAGE_SIZE <= e;
 */

/* 0 if [p, p + npages pages) is RAM that KServ owns, with no shares or
 * pins, and KServ's stage-2 can be unmapped there; else -EINVAL (bad
 * arguments), -EACCES (a page is not RAM or not KServ's), -EBUSY (a page is
 * shared or pinned) or -ENOMEM (the pool lacks the unmap reserve). */
/*@ requires frames_ok(&kc.frames);
    assigns \nothing;
    ensures \result == 0 || \result == -KCORE_EINVAL || \result == -KCORE_EACCES ||
	    \result == -KCORE_EBUSY || \result == -KCORE_ENOMEM;
    ensures \result == -KCORE_EINVAL <==> !mp_args_ok(p.v, npages);
    ensures \result == 0 ==> mp_args_ok(p.v, npages) && all_kserv_free(&kc.frames, p.v, npages) &&
			     kc.pool.nfree >= HOST_S2_UNMAP_RESERVE;
    ensures \result == -KCORE_EACCES ==> mp_args_ok(p.v, npages) &&
	      \exists integer k; 0 <= k < npages && !kserv_ram(&kc.frames, p.v + k * PAGE_SIZE);
    ensures \result == -KCORE_EBUSY ==> mp_args_ok(p.v, npages) &&
	      \exists integer k; 0 <= k < npages && kserv_ram(&kc.frames, p.v + k * PAGE_SIZE) &&
		!kserv_free(&kc.frames, p.v + k * PAGE_SIZE);
    ensures \result == -KCORE_ENOMEM ==> mp_args_ok(p.v, npages) && all_kserv_free(&kc.frames, p.v, npages) &&
	      kc.pool.nfree < HOST_S2_UNMAP_RESERVE;
    behavior ok:
      assumes mp_args_ok(p.v, npages) && all_kserv_free(&kc.frames, p.v, npages);
      assumes kc.pool.nfree >= HOST_S2_UNMAP_RESERVE;
      ensures \result == 0;
 */
int mp_check_kserv(paddr_t p, u64 npages);

/* Give [p, p + npages pages) to @owner: the records change, KServ's stage-2
 * loses the pages (with their TLB entries), and their cache lines are
 * cleaned to the point of coherency. Only after mp_check_kserv() passed.
 * Only the owner fields of those pages' records change among the records. */
/*@ requires frames_ok(&kc.frames);
    requires 1 <= npages <= MP_MAX_PAGES && p.v % PAGE_SIZE == 0;
    requires all_kserv_free(&kc.frames, p.v, npages);
    requires host_pt_ok && inv_kserv_maps;
    assigns HOST_PT_FOOTPRINT;
    assigns { frame_in(&kc.frames, i, p.v + k * PAGE_SIZE)->owner |
	      integer i, k; 0 <= k < npages && in_bank(&kc.frames, i, p.v + k * PAGE_SIZE) };
    ensures frames_ok(&kc.frames) && host_pt_ok && inv_kserv_maps && frames_layout_same{Pre, Post};
    ensures \forall integer q, o; q % PAGE_SIZE == 0 && !(p.v <= q < p.v + npages * PAGE_SIZE) ==>
	      (owned_by(q, o) <==> \old(owned_by(q, o)));
    ensures \forall integer q, i; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE &&
	      in_bank(&kc.frames, i, q) ==> frame_in(&kc.frames, i, q)->owner == owner;
 */
void mp_take_from_kserv(paddr_t p, u64 npages, u16 owner);

/* Zero the frame at @p, clean it to the point of coherency (so that no
 * cacheable or non-cacheable view sees old data), and give it to KServ. Its
 * stage-2 mapping comes back on KServ's next access. @fr is its record. */
/*@ requires frames_ok(&kc.frames);
    requires \exists integer i; in_bank(&kc.frames, i, p.v) && fr == frame_in(&kc.frames, i, p.v);
    requires p.v % PAGE_SIZE == 0 && word_aligned(kva(p.v));
    requires \valid(link(p.v) + (0 .. PAGE_SIZE / 8 - 1));
    requires \base_addr(link(p.v)) != \base_addr(&kc);
    requires \separated(link(p.v) + (0 .. PAGE_SIZE / 8 - 1), kc.frames.rec + (0 .. kc.frames.nframes - 1));
    requires host_pt_ok && inv_kserv_maps;
    requires !pool_owns(&kc.pool, p.v);
    assigns link(p.v)[0 .. PAGE_SIZE / 8 - 1], fr->owner, fr->share_count, fr->pin_count;
    ensures frames_ok(&kc.frames);
    ensures host_pt_ok && inv_kserv_maps && inv_zero_returned{Pre, Post};
    ensures \forall integer q, o; q % PAGE_SIZE == 0 && q != p.v ==> (owned_by(q, o) <==> \old(owned_by(q, o)));
    ensures \forall integer k; 0 <= k < PAGE_SIZE / 8 ==> link(p.v)[k] == 0;
    ensures fr->owner == OWNER_KSERV && fr->share_count == 0 && fr->pin_count == 0;
    ensures \forall integer i; in_bank(&kc.frames, i, p.v) ==> frame_in(&kc.frames, i, p.v)->owner == OWNER_KSERV;
 */
void mp_give_to_kserv(paddr_t p, struct frame *fr);

#endif /* KCORE_MEM_PROTECT_H */
