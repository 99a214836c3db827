/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMs: their records, VMIDs and stage-2 memory. A VM's metadata (its record,
 * its stage-2 tables) lives in pages KServ donates; they become KCore's and
 * go back to KServ, zeroed, when the VM is destroyed. Guest pages move from
 * KServ to the VM when mapped and back, zeroed, when unmapped or when the VM
 * is destroyed.
 *
 * All VM management runs under one lock, vm_lock, taken before the frame
 * records' lock (see spinlock.h).
 */
#ifndef KCORE_VM_H
#define KCORE_VM_H

#include "owner.h"
#include "palloc.h"
#include "pgtable.h"
#include "platform.h"
#include "vcpu.h"

#define VM_MIN_IPA_BITS 32
#define VM_MAX_IPA_BITS 48

struct vm {
	u32 handle;
	u16 vmid;
	struct page_pool pool; /* donated pages not yet used */
	struct pgtable s2;
	u64 cntvoff; /* CNTVOFF_EL2 while the VM's vCPUs run */
	struct vcpu *vcpus[KCORE_MAX_VCPUS];
	/* Per physical CPU: 1 + the index of the vCPU that last ran there, 0 if none. */
	u8 last_vcpu[KCORE_MAX_CPUS];
};

int vm_create(paddr_t donation, u64 npages, u32 ipa_bits, u32 *handle);
int vm_donate(u32 handle, paddr_t donation, u64 npages);
int vm_destroy(u32 handle);
int vm_map_page(u32 handle, paddr_t page, u64 ipa);
int vm_unmap_page(u32 handle, u64 ipa, paddr_t *page);
/* Pages a VM's pool must hold before mapping one more page. */
u32 vm_map_reserve(const struct vm *vm);
int vm_set_timer(u32 handle, u64 cntvoff);
int vcpu_create(u32 handle, u64 index);
int vcpu_init(u32 handle, u64 index, u64 pc, u64 x0);
int vcpu_set_reg(u32 handle, u64 index, u64 reg, u64 val);
/* Run a vCPU: apply KServ's answer to the last exit, run until the next,
 * and fill @rec with what that exit exposes. */
int vcpu_run(u32 handle, u64 index, u64 flags, const u64 *answer, struct exit_record *rec);

/* Number of VMs alive (for accounting and tests). */
u32 vm_count(void);
/* The live VM with @handle, or NULL. Only under vm_lock (tests, checks). */
struct vm *vm_lookup(u32 handle);

#endif /* KCORE_VM_H */
