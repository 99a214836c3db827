/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page pool: 4 KiB pages of KCore's own memory for page tables and
 * metadata. A free list threaded through the free pages; pages come out
 * zeroed.
 */
#ifndef KCORE_PALLOC_H
#define KCORE_PALLOC_H

#include "spinlock.h"
#include "types.h"
#ifdef __FRAMAC__
#include "arch_spec.h"
#endif

struct page_pool {
	ticket_lock_t lock;
	u64 free_head; /* PA of the first free page, 0 when empty */
	u64 nfree;
	u64 ntotal;
};

/*
 * The specification the proofs use (scripts/prove.sh, docs/verification.md).
 * The free list itself is not modelled: a free page's first word holds the
 * next free page's PA, and that the list is well formed is assumed where a
 * page is taken (pop_locked(), palloc.c).
 */
/*@ ghost extern u64 pool_epoch; */

/*@
  axiomatic PoolPages {
    // Page q is one of pool's pages, free or in use: pool_add() gave it to
    // the pool after its last pool_init(). Left abstract; its meaning is
    // the trusted_ clauses of those two functions, the only ones that
    // change it (they step the ghost counter pool_epoch, so that
    // pool_owns is a function of the pool, the page and that counter's
    // value). The facts the proofs use about these pages are preconditions
    // (pgtable.h's pt_pages_apart) or the trusted admits in pgtable.c
    // (docs/verification.md).
    predicate pool_owns{L}(struct page_pool *pool, integer q) reads pool_epoch;
  }

  // The first word of page q as KCore maps it: a free page's link.
  logic u64 *link(integer q) = kva_words(q);

  // q can be a page of pool p: non-zero, page aligned, mapped writable at
  // link(q) (an 8-byte aligned address), and not overlapping the pool's own
  // record.
  predicate pool_page{L}(struct page_pool *p, integer q) =
    q != 0 && q % PAGE_SIZE == 0 && (uintptr_t)kva(q) % 8 == 0 &&
    \valid(link(q) + (0 .. PAGE_SIZE / 8 - 1)) &&
    \separated(link(q) + (0 .. PAGE_SIZE / 8 - 1), p);

  // q is one of the n pages from base on.
  predicate in_pages(integer q, integer base, integer n) =
    base <= q < base + n * PAGE_SIZE && (q - base) % PAGE_SIZE == 0;

  // A usable pool: its first free page, if any, is a pool page, and the
  // count of free pages is not zero then.
  predicate pool_ok{L}(struct page_pool *p) =
    \valid(p) && (p->free_head != 0 ==> pool_page(p, p->free_head) && p->nfree >= 1);
 */

/*@ requires \valid(p);
    assigns *p, pool_epoch;
    ensures pool_ok(p);
    ensures p->free_head == 0 && p->nfree == 0 && p->ntotal == 0;
    ensures trusted_pool_init_owns: \forall integer q; !pool_owns(p, q);
    ensures trusted_pool_init_others: \forall struct page_pool *p2, integer q; p2 != p ==>
	      (pool_owns(p2, q) <==> \old(pool_owns(p2, q)));
 */
void pool_init(struct page_pool *p);

/* Give [base, base + npages pages) to the pool. */
/*@ requires pool_ok(p);
    requires npages * PAGE_SIZE <= UINT64_MAX - base.v;
    requires p->nfree + npages <= UINT64_MAX && p->ntotal + npages <= UINT64_MAX;
    requires \forall integer q; in_pages(q, base.v, npages) ==> pool_page(p, q);
    assigns p->lock, p->free_head, p->nfree, p->ntotal, pool_epoch;
    assigns { *link(q) | integer q; in_pages(q, base.v, npages) };
    ensures pool_ok(p);
    ensures trusted_pool_add_owns: \forall integer q;
	      pool_owns(p, q) <==> (\old(pool_owns(p, q)) || in_pages(q, base.v, npages));
    ensures trusted_pool_add_others: \forall struct page_pool *p2, integer q; p2 != p ==>
	      (pool_owns(p2, q) <==> \old(pool_owns(p2, q)));
    ensures p->nfree == \old(p->nfree) + npages && p->ntotal == \old(p->ntotal) + npages;
    ensures npages == 0 ==> p->free_head == \old(p->free_head);
    ensures npages != 0 ==> p->free_head == base.v;
 */
void pool_add(struct page_pool *p, paddr_t base, u64 npages);

/* Whether the pool can take the @npages pages from @base (part of
 * pool_add()'s precondition): not page 0, where a free list ends, and room
 * in its counts (always, on real memory sizes). */
/*@ requires \valid_read(p);
    assigns \nothing;
    ensures \result <==> base.v != 0 && p->nfree + npages <= UINT64_MAX && p->ntotal + npages <= UINT64_MAX;
 */
bool pool_can_take(const struct page_pool *p, paddr_t base, u64 npages);

/* A zeroed page, or pa(0) when the pool is empty. */
/*@ requires pool_ok(p);
    assigns p->lock, p->free_head, p->nfree, link(p->free_head)[0 .. (p->free_head == 0 ? -1 : PAGE_SIZE / 8 - 1)];
    ensures pool_ok(p);
    ensures p->ntotal == \old(p->ntotal);
    behavior empty:
      assumes p->free_head == 0;
      ensures \result.v == 0;
      ensures p->free_head == 0 && p->nfree == \old(p->nfree);
    behavior taken:
      assumes p->free_head != 0;
      ensures \result.v == \old(p->free_head);
      ensures p->free_head == \old(*link(p->free_head));
      ensures p->nfree == \old(p->nfree) - 1;
      ensures \forall integer k; 0 <= k < PAGE_SIZE / 8 ==> link(\result.v)[k] == 0;
    complete behaviors;
    disjoint behaviors;
 */
paddr_t pool_alloc(struct page_pool *p);

/* Give @page back to the pool. */
/*@ requires pool_ok(p) && pool_page(p, page.v);
    assigns p->lock, p->free_head, p->nfree, *link(page.v);
    ensures pool_ok(p);
    ensures p->free_head == page.v && *link(page.v) == \old(p->free_head);
    ensures p->nfree == \old(p->nfree) + 1 && p->ntotal == \old(p->ntotal);
 */
void pool_free(struct page_pool *p, paddr_t page);

/*@ requires \valid_read(p);
    assigns \nothing;
    ensures \result == p->nfree;
 */
u64 pool_nfree(struct page_pool *p);

#endif /* KCORE_PALLOC_H */
