// SPDX-License-Identifier: GPL-2.0
/* KCore's global state and the layout of its carve-out. */
#include "arch.h"
#include "kcore.h"
#include "lib.h"
#include "log.h"

struct kcore kc;

void kcore_carveout_pool(u64 carve_base, const struct carveout_plan *plan)
{
	u64 pool_base = carve_base + plan->image_size + plan->frames_size + plan->percpu_size;

	kc.carve_base = carve_base;
	kc.carve_size = plan->total;
	pool_init(&kc.pool);
	pool_add(&kc.pool, pa(pool_base), plan->pool_size >> PAGE_SHIFT);
}

static void percpu_init(const struct carveout_plan *plan)
{
	u64 base = kc.carve_base + plan->image_size + plan->frames_size;
	u64 stacks = base + ALIGN_UP(kc.plat.ncpus * sizeof(struct percpu), PAGE_SIZE);
	u32 i;

	kc.cpus = arch_pa_to_va(pa(base));
	for (i = 0; i < kc.plat.ncpus; i++) {
		struct percpu *pc = &kc.cpus[i];

		kc_memset(pc, 0, sizeof(*pc));
		pc->index = i;
		pc->mpidr = kc.plat.cpu_mpidr[i];
		pc->stack_top = (u64)(uintptr_t)arch_pa_to_va(pa(stacks + (i + 1) * KCORE_STACK_SIZE));
	}
}

int kcore_carveout_records(const struct carveout_plan *plan)
{
	struct frame *rec = arch_pa_to_va(pa(kc.carve_base + plan->image_size));
	int err;

	KC_CHECK(ALIGN_UP(kc.plat.ncpus * sizeof(struct percpu), PAGE_SIZE) + (u64)kc.plat.ncpus * KCORE_STACK_SIZE <=
		 plan->percpu_size);
	kc_memset(rec, 0, plan->frames_size);
	err = frames_init(&kc.frames, kc.plat.mem, kc.plat.nmem, rec);
	if (err)
		return err;
	err = frames_set_owner(&kc.frames, pa(kc.carve_base), kc.carve_size, OWNER_KCORE);
	if (err)
		return err;
	percpu_init(plan);
	return 0;
}
