// SPDX-License-Identifier: GPL-2.0
/* Sizing and placing KCore's carve-out. */
#include "layout.h"
#include "owner.h"

void carveout_plan(struct carveout_plan *c, u64 image_size, u64 nframes, u32 ncpus, u64 percpu_bytes)
{
	u64 gib = (nframes << PAGE_SHIFT) >> 30;
	u64 used, min_pool = (1UL << 20) + (gib + 1) * (16UL << 10);

	c->image_size = ALIGN_UP(image_size, PAGE_SIZE);
	c->frames_size = ALIGN_UP(nframes * sizeof(struct frame), PAGE_SIZE);
	c->percpu_size = ALIGN_UP(ncpus * percpu_bytes, PAGE_SIZE) + (u64)ncpus * KCORE_STACK_SIZE;
	used = c->image_size + c->frames_size + c->percpu_size;
	c->total = ALIGN_UP(used + min_pool, CARVEOUT_ALIGN);
	c->pool_size = c->total - used;
}

/* An avoided range overlapping [base, base + size), or NULL. */
static const struct range *first_clash(const struct range *avoid, u32 navoid, u64 base, u64 size)
{
	u32 i;

	for (i = 0; i < navoid; i++)
		if (ranges_overlap(base, size, avoid[i].base, avoid[i].size))
			return &avoid[i];
	return NULL;
}

static u64 place_in_bank(const struct range *bank, const struct range *avoid, u32 navoid, u64 size, u64 align)
{
	u64 cand;
	const struct range *clash;

	if (bank->size < size)
		return 0;
	cand = ALIGN_DOWN(range_end(bank) - size, align);
	while (cand >= bank->base && cand != 0) {
		clash = first_clash(avoid, navoid, cand, size);
		if (!clash)
			return cand;
		if (clash->base < size)
			return 0;
		cand = ALIGN_DOWN(clash->base - size, align);
	}
	return 0;
}

u64 carveout_place(const struct range *mem, u32 nmem, const struct range *avoid, u32 navoid, u64 size, u64 align)
{
	u32 i;

	if (!size || !align || (align & (align - 1)))
		return 0;
	for (i = nmem; i > 0; i--) {
		u64 base = place_in_bank(&mem[i - 1], avoid, navoid, size, align);

		if (base)
			return base;
	}
	return 0;
}
