// SPDX-License-Identifier: GPL-2.0
/*
 * The memory-model checker: KCore's update sequences, each run against
 * every interleaving of two adversary CPUs (model.c), first as KCore does
 * them and then with each seeded bug. Passes when no scenario shows a
 * violation without a seeded bug, and every seeded bug is caught by at least
 * one scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kcore.h"
#include "model.h"
#include <kcore/abi.h>

#define RAM_SIZE (4 * SZ_2M) /* the top 2 MiB is KCore's carve-out */
#define POOL_PAGES 64

static u64 ram_base;

static u64 ram(u64 off)
{
	return ram_base + off;
}

#define DATA0 ram(0x10000)
#define DATA1 ram(0x11000)
#define META0 ram(0x20000) /* 8 pages each: a VM's record and table pool */
#define META1 ram(0x28000)
#define IPA_A 0x1000UL
#define IPA_B 0x2000UL

/* A fresh machine: RAM full of KServ's data, KCore's records, KServ's
 * stage-2 mapping the RAM below the carve-out with 2 MiB blocks. */
static void machine(void)
{
	static struct frame *rec;
	static void *ram_mem, *pool_mem;

	model_active = false;
	free(rec);
	free(ram_mem);
	free(pool_mem);
	rec = calloc(RAM_SIZE >> PAGE_SHIFT, sizeof(*rec));
	ram_mem = aligned_alloc(SZ_2M, RAM_SIZE);
	pool_mem = aligned_alloc(PAGE_SIZE, POOL_PAGES * PAGE_SIZE);
	if (!rec || !ram_mem || !pool_mem)
		exit(2);
	ram_base = (u64)(uintptr_t)ram_mem;
	memset(ram_mem, 0xee, RAM_SIZE);
	memset(&kc, 0, sizeof(kc));
	kc.plat.mem[0] = (struct range){ ram_base, RAM_SIZE };
	kc.plat.nmem = 1;
	kc.pa_bits = 48;
	kc.carve_base = ram_base + RAM_SIZE - SZ_2M;
	kc.carve_size = SZ_2M;
	pool_init(&kc.pool);
	pool_add(&kc.pool, pa((u64)(uintptr_t)pool_mem), POOL_PAGES);
	if (frames_init(&kc.frames, kc.plat.mem, 1, rec) ||
	    frames_set_owner(&kc.frames, pa(kc.carve_base), kc.carve_size, OWNER_KCORE) || host_s2_init(48)) {
		fprintf(stderr, "model: the machine did not boot\n");
		exit(2);
	}
}

static bool scenario_ok;

static u64 hc(const char *what, u64 fid, u64 a1, u64 a2, u64 a3)
{
	u64 x[8] = { fid, a1, a2, a3 };

	model_op_begin(what);
	hypercall_handle(x);
	if (x[0]) {
		fprintf(stderr, "model: scenario step %s returned %ld\n", what, (long)x[0]);
		scenario_ok = false;
	}
	model_op_end();
	return x[1];
}

/* KServ touches @p after KCore gave it back: its stage-2 fault. */
static void kserv_fault(const char *what, u64 p)
{
	u16 owner;

	model_op_begin(what);
	if (host_s2_fault(p, &owner) != S2_FAULT_HANDLED) {
		fprintf(stderr, "model: scenario step %s was refused\n", what);
		scenario_ok = false;
	}
	model_op_end();
}

/* The scenario took the path it is meant to: KServ maps @p with a 2 MiB block. */
static void expect_host_block(u64 p)
{
	paddr_t out;
	u32 level;
	u64 pte;

	if (!pt_lookup(&kc.host.pt, p, &out, &level, &pte) || level != 2) {
		fprintf(stderr, "model: KServ's stage-2 does not map 0x%lx with a block\n", (unsigned long)p);
		scenario_ok = false;
	}
}

static const u64 vm_ipas[] = { IPA_A, IPA_B };

static void create_vm(u64 meta)
{
	u64 h = hc("VM_CREATE", KCORE_HC_VM_CREATE, meta, 8, 32);

	model_vm_created((u32)h, vm_ipas, 2);
}

static void sc_host_donate(void)
{
	model_track(pa(DATA0));
	model_track(pa(DATA1));
	hc("HOST_DONATE", KCORE_HC_HOST_DONATE, DATA0, 1, 0);
}

