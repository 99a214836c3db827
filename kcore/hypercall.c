// SPDX-License-Identifier: GPL-2.0
/*
 * KServ's hypercalls. Function IDs follow SMCCC: a few architecture and
 * vendor-hypervisor discovery calls, then KCore's own calls, dispatched
 * through a table indexed by the call number after a bounds check.
 */
#include "kcore.h"
#include <kcore/abi.h>

typedef void (*hcall_fn)(u64 *x);

static void hc_version(u64 *x)
{
	x[0] = 0;
	x[1] = (KCORE_VERSION_MAJOR << 16) | KCORE_VERSION_MINOR;
	x[2] = KCORE_HC_COUNT;
}

static void hc_mem_info(u64 *x)
{
	x[0] = 0;
	x[1] = kc.carve_base;
	x[2] = kc.carve_size;
	x[3] = pool_nfree(&kc.pool);
}

static const hcall_fn kcore_calls[KCORE_HC_COUNT] = {
	[KCORE_HC_VERSION & KCORE_FN_NUM_MASK] = hc_version,
	[KCORE_HC_MEM_INFO & KCORE_FN_NUM_MASK] = hc_mem_info,
};

static bool is_kcore_call(u32 fid)
{
	return (fid & ~KCORE_FN_NUM_MASK) == KCORE_FN(0) && (fid & KCORE_FN_NUM_MASK) < KCORE_HC_COUNT;
}

static bool supported(u32 fid)
{
	return fid == KCORE_SMCCC_VERSION || fid == KCORE_SMCCC_ARCH_FEATURES || fid == KCORE_VENDOR_HYP_CALL_UID ||
	       fid == KCORE_VENDOR_HYP_REVISION || is_kcore_call(fid);
}

void hypercall_handle(u64 *x)
{
	u32 fid = (u32)x[0];

	if (is_kcore_call(fid)) {
		kcore_calls[fid & KCORE_FN_NUM_MASK](x);
		return;
	}
	switch (fid) {
	case KCORE_SMCCC_VERSION:
		x[0] = KCORE_SMCCC_VERSION_1_1;
		break;
	case KCORE_SMCCC_ARCH_FEATURES:
		x[0] = supported((u32)x[1]) ? KCORE_SMCCC_SUCCESS : (u64)KCORE_SMCCC_NOT_SUPPORTED;
		break;
	case KCORE_VENDOR_HYP_CALL_UID:
		x[0] = KCORE_UID_W0;
		x[1] = KCORE_UID_W1;
		x[2] = KCORE_UID_W2;
		x[3] = KCORE_UID_W3;
		break;
	case KCORE_VENDOR_HYP_REVISION:
		x[0] = KCORE_VERSION_MAJOR;
		x[1] = KCORE_VERSION_MINOR;
		break;
	default:
		x[0] = (u64)(s64)KCORE_SMCCC_NOT_SUPPORTED;
	}
}
