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

struct page_pool {
	ticket_lock_t lock;
	u64 free_head; /* PA of the first free page, 0 when empty */
	u64 nfree;
	u64 ntotal;
};

void pool_init(struct page_pool *p);
/* Give [base, base + npages pages) to the pool. */
void pool_add(struct page_pool *p, paddr_t base, u64 npages);
/* A zeroed page, or pa(0) when the pool is empty. */
paddr_t pool_alloc(struct page_pool *p);
void pool_free(struct page_pool *p, paddr_t page);
u64 pool_nfree(struct page_pool *p);

#endif /* KCORE_PALLOC_H */
