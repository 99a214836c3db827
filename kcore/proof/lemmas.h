/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Proof only (scripts/prove.sh): lemmas about the frame records for the
 * files whose proofs need them (invariants.c, vm.c, vm_mem.c). Not in
 * mem_protect.h, so that they are not hypotheses of every goal of every
 * file that includes that.
 */
#ifndef KCORE_PROOF_LEMMAS_H
#define KCORE_PROOF_LEMMAS_H

#include "../mem_protect.h"

/*@
  // The banks are disjoint and each page of one has one record: one owner.
  lemma owner_unique{L}:
    \forall integer q, o1, o2; frames_ok(&kc.frames) && owned_by(q, o1) && owned_by(q, o2) ==> o1 == o2;

  // A proof step of kserv_free_at, stated only for its proof in
  // invariants.c (as a hypothesis of the VM files' goals it would be one more
  // lemma for the provers to try there).
#ifdef KCORE_LEMMA_STEPS
  lemma page_of_offset:
    \forall integer p, q, n; p % PAGE_SIZE == 0 && q % PAGE_SIZE == 0 && p <= q < p + n * PAGE_SIZE ==>
      q == p + (q - p) / PAGE_SIZE * PAGE_SIZE && 0 <= (q - p) / PAGE_SIZE < n;
#endif

  // Steps of reclaim_locked()'s loop, for vm_mem.c only (whose lemma run
  // proves them): as hypotheses of invariants.c's goals they made
  // kserv_free_at time out.
#ifdef KCORE_RECLAIM_LEMMAS
  // frame_at() reads only rec and first[i].
  lemma frame_at_same{L1, L2}:
    \forall struct frames *f, integer i, k;
      \at(f->rec, L1) == \at(f->rec, L2) && \at(f->first[i], L1) == \at(f->first[i], L2) ==>
	frame_at{L1}(f, i, k) == frame_at{L2}(f, i, k);

  // One record's owner is apart from every record's counts.
  lemma frame_at_fields_apart{L}:
    \forall struct frames *f, integer i, k, i2, k2;
      \separated(&frame_at(f, i, k)->owner, &frame_at(f, i2, k2)->share_count) &&
      \separated(&frame_at(f, i, k)->owner, &frame_at(f, i2, k2)->pin_count);

  // none_owned from the first page, from what it says of each page before
  // page k1 of bank i1 (reclaim_locked()'s loop).
  lemma none_owned_from_start{L}:
    \forall struct frames *f, integer a, b, i1, k1;
      (\forall integer i, k; 0 <= i < f->nbanks && 0 <= k < f->bank[i].size / PAGE_SIZE &&
	 !at_or_after(i1, k1, i, k) ==> frame_at(f, i, k)->owner != a && frame_at(f, i, k)->owner != b) ==>
      none_owned(f, a, b, 0, 0, i1, k1);
#endif

  // Each page of a range that mp_check_kserv() found free, by address (so
  // that a caller need not find the index of a page).
  lemma kserv_free_at{L}:
    \forall struct frames *f, integer p, n, q;
      all_kserv_free(f, p, n) && p % PAGE_SIZE == 0 && q % PAGE_SIZE == 0 && p <= q < p + n * PAGE_SIZE ==>
	kserv_free(f, p + (q - p) / PAGE_SIZE * PAGE_SIZE) && q == p + (q - p) / PAGE_SIZE * PAGE_SIZE;
 */

#endif /* KCORE_PROOF_LEMMAS_H */
