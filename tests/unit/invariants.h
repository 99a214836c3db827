/* SPDX-License-Identifier: GPL-2.0 */
#ifndef UNIT_INVARIANTS_H
#define UNIT_INVARIANTS_H

#include "pgtable.h"

/*
 * KCore's global memory-protection invariants, checked over the whole
 * machine state: every frame has one owner; KServ's stage-2 maps only frames
 * KServ owns (or MMIO); a VM's stage-2 maps only frames that VM owns; KCore's
 * frames (carve-out, metadata) are in no stage-2; every VM owner and
 * metadata owner names a live VM. Returns the number of violations, each
 * printed.
 */
int check_invariants(void);

/* Call @fn(@ctx, ia, pa, size) for every leaf (block or page) of @pt. */
typedef void (*leaf_fn)(void *ctx, u64 ia, u64 pa, u64 size);
void walk_leaves(const struct pgtable *pt, leaf_fn fn, void *ctx);

#endif
