/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Physical frame ownership: one record per 4 KiB frame of RAM, the single
 * source of truth for who may map a frame. KServ owns everything it has not
 * given away; KCore owns its carve-out and pages donated to it; VM n owns
 * the frames mapped into it. Share and pin counts are kept here too, for the
 * sharing and pinning protocols that later calls add.
 */
#ifndef KCORE_OWNER_H
#define KCORE_OWNER_H

#include <kcore/abi.h>

#include "spinlock.h"
#include "types.h"

/* The most VMs alive at once; VM handle h uses VMID h + 1. */
#define KCORE_MAX_VMS 255

enum owner_id {
	OWNER_KSERV = 0, /* a zeroed record means "KServ's" */
	OWNER_KCORE = 1,
	OWNER_VM_FIRST = 2,	   /* guest memory of VM h: OWNER_VM_FIRST + h */
	OWNER_META_FIRST = 0x4000, /* KCore's metadata for VM h (donated): + h */
	OWNER_NOT_RAM = 0xffff,
};

/*@ requires h < KCORE_MAX_VMS;
    assigns \nothing;
    ensures \result == OWNER_VM_FIRST + h;
 */
static inline u16 owner_vm(u32 h)
{
	return (u16)(OWNER_VM_FIRST + h);
}

/*@ requires h < KCORE_MAX_VMS;
    assigns \nothing;
    ensures \result == OWNER_META_FIRST + h;
 */
static inline u16 owner_meta(u32 h)
{
	return (u16)(OWNER_META_FIRST + h);
}

/* KCore's own frames: its carve-out and every VM's metadata. */
/*@ assigns \nothing;
    ensures \result <==> o == OWNER_KCORE || OWNER_META_FIRST <= o < OWNER_META_FIRST + KCORE_MAX_VMS;
 */
static inline bool owner_is_kcore(u16 o)
{
	return o == OWNER_KCORE || (o >= OWNER_META_FIRST && o < OWNER_META_FIRST + KCORE_MAX_VMS);
}

/*@ assigns \nothing;
    ensures \result <==> OWNER_VM_FIRST <= o < OWNER_VM_FIRST + KCORE_MAX_VMS;
 */
static inline bool owner_is_vm(u16 o)
{
	return o >= OWNER_VM_FIRST && o < OWNER_VM_FIRST + KCORE_MAX_VMS;
}

struct frame {
	u16 owner;
	u16 share_count; /* VMs or KServ mappings that borrow the frame */
	u16 pin_count;	 /* users that need the frame to stay where it is */
	u16 flags;
};

#define FRAMES_MAX_BANKS 8

struct frames {
	ticket_lock_t lock;
	struct range bank[FRAMES_MAX_BANKS]; /* page aligned, sorted, disjoint */
	u64 first[FRAMES_MAX_BANKS];	     /* index of each bank's first frame */
	u64 nbanks;
	u64 nframes;
	struct frame *rec;
};

/*
 * The specification the proofs use (scripts/prove.sh, docs/verification.md).
 * Addresses are mathematical integers here: nothing wraps around.
 */
