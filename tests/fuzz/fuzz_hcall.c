// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: a hostile KServ (and guests, through vCPU exits) issuing
 * sequences of calls with arbitrary arguments against KCore's host build.
 * After every call the machine-wide invariants must hold:
 *  - every frame has one owner, and KServ's and each VM's stage-2 map only
 *    frames they may map; KCore's frames are in no stage-2 (invariants.c);
 *  - a frame that comes back to KServ is zero;
 *  - a translation that changed or went away was covered by a TLB
 *    invalidation of its VMID (by address or the whole VMID).
 * Any violation, sanitizer report or KC_CHECK failure is a crash.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "invariants.h"
#include "vm.h"
#include <kcore/abi.h>

/* fixture.c reports set-up failures through the unit-test harness. */
int unit_failures;

#define RAM_SIZE (8UL << 20)
#define NPAGES (RAM_SIZE >> PAGE_SHIFT)
#define MAX_LEAVES 4096

struct input {
	const u8 *p;
	size_t n;
};

static u64 take(struct input *in, u32 bytes)
{
	u64 v = 0;

	while (bytes--) {
		v = v << 8 | (in->n ? *in->p : 0);
		if (in->n) {
			in->p++;
			in->n--;
		}
	}
	return v;
}

/* An argument: raw, or shaped to reach deeper checks. */
static u64 arg(struct input *in)
{
	switch (take(in, 1) & 7) {
	case 0:
		return take(in, 8);
	case 1:
		return ram(PAGE_SIZE * (take(in, 2) % NPAGES)); /* a RAM page */
	case 2:
		return take(in, 1) & 15; /* handles, indices, counts */
	case 3:
		return take(in, 2) << PAGE_SHIFT; /* an IPA */
	case 4:
		return kc.carve_base + PAGE_SIZE * (take(in, 1) % 512); /* KCore's */
	case 5:
		return 30 + take(in, 1) % 21; /* IPA sizes */
	default:
		return take(in, 1);
	}
}

/* --- the oracle: translations before and after, and frames given away --- */

struct leaf {
	u16 vmid;
	u64 ia, size, pa;
};
static struct leaf before[MAX_LEAVES], after[MAX_LEAVES];
static u32 nbefore, nafter;
static u8 taken[NPAGES];

struct collect {
	struct leaf *out;
	u32 *n;
	u16 vmid;
};

static void collect_leaf(void *ctx, u64 ia, u64 p, u64 size)
{
	struct collect *c = ctx;

	if (*c->n < MAX_LEAVES)
		c->out[(*c->n)++] = (struct leaf){ c->vmid, ia, size, p };
}

static void snapshot(struct leaf *out, u32 *n)
{
	u32 h;

	struct collect c = { out, n, 0 };

	*n = 0;
	walk_leaves(&kc.host.pt, collect_leaf, &c);
	for (h = 0; h < KCORE_MAX_VMS; h++) {
		struct vm *vm = vm_lookup(h);

		if (vm) {
			c.vmid = vm->vmid;
			walk_leaves(&vm->s2, collect_leaf, &c);
		}
	}
}

/* Where @vmid translates @ia to now, or ~0. */
static u64 translation(u16 vmid, u64 ia)
{
	u32 i;

	for (i = 0; i < nafter; i++)
		if (after[i].vmid == vmid && ia >= after[i].ia && ia - after[i].ia < after[i].size)
			return after[i].pa + (ia - after[i].ia);
	return ~0UL;
}

static bool invalidated(const struct leaf *l)
{
	u32 i;

	for (i = 0; i < fake.ntlbi && i < FAKE_MAX_TLBI; i++) {
		const struct tlbi_rec *t = &fake.tlbi[i];

		if (t->vmid == l->vmid && (t->kind == TLBI_S2_VMID || (t->kind == TLBI_S2_IPA && t->addr == l->ia)))
			return true;
	}
	return false;
}

static void check_tlbi(void)
{
	u32 i;

	snapshot(after, &nafter);
	for (i = 0; i < nbefore; i++) {
		const struct leaf *l = &before[i];
		u64 off, step = l->size > SZ_2M ? l->size : PAGE_SIZE; /* big blocks: MMIO, never changed */

		for (off = 0; off < l->size; off += step)
			if (translation(l->vmid, l->ia + off) != l->pa + off && !invalidated(l)) {
				fprintf(stderr, "VMID %u IPA 0x%lx changed without a TLB invalidation\n", l->vmid,
					l->ia + off);
				abort();
			}
	}
}

static void check_returned_zero(void)
{
	u64 i;

	for (i = 0; i < NPAGES; i++) {
		u16 o = kc.frames.rec[i].owner;
		const u64 *p = (const u64 *)(uintptr_t)ram(i * PAGE_SIZE);
		u32 j;

		if (o != OWNER_KSERV) {
			taken[i] = 1;
			continue;
		}
		if (!taken[i])
			continue;
		for (j = 0; j < PAGE_SIZE / 8; j++)
			if (p[j]) {
				fprintf(stderr, "frame 0x%lx came back to KServ holding data\n", ram(i * PAGE_SIZE));
				abort();
			}
		taken[i] = 0;
	}
}

/* --- the calls --- */

static const u32 kcore_fns[] = {
	KCORE_HC_VERSION,   KCORE_HC_MEM_INFO,	 KCORE_HC_FRAMES_OWNED, KCORE_HC_HOST_DONATE,  KCORE_HC_VM_CREATE,
	KCORE_HC_VM_DONATE, KCORE_HC_VM_DESTROY, KCORE_HC_VM_MAP,	KCORE_HC_VM_UNMAP,     KCORE_HC_VCPU_CREATE,
	KCORE_HC_VCPU_INIT, KCORE_HC_VCPU_RUN,	 KCORE_HC_GIC_INFO,	KCORE_HC_VM_SET_TIMER, KCORE_HC_VCPU_SET_REG,
};
_Static_assert(sizeof(kcore_fns) / sizeof(kcore_fns[0]) == KCORE_HC_COUNT, "every KCore call is fuzzed");

static void one_call(struct input *in)
{
	u64 x[31] = { 0 };
	u32 op = (u32)take(in, 1), i;

	for (i = 1; i < 14; i++)
		x[i] = arg(in);
	if (op < 0xe0) {
		x[0] = kcore_fns[op % ARRAY_SIZE(kcore_fns)];
		/* What the guest does if this runs a vCPU. */
		fake.next_exit = (struct raw_exit){ take(in, 1) % 4, take(in, 8), take(in, 8), take(in, 8) };
		hypercall_handle(x);
	} else if (op < 0xf0) {
		x[0] = take(in, 4); /* any function ID */
		hypercall_handle(x);
	} else if (op < 0xf8) {
		u16 owner;

		(void)host_s2_fault(arg(in), &owner); /* KServ touching memory */
	} else {
		x[0] = 0x84000000U | (take(in, 1) & 0x1f) | (take(in, 1) & 1 ? 0x40000000U : 0);
		smc_handle(x, &kc.cpus[0]);
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	u32 calls = 0;

	fixture_machine(RAM_SIZE, 1);
	if (unit_failures)
		abort();
	memset(taken, 0, sizeof(taken));
	while (in.n && calls++ < 64) {
		snapshot(before, &nbefore);
		fake.ntlbi = 0;
		one_call(&in);
		if (check_invariants())
			abort();
		check_tlbi();
		check_returned_zero();
	}
	return 0;
}
