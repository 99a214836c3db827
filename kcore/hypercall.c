// SPDX-License-Identifier: GPL-2.0
/*
 * KServ's hypercalls. Function IDs follow SMCCC: a few architecture and
 * vendor-hypervisor discovery calls, then KCore's own calls, dispatched
 * through a table indexed by the call number after a bounds check.
 */
#include "hcall_args.h"
#include "kcore.h"
#include "mem_protect.h"
#include "vm.h"
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

static void hc_frames_owned(u64 *x)
{
	u64 i, n = 0;

	if (!hc_class_ok(x[1])) {
		x[0] = (u64)-KCORE_EINVAL;
		return;
	}
	ticket_lock(&kc.frames.lock);
	for (i = 0; i < kc.frames.nframes; i++)
		n += hc_in_class(kc.frames.rec[i].owner, x[1]);
	ticket_unlock(&kc.frames.lock);
	x[0] = 0;
	x[1] = n;
}

static void hc_host_donate(u64 *x)
{
	paddr_t p = pa(x[1]);
	int err;

	ticket_lock(&kc.frames.lock);
	err = pool_can_take(&kc.pool, p, x[2]) ? mp_check_kserv(p, x[2]) : -KCORE_EINVAL;
	if (!err)
		mp_take_from_kserv(p, x[2], OWNER_KCORE);
	ticket_unlock(&kc.frames.lock);
	if (!err)
		pool_add(&kc.pool, p, x[2]);
	x[0] = (u64)(s64)err;
}

static void hc_vm_create(u64 *x)
{
	u32 handle = 0;
	int err = x[3] > VM_MAX_IPA_BITS ? -KCORE_EINVAL : vm_create(pa(x[1]), x[2], (u32)x[3], &handle);

	x[0] = (u64)(s64)err;
	x[1] = err ? 0 : handle;
}

static void hc_vm_donate(u64 *x)
{
	x[0] = (u64)(s64)vm_donate(hc_handle_arg(x[1]), pa(x[2]), x[3]);
}

static void hc_vm_destroy(u64 *x)
{
	x[0] = (u64)(s64)vm_destroy(hc_handle_arg(x[1]));
}

static void hc_vm_map(u64 *x)
{
	x[0] = (u64)(s64)vm_map_page(hc_handle_arg(x[1]), pa(x[2]), x[3]);
}

static void hc_vm_unmap(u64 *x)
{
	paddr_t p = pa(0);
	int err = vm_unmap_page(hc_handle_arg(x[1]), x[2], &p);

	x[0] = (u64)(s64)err;
	x[1] = p.v;
}

static void hc_vcpu_create(u64 *x)
{
	x[0] = (u64)(s64)vcpu_create(hc_handle_arg(x[1]), x[2]);
}

static void hc_vcpu_init(u64 *x)
{
	x[0] = (u64)(s64)vcpu_init(hc_handle_arg(x[1]), x[2], x[3], x[4]);
}

static void hc_vcpu_set_reg(u64 *x)
{
	x[0] = (u64)(s64)vcpu_set_reg(hc_handle_arg(x[1]), x[2], x[3], x[4]);
}

static void hc_vcpu_run(u64 *x)
{
	struct exit_record rec;
	int err = vcpu_run(hc_handle_arg(x[1]), x[2], x[3], &x[4], &rec);
	u32 i;

	x[0] = (u64)(s64)err;
	x[1] = err ? 0 : rec.reason;
	for (i = 0; i < 6; i++) /* x2..x7: only what this exit exposes */
		x[2 + i] = err ? 0 : rec.data[i];
	for (i = 0; i < KCORE_VGIC_LRS; i++) /* x8..x11: the list registers */
		x[8 + i] = err ? 0 : rec.lr[i];
	x[12] = err ? 0 : rec.timer_ctl;
	x[13] = err ? 0 : rec.timer_cval;
}

static void hc_gic_info(u64 *x)
{
	x[0] = 0;
	x[1] = vgic_ich_vtr;
}

static void hc_vm_set_timer(u64 *x)
{
	x[0] = (u64)(s64)vm_set_timer(hc_handle_arg(x[1]), x[2]);
}

static const hcall_fn kcore_calls[KCORE_HC_COUNT] = {
	[KCORE_HC_VERSION & KCORE_FN_NUM_MASK] = hc_version,
	[KCORE_HC_MEM_INFO & KCORE_FN_NUM_MASK] = hc_mem_info,
	[KCORE_HC_FRAMES_OWNED & KCORE_FN_NUM_MASK] = hc_frames_owned,
	[KCORE_HC_HOST_DONATE & KCORE_FN_NUM_MASK] = hc_host_donate,
	[KCORE_HC_VM_CREATE & KCORE_FN_NUM_MASK] = hc_vm_create,
	[KCORE_HC_VM_DONATE & KCORE_FN_NUM_MASK] = hc_vm_donate,
	[KCORE_HC_VM_DESTROY & KCORE_FN_NUM_MASK] = hc_vm_destroy,
	[KCORE_HC_VM_MAP & KCORE_FN_NUM_MASK] = hc_vm_map,
	[KCORE_HC_VM_UNMAP & KCORE_FN_NUM_MASK] = hc_vm_unmap,
	[KCORE_HC_VCPU_CREATE & KCORE_FN_NUM_MASK] = hc_vcpu_create,
	[KCORE_HC_VCPU_INIT & KCORE_FN_NUM_MASK] = hc_vcpu_init,
	[KCORE_HC_VCPU_RUN & KCORE_FN_NUM_MASK] = hc_vcpu_run,
	[KCORE_HC_GIC_INFO & KCORE_FN_NUM_MASK] = hc_gic_info,
	[KCORE_HC_VM_SET_TIMER & KCORE_FN_NUM_MASK] = hc_vm_set_timer,
	[KCORE_HC_VCPU_SET_REG & KCORE_FN_NUM_MASK] = hc_vcpu_set_reg,
};

static bool supported(u32 fid)
{
	return fid == KCORE_SMCCC_VERSION || fid == KCORE_SMCCC_ARCH_FEATURES || fid == KCORE_VENDOR_HYP_CALL_UID ||
	       fid == KCORE_VENDOR_HYP_REVISION || hc_is_kcore_call(fid);
}

void hypercall_handle(u64 *x)
{
	u32 fid = (u32)x[0];

	if (hc_is_kcore_call(fid)) {
		kcore_calls[hc_index(fid)](x); /* < KCORE_HC_COUNT (proved) */
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