/*@
  // Frames in the first n banks of b.
  logic integer frames_total{L}(struct range *b, integer n) =
    n <= 0 ? 0 : frames_total(b, n - 1) + b[n - 1].size / PAGE_SIZE;

  // A bank frames_init() accepts: whole pages, and its end is a u64.
  predicate bank_ok{L}(struct range *b) =
    b->base % PAGE_SIZE == 0 && b->size % PAGE_SIZE == 0 && no_wrap(b->base, b->size);

  // n acceptable banks, sorted by address and disjoint.
  predicate banks_ok{L}(struct range *b, integer n) =
    (\forall integer i; 0 <= i < n ==> bank_ok(b + i)) &&
    (\forall integer i, j; 0 <= i < j < n ==> b[i].base + b[i].size <= b[j].base);

  // The shape of well-formed records: 1 .. FRAMES_MAX_BANKS acceptable
  // banks, sorted and disjoint; bank i's frames have the records first[i] ..
  // first[i] + size / PAGE_SIZE - 1, in bank order without overlap, below
  // nframes. So every frame of RAM has exactly one record, and no two frames
  // share one.
  predicate frames_shape{L}(struct frames *f) =
    1 <= f->nbanks <= FRAMES_MAX_BANKS &&
    (\forall integer i; 0 <= i < f->nbanks ==> bank_ok(&f->bank[i])) &&
    (\forall integer i, j; 0 <= i < j < f->nbanks ==> f->bank[i].base + f->bank[i].size <= f->bank[j].base) &&
    (\forall integer i; 0 <= i < f->nbanks ==>
       f->first[i] + f->bank[i].size / PAGE_SIZE <= f->nframes) &&
    (\forall integer i, j; 0 <= i < j < f->nbanks ==>
       f->first[i] + f->bank[i].size / PAGE_SIZE <= f->first[j]);

  // Well-formed records: that shape, with rec[0 .. nframes - 1] valid and
  // outside *f.
  predicate frames_ok{L}(struct frames *f) =
    \valid(f) && frames_shape(f) &&
    \valid(f->rec + (0 .. f->nframes - 1)) &&
    \separated(f->rec + (0 .. f->nframes - 1), f);

  // Bank i holds address p.
  predicate in_bank{L}(struct frames *f, integer i, integer p) =
    0 <= i < f->nbanks && f->bank[i].base <= p < f->bank[i].base + f->bank[i].size;

  // p is not RAM: no bank holds it.
  predicate not_ram{L}(struct frames *f, integer p) =
    \forall integer i; !in_bank(f, i, p);

  // Bank i holds all of [base, base + size).
  predicate range_in_bank{L}(struct frames *f, integer i, integer base, integer size) =
    0 <= i < f->nbanks && f->bank[i].base <= base && base + size <= f->bank[i].base + f->bank[i].size;

  // [base, base + size) is RAM, within one bank.
  predicate all_ram{L}(struct frames *f, integer base, integer size) =
    \exists integer i; range_in_bank(f, i, base, size);

  // The record of the frame holding p, when bank i holds it.
  logic struct frame *frame_in{L}(struct frames *f, integer i, integer p) =
    f->rec + (f->first[i] + (p - f->bank[i].base) / PAGE_SIZE);

  // frame_in() reads only rec, first[i] and bank[i].base: a state change
  // that keeps those keeps it.
  lemma frame_in_same{L1, L2}:
    \forall struct frames *f, integer i, p;
      \at(f->rec, L1) == \at(f->rec, L2) && \at(f->first[i], L1) == \at(f->first[i], L2) &&
      \at(f->bank[i].base, L1) == \at(f->bank[i].base, L2) ==>
	frame_in{L1}(f, i, p) == frame_in{L2}(f, i, p);

  // The record of page k of [base, ...), which bank b holds.
  logic struct frame *page_frame{L}(struct frames *f, integer b, integer base, integer k) =
    frame_in(f, b, base + k * PAGE_SIZE);

  // Bank b holds all of [base, base + size), and the record of every page
  // in it is owned by o.
  predicate range_owned{L}(struct frames *f, integer b, integer base, integer size, integer o) =
    range_in_bank(f, b, base, size) &&
    \forall integer k; 0 <= k < size / PAGE_SIZE ==> page_frame(f, b, base, k)->owner == o;

  // The banks are disjoint: a range of RAM lies in one bank only.
  lemma range_bank_unique{L}:
    \forall struct frames *f, integer i, j, base, size;
      frames_ok(f) && size > 0 && range_in_bank(f, i, base, size) && range_in_bank(f, j, base, size) ==> i == j;

  // ... and so does an address.
  lemma bank_unique{L}:
    \forall struct frames *f, integer i, j, p;
      frames_ok(f) && in_bank(f, i, p) && in_bank(f, j, p) ==> i == j;

  // Records 0 .. n - 1 of rec owned by o.
  logic integer count_owned{L}(struct frame *rec, integer n, integer o) =
    n <= 0 ? 0 : count_owned(rec, n - 1, o) + (rec[n - 1].owner == o ? 1 : 0);

  // The frame of an address below the end of a bank is below the bank's
  // last frame.
  lemma page_index_bound:
    \forall integer a, b; 0 <= a < b && b % PAGE_SIZE == 0 ==> a / PAGE_SIZE < b / PAGE_SIZE;
 */

