// SPDX-License-Identifier: GPL-2.0
/* The page pool for page tables and KCore metadata. */
#include "palloc.h"
#include "arch.h"
#include "lib.h"
#include "log.h"

void pool_init(struct page_pool *p)
{
	p->lock = (ticket_lock_t)TICKET_LOCK_INIT;
	p->free_head = 0;
	p->nfree = 0;
	p->ntotal = 0;
}

static void push_locked(struct page_pool *p, paddr_t page)
{
	u64 *link = arch_pa_to_va(page);

	KC_CHECK(page.v != 0 && IS_ALIGNED(page.v, PAGE_SIZE));
	*link = p->free_head;
	p->free_head = page.v;
	p->nfree++;
}

void pool_add(struct page_pool *p, paddr_t base, u64 npages)
{
	u64 i;

	ticket_lock(&p->lock);
	for (i = npages; i > 0; i--)
		push_locked(p, pa(base.v + (i - 1) * PAGE_SIZE));
	p->ntotal += npages;
	ticket_unlock(&p->lock);
}

paddr_t pool_alloc(struct page_pool *p)
{
	paddr_t page = pa(0);

	ticket_lock(&p->lock);
	if (p->free_head) {
		page = pa(p->free_head);
		p->free_head = *(u64 *)arch_pa_to_va(page);
		p->nfree--;
	}
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
	return __atomic_load_n(&p->nfree, __ATOMIC_RELAXED);
}
