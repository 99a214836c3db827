// SPDX-License-Identifier: GPL-2.0
/* Physical frame ownership records. The contracts are in owner.h. */
#include "owner.h"

u64 frames_count(const struct range *banks, u32 nbanks)
{
	u64 n = 0;
	u32 i;

	/*@ loop invariant 0 <= i <= nbanks;
	    loop invariant n == frames_total(banks, i);
	    loop invariant n <= i * (UINT64_MAX / PAGE_SIZE);
	    loop assigns i, n;
	    loop variant nbanks - i;
	 */
	for (i = 0; i < nbanks; i++)
		n += banks[i].size / PAGE_SIZE;
	return n;
}

/* A bank frames_init() accepts: whole pages, and its end is a u64 (so that
 * frames_any_ram() need not care about wrap-around). */
/*@ assigns \nothing;
    ensures \result <==> base % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && no_wrap(base, size);
 */
static bool bank_acceptable(u64 base, u64 size)
{
	return page_aligned(base) && page_aligned(size) && range_within(base, size, 0, UINT64_MAX);
}

/* Whole pages, sorted and disjoint: one record per frame of RAM. */
/*@ requires \valid_read(banks + (0 .. n - 1));
    assigns \nothing;
    ensures \result <==> banks_ok(banks, n);
 */
static bool banks_acceptable(const struct range *banks, u32 n)
{
	u32 i;

	/*@ loop invariant 0 <= i <= n;
	    loop invariant \forall integer j; 0 <= j < i ==> bank_ok(banks + j);
	    loop invariant \forall integer j, k; 0 <= j < k < i ==> banks[j].base + banks[j].size <= banks[k].base;
	    loop assigns i;
	    loop variant n - i;
	 */
	for (i = 0; i < n; i++) {
		if (!bank_acceptable(banks[i].base, banks[i].size))
			return false;
		if (i > 0 && range_end(&banks[i - 1]) > banks[i].base)
			return false;
	}
	return true;
}

/* Copy the banks and number their frames: each bank's records follow those
 * of the banks before it. */
/*@ requires \valid(f) && \valid_read(banks + (0 .. n - 1)) && \separated(f, banks + (0 .. n - 1));
    requires 1 <= n <= FRAMES_MAX_BANKS && banks_ok(banks, n);
    assigns f->bank[0 .. n - 1], f->first[0 .. n - 1], f->nbanks, f->nframes;
    ensures f->nbanks == n && f->nframes == \old(frames_total(banks, n));
    ensures \forall integer j; 0 <= j < n ==> bank_ok(&f->bank[j]);
    ensures \forall integer j, k; 0 <= j < k < n ==> f->bank[j].base + f->bank[j].size <= f->bank[k].base;
    ensures \forall integer j; 0 <= j < n ==> f->first[j] + f->bank[j].size / PAGE_SIZE <= f->nframes;
    ensures \forall integer j, k; 0 <= j < k < n ==> f->first[j] + f->bank[j].size / PAGE_SIZE <= f->first[k];
    ensures \forall integer j; 0 <= j < n ==>
	      f->bank[j].base == \old(banks[j].base) && f->bank[j].size == \old(banks[j].size);
 */
static void set_banks(struct frames *f, const struct range *banks, u32 n)
{
	u64 total = 0;
	u32 i;

	f->nbanks = n;
	f->nframes = 0;
	/*@ loop invariant 0 <= i <= n;
	    loop invariant f->nbanks == n && f->nframes == total;
	    loop invariant total == frames_total{Pre}(banks, i);
	    loop invariant total <= i * (UINT64_MAX / PAGE_SIZE);
	    loop invariant \forall integer j; 0 <= j < i ==>
			     f->bank[j].base == \at(banks[j].base, Pre) && f->bank[j].size == \at(banks[j].size, Pre);
	    loop invariant \forall integer j; 0 <= j < i ==> f->first[j] + f->bank[j].size / PAGE_SIZE <= total;
	    loop invariant \forall integer j, k; 0 <= j < k < i ==>
			     f->first[j] + f->bank[j].size / PAGE_SIZE <= f->first[k];
	    loop assigns i, total, f->bank[0 .. n - 1], f->first[0 .. n - 1], f->nframes;
	    loop variant n - i;
	 */
	for (i = 0; i < n; i++) {
		/*@ assert \let k = i;
		      banks[k].size == \at(banks[k].size, Pre) && banks[k].base == \at(banks[k].base, Pre); */
		f->bank[i].base = banks[i].base;
		f->bank[i].size = banks[i].size;
		f->first[i] = total;
		/*@ assert \forall integer j; 0 <= j < i ==>
		      f->first[j] + f->bank[j].size / PAGE_SIZE <= f->first[i]; */
		total += f->bank[i].size / PAGE_SIZE;
		f->nframes = total;
	}
	/*@ assert \forall integer j; 0 <= j < n ==> bank_ok(&f->bank[j]); */
	/*@ assert \forall integer j, k; 0 <= j < k < n ==> f->bank[j].base + f->bank[j].size <= f->bank[k].base; */
}

