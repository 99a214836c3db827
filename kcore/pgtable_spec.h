/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal ACSL contracts of the pgtable.c functions that the proved
 * mem_protect.c calls. Only Frama-C reads this header (__FRAMAC__,
 * scripts/prove.sh). pgtable.c is not proved against them yet: they are
 * assumptions (docs/verification.md), to be merged with (and replaced by)
 * the contracts of pgtable.h once pgtable.c is proved.
 */
#ifndef KCORE_PGTABLE_SPEC_H
#define KCORE_PGTABLE_SPEC_H

#include "palloc.h"
#include "pgtable.h"

/*@ axiomatic KcorePtPages {
      // q is a page that a page-table update may write: a table page, or a
      // page of the pool its tables come from. Nothing else is assumed of
      // it: callers state what such pages are separated from.
      predicate pt_page(integer q);
    }
 */

/* pt_unmap() changes only the pool of @pt (its record and its pages) and
 * table pages, and fails only with -EINVAL or -ENOMEM. */
/*@ requires \valid(pt) && \valid(pt->pool);
    assigns *pt->pool, { link(q)[k] | integer q, k; pt_page(q) && 0 <= k < PAGE_SIZE / 8 };
    ensures \result == 0 || \result == -KCORE_EINVAL || \result == -KCORE_ENOMEM;
 */
int pt_unmap(struct pgtable *pt, u64 ia, u64 size);

#endif /* KCORE_PGTABLE_SPEC_H */
