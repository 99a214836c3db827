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

static inline u16 owner_vm(u32 h)
{
	return (u16)(OWNER_VM_FIRST + h);
}

static inline u16 owner_meta(u32 h)
{
	return (u16)(OWNER_META_FIRST + h);
}

/* KCore's own frames: its carve-out and every VM's metadata. */
static inline bool owner_is_kcore(u16 o)
{
	return o == OWNER_KCORE || (o >= OWNER_META_FIRST && o < OWNER_META_FIRST + KCORE_MAX_VMS);
}

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
	struct range bank[FRAMES_MAX_BANKS];
	u64 first[FRAMES_MAX_BANKS]; /* index of each bank's first frame */
	u32 nbanks;
	u64 nframes;
	struct frame *rec;
};

/* Number of records (frames) needed for @nbanks page-aligned banks. */
u64 frames_count(const struct range *banks, u32 nbanks);
/* Set up @f over @banks with zeroed storage @rec (frames_count entries):
 * every frame starts as KServ's. */
int frames_init(struct frames *f, const struct range *banks, u32 nbanks, struct frame *rec);
/* The owner of the frame holding @p, or OWNER_NOT_RAM. */
u16 frames_owner(struct frames *f, paddr_t p);
/* Set the owner of every frame in [base, base + size) (boot time). */
int frames_set_owner(struct frames *f, paddr_t base, u64 size, u16 owner);
/* True if [base, base + size) is RAM and every frame is owned by @owner. */
bool frames_all_owned(struct frames *f, paddr_t base, u64 size, u16 owner);
/* True if [base, base + size) intersects RAM. */
bool frames_any_ram(const struct frames *f, u64 base, u64 size);
u64 frames_count_owned(struct frames *f, u16 owner);

/* The record of the frame holding @p, or NULL when @p is not RAM. The caller
 * holds f->lock to change it. */
struct frame *frames_get(struct frames *f, paddr_t p);
/* Call @fn on every frame whose owner is @a or @b, with f->lock held. */
void frames_for_each_owned(struct frames *f, u16 a, u16 b, void (*fn)(paddr_t p, struct frame *fr));

#endif /* KCORE_OWNER_H */
