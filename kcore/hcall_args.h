/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The checks hypercall.c makes on KServ's arguments before it acts on them,
 * kept apart so that they are proved (scripts/prove.sh,
 * docs/verification.md): which function IDs are KCore's own calls and the
 * index of each in the call table, VM handles, and owner classes.
 */
#ifndef KCORE_HCALL_ARGS_H
#define KCORE_HCALL_ARGS_H

#include <kcore/abi.h>

#include "owner.h"
#include "types.h"

/* The numbers of KCore's calls: the low 16 bits of a function ID. */
#define HC_NUM_SPAN (KCORE_FN_NUM_MASK + 1U)

/* True if @fid is one of KCore's own calls: KCORE_FN(n) with n <
 * KCORE_HC_COUNT. Then hc_index(fid) is n, a valid index of the call
 * table. */
/*@ assigns \nothing;
    ensures \result <==> \exists integer n; 0 <= n < KCORE_HC_COUNT && fid == KCORE_FN(0) + n;
    ensures \result ==> fid % HC_NUM_SPAN < KCORE_HC_COUNT;
 */
static inline bool hc_is_kcore_call(u32 fid)
{
	/* (fid & ~KCORE_FN_NUM_MASK) == KCORE_FN(0) and fid & KCORE_FN_NUM_MASK
	 * below, as divisions by the mask's 2^16, which the provers handle. */
	return fid / HC_NUM_SPAN == KCORE_FN(0) / HC_NUM_SPAN && fid % HC_NUM_SPAN < KCORE_HC_COUNT;
}

/* The call number of a KCore call @fid: its index in the call table. */
/*@ requires \exists integer n; 0 <= n < KCORE_HC_COUNT && fid == KCORE_FN(0) + n;
    assigns \nothing;
    ensures \result < KCORE_HC_COUNT;
    ensures fid == KCORE_FN(0) + \result;
 */
static inline u32 hc_index(u32 fid)
{
	return fid % HC_NUM_SPAN;
}

/* A VM handle from KServ's 64-bit argument @v: @v itself when it can be a
 * handle, else KCORE_MAX_VMS, which is no handle (a truncation to 32 bits
 * could make an invalid argument a valid handle). */
/*@ assigns \nothing;
    ensures v < KCORE_MAX_VMS ==> \result == v;
    ensures v >= KCORE_MAX_VMS ==> \result == KCORE_MAX_VMS;
 */
static inline u32 hc_handle_arg(u64 v)
{
	return v < KCORE_MAX_VMS ? (u32)v : KCORE_MAX_VMS; /* out of range stays out of range */
}

/* True if @class is an owner class KCORE_HC_FRAMES_OWNED counts. */
/*@ assigns \nothing;
    ensures \result <==> class <= KCORE_CLASS_GUEST;
 */
bool hc_class_ok(u64 class);

/* True if a frame owned by @owner is in @class (one hc_class_ok() accepts):
 * KServ's, KCore's (its carve-out and every VM's metadata) or a VM's. */
/*@ requires class <= KCORE_CLASS_GUEST;
    assigns \nothing;
    ensures class == KCORE_CLASS_KSERV ==> (\result <==> owner == OWNER_KSERV);
    ensures class == KCORE_CLASS_KCORE ==>
	      (\result <==> owner == OWNER_KCORE || OWNER_META_FIRST <= owner < OWNER_META_FIRST + KCORE_MAX_VMS);
    ensures class == KCORE_CLASS_GUEST ==> (\result <==> OWNER_VM_FIRST <= owner < OWNER_VM_FIRST + KCORE_MAX_VMS);
 */
bool hc_in_class(u16 owner, u64 class);

#endif /* KCORE_HCALL_ARGS_H */
