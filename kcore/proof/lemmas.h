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

  // Each page of a range that mp_check_kserv() found free, by address (so
  // that a caller need not find the index of a page).
  lemma kserv_free_at{L}:
    \forall struct frames *f, integer p, n, q;
      all_kserv_free(f, p, n) && p % PAGE_SIZE == 0 && q % PAGE_SIZE == 0 && p <= q < p + n * PAGE_SIZE ==>
	kserv_free(f, p + (q - p) / PAGE_SIZE * PAGE_SIZE) && q == p + (q - p) / PAGE_SIZE * PAGE_SIZE;
 */

#endif /* KCORE_PROOF_LEMMAS_H */
