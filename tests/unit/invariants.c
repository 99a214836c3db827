// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>

#include "fixture.h"
#include "invariants.h"
#include "vm.h"

static int violations;

static void violation(const char *what, u64 a, u64 b)
{
	if (violations++ < 10)
		printf("    invariant: %s (0x%lx, 0x%lx)\n", what, a, b);
}

static void walk(u64 table_pa, u32 level, u64 ia, leaf_fn fn, void *ctx)
{
	const u64 *t = arch_pa_to_va(pa(table_pa));
	u32 i;

	for (i = 0; i < 512; i++) {
		u64 e = t[i], sub = ia + ((u64)i << pt_shift(level));

		if (!(e & PTE_VALID))
			continue;
		if (level < 3 && (e & PTE_TYPE_TABLE))
			walk(e & PTE_OA_MASK, level + 1, sub, fn, ctx);
		else
			fn(ctx, sub, e & PTE_OA_MASK, pt_level_size(level));
	}
}

void walk_leaves(const struct pgtable *pt, leaf_fn fn, void *ctx)
{
	walk(pt->root.v, pt->start_level, 0, fn, ctx);
}

static void host_leaf(void *ctx, u64 ia, u64 p, u64 size)
{
	u64 off;

	if (ia != p)
		violation("KServ's stage-2 is not an identity map", ia, p);
	for (off = 0; off < size; off += PAGE_SIZE) {
		u16 o = frames_owner(&kc.frames, pa(p + off));

		if (o != OWNER_KSERV && o != OWNER_NOT_RAM)
			violation("KServ's stage-2 maps a frame it does not own", p + off, o);
	}
}

static void vm_leaf(void *ctx, u64 ia, u64 p, u64 size)
{
	u32 h = *(const u32 *)ctx;
	u64 off;

	for (off = 0; off < size; off += PAGE_SIZE)
		if (frames_owner(&kc.frames, pa(p + off)) != owner_vm(h))
			violation("a VM's stage-2 maps a frame the VM does not own", h, p + off);
}

int check_invariants(void)
{
	u64 i;
	u32 h;

	violations = 0;
	walk_leaves(&kc.host.pt, host_leaf, NULL);
	for (h = 0; h < KCORE_MAX_VMS; h++) {
		struct vm *vm = vm_lookup(h);

		if (vm)
			walk_leaves(&vm->s2, vm_leaf, &h);
	}
	for (i = 0; i < kc.frames.nframes; i++) {
		u16 o = kc.frames.rec[i].owner;

		if (owner_is_vm(o) && !vm_lookup(o - OWNER_VM_FIRST))
			violation("a frame belongs to a dead VM", i, o);
		else if (o >= OWNER_META_FIRST && owner_is_kcore(o) && !vm_lookup(o - OWNER_META_FIRST))
			violation("a metadata frame belongs to a dead VM", i, o);
		else if (o != OWNER_KSERV && o != OWNER_KCORE && !owner_is_vm(o) && !owner_is_kcore(o))
			violation("a frame has an unknown owner", i, o);
	}
	return violations;
}
