/* SPDX-License-Identifier: GPL-2.0 */
/*
 * KCore's carve-out: one 2 MiB-aligned region of RAM that holds KCore's
 * image (copied there at boot), the frame ownership records, per-CPU areas
 * and the page pool. KServ never gets it mapped.
 */
#ifndef KCORE_LAYOUT_H
#define KCORE_LAYOUT_H

#include "types.h"

#define KCORE_STACK_SIZE (16UL << 10)
#define CARVEOUT_ALIGN SZ_2M

struct carveout_plan {
	u64 image_size;	 /* KCore's image with its bss, page aligned */
	u64 frames_size; /* ownership records, page aligned */
	u64 percpu_size; /* per-CPU records and stacks, page aligned */
	u64 pool_size;	 /* page pool */
	u64 total;	 /* all of it, rounded up to CARVEOUT_ALIGN */
};

/* Sizes for @ncpus CPUs, @nframes frames of RAM and a per-CPU record of
 * @percpu_bytes. The pool gets what rounding leaves over plus at least 1 MiB
 * and 16 KiB per GiB of RAM for KCore's and KServ's page tables. */
void carveout_plan(struct carveout_plan *c, u64 image_size, u64 nframes, u32 ncpus, u64 percpu_bytes);

/*
 * The highest @align-aligned base of a @size-byte region inside one of the
 * @nmem RAM banks that overlaps none of the @navoid ranges. Returns 0 when
 * there is none (RAM at physical address 0 is never chosen).
 */
u64 carveout_place(const struct range *mem, u32 nmem, const struct range *avoid, u32 navoid, u64 size, u64 align);

#endif /* KCORE_LAYOUT_H */
