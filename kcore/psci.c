// SPDX-License-Identifier: GPL-2.0
/*
 * KServ's SMCs. PSCI calls that name an entry point (CPU_ON, CPU_SUSPEND,
 * CPU_DEFAULT_SUSPEND, SYSTEM_SUSPEND) are intercepted: KCore passes its own
 * warm entry to the firmware, so every CPU that powers on or resumes enters
 * KCore at EL2 first and only then continues at KServ's entry point at EL1.
 * Other PSCI calls and the SMCCC architecture calls a kernel needs for its
 * mitigations are forwarded; anything else is NOT_SUPPORTED.
 */
#include "arch.h"
#include "kcore.h"
#include "log.h"
#include <kcore/abi.h>

#define PSCI_FN(n) (0x84000000U | (n))
#define PSCI_FN64(n) (0xc4000000U | (n))
#define PSCI_CPU_SUSPEND 0x01U
#define PSCI_CPU_OFF 0x02U
#define PSCI_CPU_ON 0x03U
#define PSCI_CPU_DEFAULT_SUSPEND 0x0cU
#define PSCI_SYSTEM_SUSPEND 0x0eU
#define PSCI_LAST 0x1fU

#define PSCI_RET_INVALID_PARAMS (-2)
#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_RET_ON_PENDING (-5)
#define PSCI_RET_INVALID_ADDRESS (-9)

#define SMCCC_ARCH_SOC_ID 0x80000002U
#define SMCCC_ARCH_WORKAROUND_1 0x80008000U
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffU
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffU

static void firmware(u64 *x)
{
	u64 r[4] = { x[0], x[1], x[2], x[3] };

	arch_firmware_smc(r);
	x[0] = r[0];
	x[1] = r[1];
	x[2] = r[2];
	x[3] = r[3];
}

static bool kserv_entry_ok(u64 entry)
{
	return IS_ALIGNED(entry, 4) && frames_owner(&kc.frames, pa(entry)) == OWNER_KSERV;
}

static s64 cpu_on(u64 *x)
{
	int idx = platform_cpu_index(&kc.plat, x[1]);
	struct percpu *pc;
	u32 expect = CPU_OFF;
	s64 ret;

	if (idx < 0)
		return PSCI_RET_INVALID_PARAMS;
	if (!kserv_entry_ok(x[2]))
		return PSCI_RET_INVALID_ADDRESS;
	pc = &kc.cpus[idx];
	if (!__atomic_compare_exchange_n(&pc->state, &expect, CPU_ON_PENDING, false, __ATOMIC_ACQ_REL,
					 __ATOMIC_ACQUIRE))
		return expect == CPU_ON ? PSCI_RET_ALREADY_ON : PSCI_RET_ON_PENDING;
	pc->kserv_entry = x[2];
	pc->kserv_ctx = x[3];
	/* The new CPU reads its record with the MMU off. */
	arch_dcache_clean_inval_poc(pc, sizeof(*pc));
	x[2] = arch_warm_entry_pa();
	x[3] = (u64)(uintptr_t)pc; /* identity mapped: VA == PA */
	firmware(x);
	ret = (s64)x[0];
	if (ret != 0)
		__atomic_store_n(&pc->state, CPU_OFF, __ATOMIC_RELEASE);
	return ret;
}

/* Suspend calls with an entry point: @ep and @ctx index the registers. */
static s64 suspend(u64 *x, struct percpu *self, u32 ep, u32 ctx)
{
	if (!kserv_entry_ok(x[ep]))
		return PSCI_RET_INVALID_ADDRESS;
	self->kserv_entry = x[ep];
	self->kserv_ctx = x[ctx];
	arch_dcache_clean_inval_poc(self, sizeof(*self));
	x[ep] = arch_warm_entry_pa();
	x[ctx] = (u64)(uintptr_t)self;
	firmware(x);
	return (s64)x[0];
}

static s64 cpu_off(u64 *x, struct percpu *self)
{
	__atomic_store_n(&self->state, CPU_OFF, __ATOMIC_RELEASE);
	firmware(x); /* returns only on failure */
	__atomic_store_n(&self->state, CPU_ON, __ATOMIC_RELEASE);
	return (s64)x[0];
}

static bool psci_fn(u32 fid, u32 *n)
{
	*n = fid & 0xffffU;
	return (fid & ~0xffffU) == PSCI_FN(0) ? *n <= PSCI_LAST : (fid & ~0xffffU) == PSCI_FN64(0) && *n <= PSCI_LAST;
}

static bool forwarded_arch_call(u32 fid)
{
	return fid == KCORE_SMCCC_VERSION || fid == KCORE_SMCCC_ARCH_FEATURES || fid == SMCCC_ARCH_SOC_ID ||
	       fid == SMCCC_ARCH_WORKAROUND_1 || fid == SMCCC_ARCH_WORKAROUND_2 || fid == SMCCC_ARCH_WORKAROUND_3;
}

static void psci(u64 *x, struct percpu *self, u32 n)
{
	s64 ret;

	switch (n) {
	case PSCI_CPU_ON:
		ret = cpu_on(x);
		break;
	case PSCI_CPU_OFF:
		ret = cpu_off(x, self);
		break;
	case PSCI_CPU_SUSPEND:
		ret = suspend(x, self, 2, 3);
		break;
	case PSCI_CPU_DEFAULT_SUSPEND:
	case PSCI_SYSTEM_SUSPEND:
		ret = suspend(x, self, 1, 2);
		break;
	default:
		firmware(x);
		return;
	}
	x[0] = (u64)ret;
}

void smc_handle(u64 *x, struct percpu *self)
{
	u32 fid = (u32)x[0], n, i;

	if (psci_fn(fid, &n)) {
		if (!(fid & KCORE_SMCCC_64)) /* SMC32: only the low halves count */
			for (i = 0; i < 4; i++)
				x[i] &= 0xffffffffU;
		psci(x, self, n);
	} else if (forwarded_arch_call(fid))
		firmware(x);
	else
		x[0] = (u64)(s64)KCORE_SMCCC_NOT_SUPPORTED;
}