/* Number of records (frames) needed for @nbanks page-aligned banks. */
/*@ requires nbanks <= FRAMES_MAX_BANKS;
    requires \valid_read(banks + (0 .. nbanks - 1));
    assigns \nothing;
    ensures \result == frames_total(banks, nbanks);
 */
u64 frames_count(const struct range *banks, u32 nbanks);

/* Set up @f over @banks with zeroed storage @rec (frames_count entries):
 * every frame starts as KServ's. The banks must be whole pages, sorted and
 * disjoint, and end below 2^64 (-KCORE_EINVAL otherwise). */
/*@ requires \valid(f);
    requires \valid_read(banks + (0 .. nbanks - 1));
    requires \separated(f, banks + (0 .. nbanks - 1));
    assigns *f;
    behavior bad_count:
      assumes nbanks == 0 || nbanks > FRAMES_MAX_BANKS;
      assigns \nothing;
      ensures \result == -KCORE_EINVAL;
    behavior bad_bank:
      assumes 1 <= nbanks <= FRAMES_MAX_BANKS && !banks_ok(banks, nbanks);
      ensures \result == -KCORE_EINVAL;
    behavior ok:
      assumes 1 <= nbanks <= FRAMES_MAX_BANKS && banks_ok(banks, nbanks);
      requires \valid(rec + (0 .. frames_total(banks, nbanks) - 1));
      requires \separated(rec + (0 .. frames_total(banks, nbanks) - 1), f);
      ensures \result == 0;
      ensures frames_ok(f);
      ensures f->nbanks == nbanks && f->rec == rec;
      ensures f->nframes == \old(frames_total(banks, nbanks));
      ensures \forall integer i; 0 <= i < nbanks ==>
		f->bank[i].base == \old(banks[i].base) && f->bank[i].size == \old(banks[i].size);
    complete behaviors;
    disjoint behaviors;
 */
int frames_init(struct frames *f, const struct range *banks, u32 nbanks, struct frame *rec);

/* The owner of the frame holding @p, or OWNER_NOT_RAM. */
/*@ requires frames_ok(f);
    assigns \nothing;
    ensures not_ram(f, p.v) ==> \result == OWNER_NOT_RAM;
    ensures \forall integer i; in_bank(f, i, p.v) ==> \result == frame_in(f, i, p.v)->owner;
 */
u16 frames_owner(struct frames *f, paddr_t p);

/* Set the owner of every frame in [base, base + size) (boot time): whole
 * pages of one bank, or -KCORE_EINVAL and nothing changes. */
/*@ requires frames_ok(f);
    assigns f->lock, f->rec[0 .. f->nframes - 1].owner;
    ensures frames_ok(f);
    behavior ok:
      assumes base.v % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && all_ram(f, base.v, size);
      ensures \result == 0;
      ensures \exists integer b; range_owned(f, b, base.v, size, owner);
    behavior bad:
      assumes !(base.v % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 && all_ram(f, base.v, size));
      assigns \nothing;
      ensures \result == -KCORE_EINVAL;
    complete behaviors;
    disjoint behaviors;
 */
int frames_set_owner(struct frames *f, paddr_t base, u64 size, u16 owner);

/* True if [base, base + size) is whole pages of RAM, within one bank, and
 * every frame in it is owned by @owner. */
/*@ requires frames_ok(f);
    assigns \nothing;
    ensures \result <==> base.v % PAGE_SIZE == 0 && size % PAGE_SIZE == 0 &&
      \exists integer b; range_owned(f, b, base.v, size, owner);
 */
bool frames_all_owned(struct frames *f, paddr_t base, u64 size, u16 owner);

