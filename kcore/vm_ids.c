// SPDX-License-Identifier: GPL-2.0
/* Handles, VMIDs and guest-address checks of VMs. The contracts are in
 * vm_ids.h. */
#include "vm_ids.h"

u16 vm_vmid(u32 h)
{
	return (u16)(h + 1);
}

int vm_free_handle(struct vm *const *vms, u32 *h)
{
	u32 i;

	/*@ loop invariant 0 <= i <= KCORE_MAX_VMS;
	    loop invariant \forall integer j; 0 <= j < i ==> vms[j] != \null;
	    loop assigns i;
	    loop variant KCORE_MAX_VMS - i;
	 */
	for (i = 0; i < KCORE_MAX_VMS; i++)
		if (!vms[i]) {
			*h = i;
			return 0;
		}
	return -KCORE_ENOSPC;
}

int vm_check_ipa(u64 ipa, u32 ia_bits)
{
	if (!page_aligned(ipa))
		return -KCORE_EINVAL;
	return range_within(ipa, PAGE_SIZE, 0, 1UL << ia_bits) ? 0 : -KCORE_ERANGE;
}

u32 s2_map_reserve(u32 start_level)
{
	return PT_LEVELS - 1 - start_level;
}
