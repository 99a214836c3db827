/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Fair ticket locks.
 *
 * Lock order (a CPU holding a lock may only take locks further down):
 *   1. vm_lock       - every VM's record and stage-2 (vm.c, vm_mem.c,
 *                      vm_vcpu.c)
 *   2. frames_lock   - the physical frame ownership records (owner.c), and
 *                      with them KServ's stage-2 page table (host_s2.c,
 *                      mem_protect.c), which maps exactly what they give KServ
 *   3. pool_lock     - a page pool: KCore's or a VM's (palloc.c)
 *   4. log_lock      - the console (log.c); a leaf, taken anywhere
 * The per-CPU boot state (percpu.c) uses atomics, not locks.
 */
#ifndef KCORE_SPINLOCK_H
#define KCORE_SPINLOCK_H

#include "arch.h"
#include "types.h"

typedef struct {
	u32 next;
	u32 owner;
} ticket_lock_t;

#define TICKET_LOCK_INIT                                                                                               \
	{                                                                                                              \
		0, 0                                                                                                   \
	}

/* A relaxed atomic load, for readers that do not take the lock. */
#ifndef __FRAMAC__
#define load_relaxed(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#else
#define load_relaxed(p) (*(p))
#endif

#ifndef __FRAMAC__
static inline void ticket_lock(ticket_lock_t *l)
{
	u32 me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		arch_lock_wait();
}

static inline void ticket_unlock(ticket_lock_t *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
	arch_lock_wake();
}

static inline bool ticket_is_locked(ticket_lock_t *l)
{
	return __atomic_load_n(&l->owner, __ATOMIC_RELAXED) != __atomic_load_n(&l->next, __ATOMIC_RELAXED);
}
#else
/*
 * What the proofs (scripts/prove.sh) assume instead, since Frama-C has no
 * __atomic builtins: a lock operation changes nothing but the lock, so the
 * data it protects is reasoned about sequentially (freedom from data races
 * is assumed, not proved), and a relaxed load is a plain load. Trusted; see
 * docs/verification.md.
 */
/*@ requires \valid(l);
    assigns *l;
 */
void ticket_lock(ticket_lock_t *l);
/*@ requires \valid(l);
    assigns *l;
 */
void ticket_unlock(ticket_lock_t *l);
/*@ requires \valid_read(l);
    assigns \nothing;
 */
bool ticket_is_locked(ticket_lock_t *l);
#endif /* __FRAMAC__ */

#endif /* KCORE_SPINLOCK_H */
