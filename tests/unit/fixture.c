// SPDX-License-Identifier: GPL-2.0
/* A small machine for tests of KCore's global state. */
#include <stdlib.h>

#include "fixture.h"
#include "harness.h"

u64 fixture_ram;

void fixture_machine(u64 ram_size, u64 cpu1_mpidr)
{
	static struct frame *rec;
	static struct percpu cpus[2];
	static void *pool_mem;

	free(rec);
	free(pool_mem);
	free((void *)(uintptr_t)fixture_ram);
	rec = calloc(ram_size >> PAGE_SHIFT, sizeof(*rec));
	fixture_ram = (u64)(uintptr_t)aligned_alloc(SZ_2M, ram_size);
	memset((void *)(uintptr_t)fixture_ram, 0xee, ram_size); /* KServ's old data */
	memset(&kc, 0, sizeof(kc));
	memset(cpus, 0, sizeof(cpus));
	fake_reset();
	vgic_nr_lrs = 4;
	kc.plat.mem[0] = (struct range){ fixture_ram, ram_size };
	kc.plat.nmem = 1;
	kc.pa_bits = 48;
	kc.plat.ncpus = 2;
	kc.plat.cpu_mpidr[1] = cpu1_mpidr;
	kc.carve_base = fixture_ram + ram_size - SZ_2M;
	kc.carve_size = SZ_2M;
	kc.cpus = cpus;
	cpus[0].state = CPU_ON;
	cpus[1].index = 1;
	pool_mem = fake_pool(&kc.pool, 64);
	CHECK_EQ(frames_init(&kc.frames, kc.plat.mem, 1, rec), 0);
	CHECK_EQ(frames_set_owner(&kc.frames, pa(kc.carve_base), kc.carve_size, OWNER_KCORE), 0);
	CHECK_EQ(host_s2_init(48), 0);
}
