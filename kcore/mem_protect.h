/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Ownership transitions between KServ and KCore or a VM, in two steps:
 * a check that can fail and changes nothing, then a "do" that cannot fail.
 * Both run under the frame records' lock (kc.frames.lock), taken by the
 * caller around the pair.
 */
#ifndef KCORE_MEM_PROTECT_H
#define KCORE_MEM_PROTECT_H

#include "owner.h"
#include "types.h"

/* Pool pages that unmapping one range from KServ's stage-2 may need: a
 * 1 GiB and a 2 MiB block split at each end. */
#define HOST_S2_UNMAP_RESERVE 4

/* 0 if [p, p + npages pages) is RAM that KServ owns, with no shares or
 * pins, and KServ's stage-2 can be unmapped there; else -EACCES, -EBUSY,
 * -EINVAL or -ENOMEM. */
int mp_check_kserv(paddr_t p, u64 npages);
/* Give [p, p + npages pages) to @owner: the records change, KServ's stage-2
 * loses the pages (with their TLB entries), and their cache lines are
 * cleaned to the point of coherency. Only after mp_check_kserv() passed. */
void mp_take_from_kserv(paddr_t p, u64 npages, u16 owner);
/* Zero the frame at @p, clean it to the point of coherency (so that no
 * cacheable or non-cacheable view sees old data), and give it to KServ. Its
 * stage-2 mapping comes back on KServ's next access. */
void mp_give_to_kserv(paddr_t p, struct frame *fr);

#endif /* KCORE_MEM_PROTECT_H */
