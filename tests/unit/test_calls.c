// SPDX-License-Identifier: GPL-2.0
/* Hypercall dispatch and the PSCI relay. */
#include "fixture.h"
#include "harness.h"
#include "kcore.h"
#include <kcore/abi.h>

static void call(u64 *x, u64 fid, u64 a1)
{
	memset(x, 0, 8 * sizeof(*x));
	x[0] = fid;
	x[1] = a1;
	x[5] = 0x5555;
	hypercall_handle(x);
}

TEST(hypercall_discovery)
{
	u64 x[8];

	call(x, KCORE_VENDOR_HYP_CALL_UID, 0);
	CHECK_EQ(x[0], KCORE_UID_W0);
	CHECK_EQ(x[3], KCORE_UID_W3);
	call(x, KCORE_SMCCC_VERSION, 0);
	CHECK_EQ(x[0], 0x10001);
	call(x, KCORE_VENDOR_HYP_REVISION, 0);
	CHECK_EQ(x[0], KCORE_VERSION_MAJOR);
	CHECK_EQ(x[1], KCORE_VERSION_MINOR);
	call(x, KCORE_HC_VERSION, 0);
	CHECK_EQ(x[0], 0);
	CHECK_EQ(x[1], (KCORE_VERSION_MAJOR << 16) | KCORE_VERSION_MINOR);
	CHECK_EQ(x[2], KCORE_HC_COUNT);
	call(x, KCORE_SMCCC_ARCH_FEATURES, KCORE_HC_MEM_INFO);
	CHECK_EQ(x[0], 0);
	call(x, KCORE_SMCCC_ARCH_FEATURES, KCORE_FN(KCORE_HC_COUNT));
	CHECK_EQ(x[0], (u64)-1);
	CHECK_EQ(x[5], 0x5555); /* untouched */
}

TEST(hypercall_rejects_unknown_ids)
{
	static const u64 bad[] = {
		KCORE_FN(KCORE_HC_COUNT),
		KCORE_FN(0xffff),
		0xc6010000,
		0x86000000,
		0x8600ff00,
		0xc4000003,
		0x84000000,
		0x0,
		0xffffffff,
		0xc7000000,
		0x46000000,
	};
	u64 x[8];
	u32 i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		call(x, bad[i], 0);
		CHECK_EQ(x[0], (u64)(s64)KCORE_SMCCC_NOT_SUPPORTED);
	}
	/* The function ID is w0: upper bits of x0 are ignored. */
	call(x, 0xdead000000000000UL | KCORE_HC_VERSION, 0);
	CHECK_EQ(x[0], 0);
}

static void two_cpus(void)
{
	fixture_machine(16 << 20, 0x100);
}

static void smc(u64 *x, u64 a0, u64 a1, u64 a2, u64 a3)
{
	x[0] = a0;
	x[1] = a1;
	x[2] = a2;
	x[3] = a3;
	smc_handle(x, &kc.cpus[0]);
}

TEST(psci_cpu_on_enters_kcore_first)
{
	u64 x[8] = { 0 };

	two_cpus();
	smc(x, 0xc4000003, 0x80000100, ram(0x81000), 0x1234);
	CHECK_EQ(x[0], 0);
	CHECK_EQ(fake.nsmc, 1);
	CHECK_EQ(fake.smc[0][0], 0xc4000003);
	CHECK_EQ(fake.smc[0][1], 0x80000100);
	CHECK_EQ(fake.smc[0][2], FAKE_WARM_ENTRY);	       /* not KServ's entry */
	CHECK_EQ(fake.smc[0][3], (u64)(uintptr_t)&kc.cpus[1]); /* its record */
	CHECK_EQ(kc.cpus[1].kserv_entry, ram(0x81000));
	CHECK_EQ(kc.cpus[1].kserv_ctx, 0x1234);
	CHECK_EQ(kc.cpus[1].state, CPU_ON_PENDING);
	CHECK(fake.cache_cleans > 0); /* read with the MMU off */
	smc(x, 0xc4000003, 0x100, ram(0x81000), 0);
	CHECK_EQ(x[0], (u64)-5); /* ON_PENDING */
	CHECK_EQ(fake.nsmc, 1);
}

TEST(psci_cpu_on_checks_arguments)
{
	u64 x[8] = { 0 };

	two_cpus();
	smc(x, 0xc4000003, 0x200, ram(0x81000), 0);
	CHECK_EQ(x[0], (u64)-2); /* no such CPU */
	smc(x, 0xc4000003, 0x100, ram(0xe00000), 0);
	CHECK_EQ(x[0], (u64)-9); /* entry in KCore's memory */
	smc(x, 0xc4000003, 0x100, 0x9000000, 0);
	CHECK_EQ(x[0], (u64)-9); /* entry not in RAM */
	smc(x, 0xc4000003, 0x100, ram(0x81002), 0);
	CHECK_EQ(x[0], (u64)-9); /* misaligned */
	smc(x, 0xc4000003, 0x0, ram(0x81000), 0);
	CHECK_EQ(x[0], (u64)-4); /* already on */
	CHECK_EQ(fake.nsmc, 0);
	/* The firmware refuses: the CPU is off again and may be retried. */
	fake.smc_ret = -2;
	smc(x, 0xc4000003, 0x100, ram(0x81000), 0);
	CHECK_EQ(x[0], (u64)-2);
	CHECK_EQ(kc.cpus[1].state, CPU_OFF);
	/* SMC32 calls: only the low halves of the arguments count. */
	smc(x, 0x84000004, 0xffffffff00000100UL, 0, 0); /* AFFINITY_INFO */
	CHECK_EQ(fake.smc[1][1], 0x100);
	smc(x, 0x84000003, 0x100, 0xffffffff00000000UL | ram(0x81000), 0);
	CHECK_EQ(x[0], (u64)-9); /* the truncated entry is not KServ's RAM */
}

TEST(psci_suspend_and_forwarding)
{
	u64 x[8] = { 0 };

	two_cpus();
	smc(x, 0xc4000001, 0x10000, ram(0x82000), 0x77);
	CHECK_EQ(fake.smc[0][2], FAKE_WARM_ENTRY);
	CHECK_EQ(kc.cpus[0].kserv_entry, ram(0x82000));
	CHECK_EQ(kc.cpus[0].kserv_ctx, 0x77);
	smc(x, 0xc400000e, ram(0x83000), 0x88, 0); /* SYSTEM_SUSPEND */
	CHECK_EQ(fake.smc[1][1], FAKE_WARM_ENTRY);
	CHECK_EQ(kc.cpus[0].kserv_entry, ram(0x83000));
	smc(x, 0x84000000, 0, 0, 0); /* PSCI_VERSION: forwarded untouched */
	CHECK_EQ(fake.nsmc, 3);
	CHECK_EQ(fake.smc[2][0], 0x84000000);
	smc(x, 0x80008000, 0, 0, 0); /* ARCH_WORKAROUND_1: forwarded */
	CHECK_EQ(fake.nsmc, 4);
	smc(x, 0xc2000000, 0, 0, 0); /* a SiP call: not forwarded */
	CHECK_EQ(x[0], (u64)-1);
	smc(x, 0x84000050, 0, 0, 0); /* outside PSCI's range */
	CHECK_EQ(x[0], (u64)-1);
	CHECK_EQ(fake.nsmc, 4);
}