/* True if [base, base + size) intersects RAM. */
/*@ requires frames_ok(f);
    requires no_wrap(base, size);
    assigns \nothing;
    ensures \result <==> \exists integer i; 0 <= i < f->nbanks && size != 0 && f->bank[i].size != 0 &&
	      base < f->bank[i].base + f->bank[i].size && f->bank[i].base < base + size;
 */
bool frames_any_ram(const struct frames *f, u64 base, u64 size);

/* The number of frames owned by @owner. */
/*@ requires frames_ok(f);
    assigns f->lock;
    ensures frames_ok(f);
    ensures \result == count_owned(f->rec, f->nframes, owner);
 */
u64 frames_count_owned(struct frames *f, u16 owner);

/* The record of the frame holding @p, or NULL when @p is not RAM. The caller
 * holds f->lock to change it. */
/*@ requires frames_ok(f);
    assigns \nothing;
    ensures \result == \null <==> not_ram(f, p.v);
    ensures \forall integer i; in_bank(f, i, p.v) ==> \result == frame_in(f, i, p.v) && \valid(\result);
 */
struct frame *frames_get(struct frames *f, paddr_t p);

/* A place in the frames, bank by bank and page by page (address order):
 * where frames_next_owned() looks next. Start at { 0, 0 }. */
struct frames_cursor {
	u64 bank;
	u64 page;
};

/*@
  // Page k of bank i is at or after page k0 of bank i0.
  predicate at_or_after(integer i0, integer k0, integer i, integer k) = i0 < i || (i0 == i && k0 <= k);

  // The record of page k of bank i.
  logic struct frame *frame_at{L}(struct frames *f, integer i, integer k) = f->rec + (f->first[i] + k);

  // No frame from page k0 of bank i0 (included) to page k1 of bank i1
  // (excluded) is owned by a or b.
  predicate none_owned{L}(struct frames *f, integer a, integer b, integer i0, integer k0, integer i1, integer k1) =
    \forall integer i, k; 0 <= i < f->nbanks && 0 <= k < f->bank[i].size / PAGE_SIZE &&
      at_or_after(i0, k0, i, k) && !at_or_after(i1, k1, i, k) ==>
      frame_at(f, i, k)->owner != a && frame_at(f, i, k)->owner != b;
 */

/* The first frame at or after @c owned by @a or @b: its record, its address
 * in *p, and @c moves just past it; NULL when there is none (@c at the end).
 * The caller holds f->lock. (none_owned is stated in the state before
 * the call: the same, as only *c and *p change.) Visiting every frame owned by @a or @b, in
 * address order:
 *   struct frames_cursor c = { 0, 0 };
 *   while ((fr = frames_next_owned(f, a, b, &c, &p))) ...
 */
/*@ requires frames_ok(f);
    requires \valid(c) && \valid(p);
    requires \separated(c, p, f, f->rec + (0 .. f->nframes - 1));
    requires c->bank <= f->nbanks;
    assigns *c, *p;
    ensures c->bank <= f->nbanks;
    ensures \result == \null ==> c->bank == f->nbanks &&
	      none_owned{Pre}(f, a, b, \old(c->bank), \old(c->page), f->nbanks, 0);
    ensures \result != \null ==> 0 <= c->bank < f->nbanks && 1 <= c->page <= f->bank[c->bank].size / PAGE_SIZE &&
	      at_or_after(\old(c->bank), \old(c->page), c->bank, c->page - 1) &&
	      none_owned{Pre}(f, a, b, \old(c->bank), \old(c->page), c->bank, c->page - 1) &&
	      \result == frame_at(f, c->bank, c->page - 1) && \valid(\result) &&
	      (\result->owner == a || \result->owner == b) &&
	      p->v == f->bank[c->bank].base + (c->page - 1) * PAGE_SIZE &&
	      in_bank(f, c->bank, p->v);
 */
struct frame *frames_next_owned(struct frames *f, u16 a, u16 b, struct frames_cursor *c, paddr_t *p);

#endif /* KCORE_OWNER_H */
