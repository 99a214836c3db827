// SPDX-License-Identifier: GPL-2.0
/* Checks of KServ's hypercall arguments. The contracts are in
 * hcall_args.h, with the definitions of the checks on the hypercall paths
 * (static inline there, so that the callers' code has no calls). */
#include "hcall_args.h"

bool hc_class_ok(u64 class)
{
	return class <= KCORE_CLASS_GUEST;
}

bool hc_in_class(u16 owner, u64 class)
{
	if (class == KCORE_CLASS_KSERV)
		return owner == OWNER_KSERV;
	if (class == KCORE_CLASS_KCORE)
		return owner_is_kcore(owner);
	return owner_is_vm(owner);
}
