/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by the files of VM management, not by the rest of KCore: vm.c
 * (records: create, donate, destroy), vm_mem.c (guest memory: map, unmap)
 * and vm_vcpu.c (the vCPU calls). All of it runs under vm_lock.
 */
#ifndef KCORE_VM_INTERNAL_H
#define KCORE_VM_INTERNAL_H

#include "vm.h"
#ifdef __FRAMAC__
#include "proof/vm_spec.h"
#endif

/* What taking [p, p + npages) from KServ for @owner writes and ensures:
 * take_locked()'s contract, and with the lock added vm_take_pages()'s. */
#ifdef __FRAMAC__
/* clang-format off */
#define TAKE_ASSIGNS \
	assigns HOST_PT_FOOTPRINT; \
	assigns { frame_in(&kc.frames, i, q)->owner | integer i, q; in_pages(q, p.v, npages) && in_bank(&kc.frames, i, q) };
#define TAKE_ENSURES \
	ensures kcore_ok; \
	ensures \result <= 0; \
	ensures \forall integer h, ia, q; 0 <= h < KCORE_MAX_VMS && kc.vms[h] != \null ==> \
		(pt_maps(&kc.vms[h]->s2, ia, q) <==> \old(pt_maps(&kc.vms[h]->s2, ia, q))); \
	ensures \result == 0 ==> \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==> \
		\old(owned_by(q, OWNER_KSERV)); \
	ensures \result == 0 ==> mp_args_ok(p.v, npages); \
	ensures \result == 0 ==> \forall integer q; q % PAGE_SIZE == 0 && p.v <= q < p.v + npages * PAGE_SIZE ==> \
		owned_by(q, owner); \
	ensures \forall integer q, o; q % PAGE_SIZE == 0 && (\result != 0 || !(p.v <= q < p.v + npages * PAGE_SIZE)) ==> \
		(owned_by(q, o) <==> \old(owned_by(q, o)));
/* clang-format on */
#endif

/* vm.h's vm_lookup() and vm_map_reserve() with their contracts (proved
 * with vm.c), which vm_mem.c's proof uses too. */
/*@ requires vm_table(&kc.vms[0]);
    assigns \nothing;
    ensures handle < KCORE_MAX_VMS ==> \result == kc.vms[handle];
    ensures handle >= KCORE_MAX_VMS ==> \result == \null;
 */
struct vm *vm_lookup(u32 handle);
/*@ requires \valid_read(vm) && vm->s2.start_level < PT_LEVELS;
    assigns \nothing;
 */
u32 vm_map_reserve(const struct vm *vm);

/* Take [p, p + npages) from KServ for @owner (VM metadata or guest memory):
 * take_locked() of vm.c under the frames lock. vm_lock held. Not proved
 * (the lock is trusted item 2 of docs/verification.md): its contract is
 * take_locked()'s, with the lock among what it writes. */
/*@ requires kcore_ok;
    assigns kc.frames.lock;
    TAKE_ASSIGNS
    TAKE_ENSURES
 */
int vm_take_pages(paddr_t p, u64 npages, u16 owner);

/* Whether a vCPU of @vm runs now: it keeps its VM alive and its timer
 * offset fixed. vm_lock held. Not proved (it reads the vCPUs' running
 * flags with atomic loads, which WP does not model): its contract only
 * says that it writes nothing. */
/*@ requires \valid_read(vm);
    assigns \nothing;
 */
bool vm_any_running(const struct vm *vm);

/* What giving back every page of VM @h and of its metadata writes: their
 * words and their records (the pages those owners have in the state
 * before); as a function's assigns clause, or (RECLAIM_SETS(loop assigns,
 * h)) a loop's. */
#ifdef __FRAMAC__
/* clang-format off */
#define VM_PAGE_BEFORE(q, h) \
	\at(owned_by(q, OWNER_VM_FIRST + h) || owned_by(q, OWNER_META_FIRST + h), Pre)
#define RECLAIM_SETS(assigns, h) \
	assigns { link(q)[k] | integer q, k; q % PAGE_SIZE == 0 && VM_PAGE_BEFORE(q, h) && 0 <= k < PAGE_SIZE / 8 }; \
	assigns { \at(frame_in(&kc.frames, i, q), Pre)->owner | integer i, q; \
		  q % PAGE_SIZE == 0 && VM_PAGE_BEFORE(q, h) && \at(in_bank(&kc.frames, i, q), Pre) }; \
	assigns { \at(frame_in(&kc.frames, i, q), Pre)->share_count | integer i, q; \
		  q % PAGE_SIZE == 0 && VM_PAGE_BEFORE(q, h) && \at(in_bank(&kc.frames, i, q), Pre) }; \
	assigns { \at(frame_in(&kc.frames, i, q), Pre)->pin_count | integer i, q; \
		  q % PAGE_SIZE == 0 && VM_PAGE_BEFORE(q, h) && \at(in_bank(&kc.frames, i, q), Pre) };
#define RECLAIM_ASSIGNS(h) RECLAIM_SETS(assigns, h)
/* After the reclaim: no page is VM @h's or its metadata's. */
#define RECLAIMED(h) \forall integer q; !owned_by(q, OWNER_VM_FIRST + h) && !owned_by(q, OWNER_META_FIRST + h)
/* clang-format on */
#endif

/* Give every page of VM @h, dead (unpublished, its translations dropped),
 * back to KServ, scrubbed: its guest pages and its metadata (record,
 * tables, vCPUs). vm_lock held; takes the frames lock. Not proved (the
 * lock): its contract is that of vm_mem.c's reclaim_locked(), with the lock
 * among what it writes. */
/*@ requires kcore_ok;
    requires h < KCORE_MAX_VMS && kc.vms[h] == \null;
    assigns kc.frames.lock;
    RECLAIM_ASSIGNS(h)
    ensures kcore_ok && inv_zero_returned{Pre, Post};
    ensures RECLAIMED(h);
 */
void vm_reclaim(u32 h);

#endif /* KCORE_VM_INTERNAL_H */