int frames_init(struct frames *f, const struct range *banks, u32 nbanks, struct frame *rec)
{
	if (nbanks == 0 || nbanks > FRAMES_MAX_BANKS || !banks_acceptable(banks, nbanks))
		return -KCORE_EINVAL;
	f->lock = (ticket_lock_t)TICKET_LOCK_INIT;
	f->rec = rec;
	set_banks(f, banks, nbanks);
	return 0;
}

/* The bank that holds @p, or f->nbanks when none does. */
/*@ requires frames_ok(f);
    assigns \nothing;
    ensures 0 <= \result <= f->nbanks;
    ensures \result < f->nbanks ==> in_bank(f, \result, p);
    ensures \result == f->nbanks ==> not_ram(f, p);
 */
static u32 bank_of(const struct frames *f, u64 p)
{
	u32 i;

	/*@ loop invariant 0 <= i <= f->nbanks;
	    loop invariant \forall integer j; 0 <= j < i ==> !in_bank(f, j, p);
	    loop assigns i;
	    loop variant f->nbanks - i;
	 */
	for (i = 0; i < f->nbanks; i++)
		if (p >= f->bank[i].base && p - f->bank[i].base < f->bank[i].size)
			break;
	return i;
}

/* The record of the frame holding @p, or NULL when @p is not RAM. */
/*@ requires frames_ok(f);
    assigns \nothing;
    ensures \result == \null <==> not_ram(f, p);
    ensures \forall integer i; in_bank(f, i, p) ==> \result == frame_in(f, i, p) && \valid(\result);
    ensures \result != \null ==> \exists integer k; 0 <= k < f->nframes && \result == f->rec + k;
 */
static struct frame *frame_of(const struct frames *f, u64 p)
{
	u32 i = bank_of(f, p);

	if (i == f->nbanks)
		return NULL;
	/*@ assert (p - f->bank[i].base) / PAGE_SIZE < f->bank[i].size / PAGE_SIZE; */
	return &f->rec[f->first[i] + (p - f->bank[i].base) / PAGE_SIZE];
}

struct frame *frames_get(struct frames *f, paddr_t p)
{
	return frame_of(f, p.v);
}

struct frame *frames_next_owned(struct frames *f, u16 a, u16 b, struct frames_cursor *c, paddr_t *p)
{
	u64 i = c->bank, k = c->page;

	/*@ loop invariant \at(c->bank, Pre) <= i <= f->nbanks;
	    loop invariant at_or_after(\at(c->bank, Pre), \at(c->page, Pre), i, k);
	    loop invariant none_owned(f, a, b, \at(c->bank, Pre), \at(c->page, Pre), i, k);
	    loop assigns i, k;
	    loop variant f->nbanks - i;
	 */
	for (; i < f->nbanks; i++, k = 0) {
		/*@ loop invariant at_or_after(\at(c->bank, Pre), \at(c->page, Pre), i, k);
		    loop invariant none_owned(f, a, b, \at(c->bank, Pre), \at(c->page, Pre), i, k);
		    loop assigns k;
		    loop variant f->bank[i].size / PAGE_SIZE - k;
		 */
		for (; k < f->bank[i].size / PAGE_SIZE; k++) {
			struct frame *fr = &f->rec[f->first[i] + k];

			if (fr->owner == a || fr->owner == b) {
				u64 q = f->bank[i].base + k * PAGE_SIZE;

				/*@ assert k * PAGE_SIZE < f->bank[i].size; */
				/*@ assert in_bank(f, i, q); */
				/*@ assert (q - f->bank[i].base) / PAGE_SIZE == k; */
				/*@ assert frame_in(f, i, q) == fr; */
				c->bank = i;
				c->page = k + 1;
				p->v = q;
				/*@ assert c->bank == i && c->page == k + 1 && p->v == q; */
				/*@ assert f->rec == \at(f->rec, Pre); */
				/*@ assert \let j = i; f->first[j] == \at(f->first[j], Pre); */
				/*@ assert fr == frame_at(f, i, k); */
				return fr;
			}
		}
	}
	c->bank = f->nbanks;
	c->page = 0;
	return NULL;
}

u16 frames_owner(struct frames *f, paddr_t p)
{
	struct frame *fr = frame_of(f, p.v);

	return fr ? load_relaxed(&fr->owner) : (u16)OWNER_NOT_RAM;
}

