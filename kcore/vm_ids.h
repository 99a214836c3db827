/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure parts of VM management (vm.c, vm_mem.c), kept apart so that
 * they are proved (scripts/prove.sh, docs/verification.md): handles and
 * the table of live VMs, VMIDs, the check of a guest address and the
 * stage-2 pages a mapping may need. They are called under vm_lock.
 */
#ifndef KCORE_VM_IDS_H
#define KCORE_VM_IDS_H

#include <kcore/abi.h>

#include "owner.h"
#include "pgtable.h"
#include "types.h"

struct vm;

/* KServ's VMID: its stage-2 and TLB entries are tagged with it. */
#define KSERV_VMID 0

/*@
  // The VMID of the VM with handle h.
  logic integer vmid_of(integer h) = h + 1;

  // No VM has KServ's VMID, and every VMID fits the 8 bits of VTTBR_EL2's
  // VMID field (16-bit VMIDs are not needed).
  lemma vmid_not_kserv: \forall integer h; 0 <= h < KCORE_MAX_VMS ==> vmid_of(h) != KSERV_VMID;
  lemma vmid_8bit: \forall integer h; 0 <= h < KCORE_MAX_VMS ==> 1 <= vmid_of(h) <= 255;

  // Two handles with one VMID are the same handle: live VMs never share a
  // VMID, so never each other's TLB entries.
  lemma vmid_injective: \forall integer h1, h2; vmid_of(h1) == vmid_of(h2) ==> h1 == h2;

  // The table of live VMs by handle: KCORE_MAX_VMS readable slots.
  predicate vm_table{L}(struct vm **vms) = \valid_read(vms + (0 .. KCORE_MAX_VMS - 1));

  // Every slot of the table is in use.
  predicate vm_table_full{L}(struct vm **vms) = \forall integer i; 0 <= i < KCORE_MAX_VMS ==> vms[i] != \null;
 */

/* The VMID of the VM with handle @h. */
/*@ requires h < KCORE_MAX_VMS;
    assigns \nothing;
    ensures \result == vmid_of(h);
    ensures \result != KSERV_VMID && \result <= 255;
 */
u16 vm_vmid(u32 h);

/* The VM in slot @h of @vms, or NULL when @h is no handle. */
/*@ requires vm_table(vms);
    assigns \nothing;
    ensures h < KCORE_MAX_VMS ==> \result == vms[h];
    ensures h >= KCORE_MAX_VMS ==> \result == \null;
 */
static inline struct vm *vm_slot(struct vm *const *vms, u32 h)
{
	return h < KCORE_MAX_VMS ? vms[h] : NULL;
}

/* The lowest free handle of @vms in *@h and 0, or -KCORE_ENOSPC when every
 * slot is in use. */
/*@ requires vm_table(vms) && \valid(h);
    requires \separated(h, vms + (0 .. KCORE_MAX_VMS - 1));
    behavior free:
      assumes !vm_table_full(vms);
      assigns *h;
      ensures \result == 0;
      ensures *h < KCORE_MAX_VMS && vms[*h] == \null;
      ensures \forall integer i; 0 <= i < *h ==> vms[i] != \null;
    behavior full:
      assumes vm_table_full(vms);
      assigns \nothing;
      ensures \result == -KCORE_ENOSPC;
    complete behaviors;
    disjoint behaviors;
 */
int vm_free_handle(struct vm *const *vms, u32 *h);

/* 0 if @ipa is a page address below 2^@ia_bits (a VM's input address
 * size), -KCORE_EINVAL if it is not page aligned, else -KCORE_ERANGE. The
 * contract says "below 2^ia_bits" as "the page ends by 2^ia_bits", which is
 * what pt_map() and pt_unmap() ask (the provers do not relate a shift by a
 * variable to powers of 2, so the code compares with the same shift). */
/*@ requires 25 <= ia_bits <= 48; // what pt_init() accepts
    assigns \nothing;
    ensures \result == 0 || \result == -KCORE_EINVAL || \result == -KCORE_ERANGE;
    ensures \result == -KCORE_EINVAL <==> ipa % PAGE_SIZE != 0;
    ensures \result == -KCORE_ERANGE <==> ipa % PAGE_SIZE == 0 && ipa + PAGE_SIZE > (1 << ia_bits);
    ensures \result == 0 <==> ipa % PAGE_SIZE == 0 && ipa + PAGE_SIZE <= (1 << ia_bits);
 */
int vm_check_ipa(u64 ipa, u32 ia_bits);

/* The pool pages a stage-2 whose root is at @start_level may need to map
 * one more page: one table for each level below the root. */
/*@ requires start_level < PT_LEVELS;
    assigns \nothing;
    ensures \result == PT_LEVELS - 1 - start_level;
 */
u32 s2_map_reserve(u32 start_level);

#endif /* KCORE_VM_IDS_H */
