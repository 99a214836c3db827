// SPDX-License-Identifier: GPL-2.0
/* Physical frame ownership records. */
#include "owner.h"
#include <kcore/abi.h>

u64 frames_count(const struct range *banks, u32 nbanks)
{
	u64 n = 0;
	u32 i;

	for (i = 0; i < nbanks; i++)
		n += banks[i].size >> PAGE_SHIFT;
	return n;
}

int frames_init(struct frames *f, const struct range *banks, u32 nbanks, struct frame *rec)
{
	u32 i;

	if (nbanks == 0 || nbanks > FRAMES_MAX_BANKS)
		return -KCORE_EINVAL;
	f->lock = (ticket_lock_t)TICKET_LOCK_INIT;
	f->nbanks = nbanks;
	f->nframes = 0;
	f->rec = rec;
	for (i = 0; i < nbanks; i++) {
		if (!IS_ALIGNED(banks[i].base, PAGE_SIZE) || !IS_ALIGNED(banks[i].size, PAGE_SIZE))
			return -KCORE_EINVAL;
		f->bank[i] = banks[i];
		f->first[i] = f->nframes;
		f->nframes += banks[i].size >> PAGE_SHIFT;
	}
	return 0;
}

/* The record of the frame holding @p, or NULL when @p is not RAM. */
static struct frame *frame_of(const struct frames *f, u64 p)
{
	u32 i;

	for (i = 0; i < f->nbanks; i++)
		if (p >= f->bank[i].base && p - f->bank[i].base < f->bank[i].size)
			return &f->rec[f->first[i] + ((p - f->bank[i].base) >> PAGE_SHIFT)];
	return NULL;
}

struct frame *frames_get(struct frames *f, paddr_t p)
{
	return frame_of(f, p.v);
}

void frames_for_each_owned(struct frames *f, u16 a, u16 b, void (*fn)(paddr_t p, struct frame *fr))
{
	u32 i;
	u64 j;

	for (i = 0; i < f->nbanks; i++)
		for (j = 0; j < f->bank[i].size >> PAGE_SHIFT; j++) {
			struct frame *fr = &f->rec[f->first[i] + j];

			if (fr->owner == a || fr->owner == b)
				fn(pa(f->bank[i].base + (j << PAGE_SHIFT)), fr);
		}
}

u16 frames_owner(struct frames *f, paddr_t p)
{
	struct frame *fr = frame_of(f, p.v);

	return fr ? __atomic_load_n(&fr->owner, __ATOMIC_RELAXED) : (u16)OWNER_NOT_RAM;
}

static bool all_ram(const struct frames *f, u64 base, u64 size)
{
	u32 i;

	for (i = 0; i < f->nbanks; i++)
		if (range_within(base, size, f->bank[i].base, f->bank[i].size))
			return true;
	return false;
}

int frames_set_owner(struct frames *f, paddr_t base, u64 size, u16 owner)
{
	u64 off;

	if (!IS_ALIGNED(base.v, PAGE_SIZE) || !IS_ALIGNED(size, PAGE_SIZE) || !all_ram(f, base.v, size))
		return -KCORE_EINVAL;
	ticket_lock(&f->lock);
	for (off = 0; off < size; off += PAGE_SIZE)
		frame_of(f, base.v + off)->owner = owner;
	ticket_unlock(&f->lock);
	return 0;
}

bool frames_all_owned(struct frames *f, paddr_t base, u64 size, u16 owner)
{
	u64 off;

	if (!all_ram(f, base.v, size))
		return false;
	for (off = 0; off < size; off += PAGE_SIZE)
		if (__atomic_load_n(&frame_of(f, base.v + off)->owner, __ATOMIC_RELAXED) != owner)
			return false;
	return true;
}

bool frames_any_ram(const struct frames *f, u64 base, u64 size)
{
	u32 i;

	for (i = 0; i < f->nbanks; i++)
		if (ranges_overlap(base, size, f->bank[i].base, f->bank[i].size))
			return true;
	return false;
}

u64 frames_count_owned(struct frames *f, u16 owner)
{
	u64 i, n = 0;

	ticket_lock(&f->lock);
	for (i = 0; i < f->nframes; i++)
		n += f->rec[i].owner == owner;
	ticket_unlock(&f->lock);
	return n;
}
