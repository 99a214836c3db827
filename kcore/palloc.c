// SPDX-License-Identifier: GPL-2.0
/* The page pool for page tables and KCore metadata. The contracts are in
 * palloc.h. */
#include "palloc.h"
#include "arch.h"
#include "lib.h"
#include "log.h"

/* Steps at every pool_init() and pool_add(): the state pool_owns reads
 * (palloc.h). It wraps after 2^64 steps, more than a run can make. */
/*@ ghost u64 pool_epoch; */

void pool_init(struct page_pool *p)
{
	p->lock = (ticket_lock_t)TICKET_LOCK_INIT;
	p->free_head = 0;
	p->nfree = 0;
	p->ntotal = 0;
	/*@ ghost pool_epoch = pool_epoch == UINT64_MAX ? 0 : pool_epoch + 1; */
}

/* The first word of free page @page: the PA of the next free page, or 0. */
/*@ assigns \nothing;
    ensures \result == link(page.v);
 */
static u64 *free_link(paddr_t page)
{
	return arch_pa_to_va(page);
}

/*@ requires pool_ok(p) && pool_page(p, page.v);
    assigns p->free_head, p->nfree, *link(page.v);
    ensures pool_ok(p);
    ensures p->free_head == page.v && *link(page.v) == \old(p->free_head);
    ensures p->nfree == \old(p->nfree) + 1;
 */
static void push_locked(struct page_pool *p, paddr_t page)
{
	/* More free pages than u64 can count would be a page freed twice. */
	KC_CHECK(page.v != 0 && page_aligned(page.v) && p->nfree < UINT64_MAX);
	*free_link(page) = p->free_head;
	p->free_head = page.v;
	p->nfree++;
}

/*@ requires pool_ok(p);
    assigns p->free_head, p->nfree;
    ensures pool_ok(p);
    ensures \result.v == \old(p->free_head);
    ensures \result.v == 0 ==> p->free_head == 0 && p->nfree == \old(p->nfree);
    ensures \result.v != 0 ==> p->free_head == \old(*link(p->free_head)) && p->nfree == \old(p->nfree) - 1;
 */
static paddr_t pop_locked(struct page_pool *p)
{
	paddr_t page = pa(p->free_head);
	u64 next;

	if (!page.v)
		return page;
	next = *free_link(page);
	/* The free list is well formed: the next page is a free page too, or
	 * the end, and nfree counts the list. Assumed, not proved: see
	 * docs/verification.md. */
	/*@ admit next == 0 || (pool_page(p, next) && p->nfree >= 2); */
	p->free_head = next;
	p->nfree--;
	return page;
}

void pool_add(struct page_pool *p, paddr_t base, u64 npages)
{
	u64 i;

	ticket_lock(&p->lock);
	/*@ loop invariant 0 <= i <= npages;
	    loop invariant pool_ok(p);
	    loop invariant p->nfree == \at(p->nfree, Pre) + (npages - i);
	    loop invariant p->ntotal == \at(p->ntotal, Pre);
	    loop invariant i == npages ==> p->free_head == \at(p->free_head, Pre);
	    loop invariant i < npages ==> p->free_head == base.v + i * PAGE_SIZE;
	    loop assigns i, p->free_head, p->nfree, { *link(q) | integer q; in_pages(q, base.v, npages) };
	    loop variant i;
	 */
	for (i = npages; i > 0; i--)
		push_locked(p, pa(base.v + (i - 1) * PAGE_SIZE));
	p->ntotal += npages;
	/*@ ghost pool_epoch = pool_epoch == UINT64_MAX ? 0 : pool_epoch + 1; */
	ticket_unlock(&p->lock);
}

bool pool_can_take(const struct page_pool *p, paddr_t base, u64 npages)
{
	return base.v && npages <= UINT64_MAX - p->nfree && npages <= UINT64_MAX - p->ntotal;
}

paddr_t pool_alloc(struct page_pool *p)
{
	paddr_t page;

	ticket_lock(&p->lock);
	page = pop_locked(p);
	ticket_unlock(&p->lock);
	if (page.v)
		kc_memset(arch_pa_to_va(page), 0, PAGE_SIZE);
	return page;
}

void pool_free(struct page_pool *p, paddr_t page)
{
	ticket_lock(&p->lock);
	push_locked(p, page);
	ticket_unlock(&p->lock);
}

u64 pool_nfree(struct page_pool *p)
{
	return load_relaxed(&p->nfree);
}
