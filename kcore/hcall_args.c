// SPDX-License-Identifier: GPL-2.0
/* Checks of KServ's hypercall arguments. The contracts are in
 * hcall_args.h. */
#include "hcall_args.h"

/* (fid & ~KCORE_FN_NUM_MASK) == KCORE_FN(0) and fid & KCORE_FN_NUM_MASK,
 * as divisions by the mask's 2^16, which the provers handle. */
bool hc_is_kcore_call(u32 fid)
{
	return fid / HC_NUM_SPAN == KCORE_FN(0) / HC_NUM_SPAN && fid % HC_NUM_SPAN < KCORE_HC_COUNT;
}

u32 hc_index(u32 fid)
{
	return fid % HC_NUM_SPAN;
}

u32 hc_handle_arg(u64 v)
{
	return v < KCORE_MAX_VMS ? (u32)v : KCORE_MAX_VMS; /* out of range stays out of range */
}

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