/* The bank that holds all of [base, base + size), or f->nbanks. */
/*@ requires frames_ok(f);
    assigns \nothing;
    ensures 0 <= \result <= f->nbanks;
    ensures \result < f->nbanks ==> range_in_bank(f, \result, base, size);
    ensures \result == f->nbanks ==> !all_ram(f, base, size);
 */
static u32 ram_bank(const struct frames *f, u64 base, u64 size)
{
	u32 i;

	/*@ loop invariant 0 <= i <= f->nbanks;
	    loop invariant \forall integer j; 0 <= j < i ==> !range_in_bank(f, j, base, size);
	    loop assigns i;
	    loop variant f->nbanks - i;
	 */
	for (i = 0; i < f->nbanks; i++)
		if (range_within(base, size, f->bank[i].base, f->bank[i].size))
			break;
	return i;
}

int frames_set_owner(struct frames *f, paddr_t base, u64 size, u16 owner)
{
	u64 i;
	u32 b;

	if (!page_aligned(base.v) || !page_aligned(size))
		return -KCORE_EINVAL;
	b = ram_bank(f, base.v, size);
	if (b == f->nbanks)
		return -KCORE_EINVAL;
	ticket_lock(&f->lock);
	/*@ assert \forall integer k; 0 <= k < size / PAGE_SIZE ==> in_bank(f, b, base.v + k * PAGE_SIZE); */
	/*@ loop invariant 0 <= i <= size / PAGE_SIZE;
	    loop invariant frames_ok(f);
	    loop invariant \forall integer k; 0 <= k < size / PAGE_SIZE ==> in_bank(f, b, base.v + k * PAGE_SIZE);
	    loop invariant \forall integer k; 0 <= k < i ==> page_frame(f, b, base.v, k)->owner == owner;
	    loop assigns i, f->rec[0 .. f->nframes - 1].owner;
	    loop variant size / PAGE_SIZE - i;
	 */
	for (i = 0; i < size / PAGE_SIZE; i++) {
		/*@ assert in_bank(f, b, base.v + i * PAGE_SIZE); */
		frame_of(f, base.v + i * PAGE_SIZE)->owner = owner;
		/*@ assert page_frame(f, b, base.v, i)->owner == owner; */
	}
	/*@ assert range_owned(f, b, base.v, size, owner); */
	ticket_unlock(&f->lock);
	return 0;
}

bool frames_all_owned(struct frames *f, paddr_t base, u64 size, u16 owner)
{
	u64 i;
	u32 b;

	if (!page_aligned(base.v) || !page_aligned(size))
		return false;
	b = ram_bank(f, base.v, size);
	if (b == f->nbanks)
		return false;
	/*@ loop invariant 0 <= i <= size / PAGE_SIZE;
	    loop invariant \forall integer k; 0 <= k < i ==> page_frame(f, b, base.v, k)->owner == owner;
	    loop assigns i;
	    loop variant size / PAGE_SIZE - i;
	 */
	for (i = 0; i < size / PAGE_SIZE; i++) {
		/*@ assert in_bank(f, b, base.v + i * PAGE_SIZE); */
		if (load_relaxed(&frame_of(f, base.v + i * PAGE_SIZE)->owner) != owner) {
			/*@ assert page_frame(f, b, base.v, i)->owner != owner; */
			return false;
		}
		/*@ assert page_frame(f, b, base.v, i)->owner == owner; */
	}
	/*@ assert range_owned(f, b, base.v, size, owner); */
	return true;
}

bool frames_any_ram(const struct frames *f, u64 base, u64 size)
{
	u32 i;

	/*@ loop invariant 0 <= i <= f->nbanks;
	    loop invariant \forall integer j; 0 <= j < i ==> !(size != 0 && f->bank[j].size != 0 &&
			     base < f->bank[j].base + f->bank[j].size && f->bank[j].base < base + size);
	    loop assigns i;
	    loop variant f->nbanks - i;
	 */
	for (i = 0; i < f->nbanks; i++)
		if (ranges_overlap(base, size, f->bank[i].base, f->bank[i].size))
			return true;
	return false;
}

u64 frames_count_owned(struct frames *f, u16 owner)
{
	u64 i, n = 0;

	ticket_lock(&f->lock);
	/*@ loop invariant 0 <= i <= f->nframes;
	    loop invariant n == count_owned(f->rec, i, owner) && n <= i;
	    loop assigns i, n;
	    loop variant f->nframes - i;
	 */
	for (i = 0; i < f->nframes; i++)
		n += f->rec[i].owner == owner;
	ticket_unlock(&f->lock);
	return n;
}