/* The frames the VM scenarios watch: two guest pages and the VM's record. */
static void track_vm_frames(void)
{
	model_track(pa(DATA0));
	model_track(pa(DATA1));
	model_track(pa(META0));
}

static void two_pages_in_a_vm(void)
{
	track_vm_frames();
	create_vm(META0);
	hc("VM_MAP A", KCORE_HC_VM_MAP, 0, DATA0, IPA_A);
	hc("VM_MAP B", KCORE_HC_VM_MAP, 0, DATA1, IPA_B);
}

static void sc_vm_map(void)
{
	two_pages_in_a_vm();
}

static void sc_vm_unmap(void)
{
	two_pages_in_a_vm();
	hc("VM_UNMAP A", KCORE_HC_VM_UNMAP, 0, IPA_A, 0);
	kserv_fault("KServ's fault on the unmapped page", DATA0);
}

static void sc_vm_destroy(void)
{
	two_pages_in_a_vm();
	hc("VM_DONATE", KCORE_HC_VM_DONATE, 0, META1, 1);
	model_vm_stopping(0);
	hc("VM_DESTROY", KCORE_HC_VM_DESTROY, 0, 0, 0);
	/* Every frame of the 2 MiB block is KServ's again: the fault maps the
	 * block, replacing the table that the first donation split it into. */
	kserv_fault("KServ's fault on page A", DATA0);
	kserv_fault("KServ's fault on the donated page", META1);
	expect_host_block(DATA0);
}

static void sc_vmid_reuse(void)
{
	track_vm_frames();
	create_vm(META0);
	hc("VM_MAP A (first VM)", KCORE_HC_VM_MAP, 0, DATA0, IPA_A);
	model_vm_stopping(0);
	hc("VM_DESTROY (first VM)", KCORE_HC_VM_DESTROY, 0, 0, 0);
	create_vm(META1); /* handle 0 again, so the same VMID */
	hc("VM_MAP B (second VM)", KCORE_HC_VM_MAP, 0, DATA1, IPA_B);
}

static const struct {
	const char *name;
	void (*run)(void);
} scenarios[] = {
	{ "host_donate", sc_host_donate }, { "vm_map", sc_vm_map },	    { "vm_unmap", sc_vm_unmap },
	{ "vm_destroy", sc_vm_destroy },   { "vmid_reuse", sc_vmid_reuse },
};

static const struct {
	const char *name;
	enum model_bug bug;
} bugs[] = {
	{ "none", BUG_NONE },
	{ "no TLB invalidation by IPA", BUG_NO_TLBI_IPA },
	{ "no TLB invalidation of a VMID", BUG_NO_TLBI_VMID },
	{ "no cache clean to PoC", BUG_NO_CLEAN },
	{ "no scrub of returned pages", BUG_NO_SCRUB },
};

/* Run one scenario with @bug; 1 if it showed a violation, 0 if not, -1 if
 * the scenario itself went wrong. */
static int run(u32 sc, u32 b)
{
	const char *v;

	model_bug = bugs[b].bug;
	scenario_ok = true;
	machine();
	model_begin();
	scenarios[sc].run();
	v = model_violation();
	printf("model: %-12s bug=%-30s %s: %s [%lu steps, %lu states, at most %lu at once]\n", scenarios[sc].name,
	       bugs[b].name, v ? "VIOLATION" : "holds", v ? v : "every interleaving checked",
	       (unsigned long)model_stats.steps, (unsigned long)model_stats.states,
	       (unsigned long)model_stats.max_states);
	if (!scenario_ok && !v)
		return -1;
	return v != NULL;
}

int main(void)
{
	u32 sc, b, failures = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (b = 0; b < ARRAY_SIZE(bugs); b++) {
		u32 caught = 0;

		for (sc = 0; sc < ARRAY_SIZE(scenarios); sc++) {
			int r = run(sc, b);

			if (r < 0 || (b == 0 && r != 0)) {
				printf("model: FAIL %s must hold with KCore's real sequences\n", scenarios[sc].name);
				failures++;
			}
			caught += r > 0;
		}
		if (b && !caught) {
			printf("model: FAIL the seeded bug \"%s\" went unnoticed\n", bugs[b].name);
			failures++;
		}
	}
	printf("model: %s\n", failures ? "FAILED" : "KCore's sequences hold; every seeded bug was caught");
	return failures ? 1 : 0;
}
