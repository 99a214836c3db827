// SPDX-License-Identifier: GPL-2.0
/*
 * kcore_probe: a deliberately hostile KServ module for the integration tests.
 *
 * Writing a command to /proc/kcore_probe makes the kernel do it at once, in
 * the writer's context:
 *   read PA       map physical address PA and load 8 bytes from it
 *   write PA VAL  map PA and store the 8-byte VAL there
 *   hvc           ask KCore for its version (KCORE_HC_VERSION)
 *   meminfo       ask KCore where its carve-out is (KCORE_HC_MEM_INFO)
 *   call FID      issue an arbitrary hypercall with function ID FID
 *   owned CLASS   count the frames of an owner class (KCORE_HC_FRAMES_OWNED)
 *   vmcreate N    allocate N (a power of two) contiguous pages and create a VM
 *                 with them as its metadata
 *   vmmap H IPA   allocate a page, fill it with 0xa5, map it into VM H at IPA
 *   vmmapat H PA IPA  ask KCore to map an arbitrary PA into VM H
 *   vmunmap H IPA take the page at IPA back and check it reads as zeros
 *   vmdestroy H   destroy VM H, check every page it had reads as zeros, free them
 *   vmrun H       run a small bare-metal guest in VM H (vCPU 0) and answer its
 *                 exits as a VMM would: HVC, MMIO write, MMIO read, WFI
 *   vmirq H       run a guest that takes a virtual interrupt KServ injects
 *                 through the vGIC list registers
 *   vmsys H       run a guest whose system register accesses trap
 *   vmload H      run a guest that loads from IPA 0x2000 and reports it (HVC)
 *   vmpac H       run a guest that reads and sets a pointer authentication key
 *   vmfp H        run a guest that reads and sets its FP/SIMD register d0 while
 *                 KServ holds its own value in d0 across every VCPU_RUN
 *   vmtamper H    answer exits that never happened, replay answers, and
 *                 inject bad list registers; print what KCore said
 *   storm A B N   run a memory workload N times in VMs A and B at once while
 *                 every CPU issues malformed hypercalls; check every result
 *   readnc PA     read PA through a non-cacheable (device) mapping
 *   race A B N    N rounds: every CPU at once maps one fresh page, into VM A
 *                 or VM B at its own IPA; exactly one may succeed
 * Results go to the kernel log as "kcore_probe: ..." lines. A read or write
 * of memory KServ does not own must never complete: KCore makes it abort,
 * so the "value=" line for it is never printed.
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/gfp.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/smp.h>
#include <linux/vmalloc.h>
#include <linux/uaccess.h>

#include <asm/neon.h>
#include <asm/sysreg.h>

#include <kcore/abi.h>

static void probe_read(phys_addr_t pa)
{
	void __iomem *p = ioremap_cache(pa & PAGE_MASK, PAGE_SIZE);
	u64 v;

	if (!p) {
		pr_info("kcore_probe: cannot map %pa\n", &pa);
		return;
	}
	pr_info("kcore_probe: reading PA 0x%llx\n", (u64)pa);
	v = readq(p + offset_in_page(pa));
	pr_info("kcore_probe: read PA 0x%llx value=0x%llx\n", (u64)pa, v);
	iounmap(p);
}

static void probe_write(phys_addr_t pa, u64 val)
{
	void __iomem *p = ioremap_cache(pa & PAGE_MASK, PAGE_SIZE);

	if (!p) {
		pr_info("kcore_probe: cannot map %pa\n", &pa);
		return;
	}
	pr_info("kcore_probe: writing PA 0x%llx\n", (u64)pa);
	writeq(val, p + offset_in_page(pa));
	pr_info("kcore_probe: wrote PA 0x%llx value=0x%llx\n", (u64)pa, val);
	iounmap(p);
}

static void probe_call(u32 fid)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(fid, &res);
	pr_info("kcore_probe: call 0x%x -> x0=0x%lx x1=0x%lx x2=0x%lx x3=0x%lx\n", fid, res.a0, res.a1, res.a2, res.a3);
}

/* Pages this module gave to VMs, so that it can check and free them. */
#define MAX_VMS 8
#define MAX_GUEST_PAGES 64
struct probe_vm {
	bool live;
	struct page *meta;
	unsigned int meta_order;
	struct page *guest[MAX_GUEST_PAGES];
	u64 guest_ipa[MAX_GUEST_PAGES];
};
static struct probe_vm vms[MAX_VMS];

static struct arm_smccc_res hc(u32 fid, u64 a1, u64 a2, u64 a3)
{
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(fid, a1, a2, a3, &res);
	return res;
}

static bool page_zero(struct page *pg)
{
	const u64 *p = page_address(pg);
	unsigned int i;

	for (i = 0; i < PAGE_SIZE / 8; i++)
		if (p[i])
			return false;
	return true;
}

static void probe_vmcreate(unsigned int n)
{
	unsigned int order = ilog2(n);
	struct page *meta = alloc_pages(GFP_KERNEL | __GFP_ZERO, order);
	struct arm_smccc_res res;

	if (!meta || (1U << order) != n)
		return;
	res = hc(KCORE_HC_VM_CREATE, page_to_phys(meta), n, 40);
	pr_info("kcore_probe: vmcreate pa=0x%llx pages=%u -> x0=%ld handle=%lu\n", (u64)page_to_phys(meta), n,
		(long)res.a0, res.a1);
	if (res.a0 || res.a1 >= MAX_VMS) {
		if (!res.a0)
			hc(KCORE_HC_VM_DESTROY, res.a1, 0, 0);
		__free_pages(meta, order);
		return;
	}
	vms[res.a1] = (struct probe_vm){ .live = true, .meta = meta, .meta_order = order };
}

static void probe_vmmap(u64 h, u64 ipa)
{
	struct page *pg = alloc_page(GFP_KERNEL);
	struct arm_smccc_res res;
	unsigned int i;

	if (!pg || h >= MAX_VMS || !vms[h].live)
		goto out;
	memset(page_address(pg), 0xa5, PAGE_SIZE);
	for (i = 0; i < MAX_GUEST_PAGES && vms[h].guest[i]; i++)
		;
	if (i == MAX_GUEST_PAGES)
		goto out;
	res = hc(KCORE_HC_VM_MAP, h, page_to_phys(pg), ipa);
	pr_info("kcore_probe: vmmap handle=%llu pa=0x%llx ipa=0x%llx -> x0=%ld\n", h, (u64)page_to_phys(pg), ipa,
		(long)res.a0);
	if (!res.a0) {
		vms[h].guest[i] = pg;
		vms[h].guest_ipa[i] = ipa;
		return;
	}
out:
	if (pg)
		__free_page(pg);
}

static void probe_vmunmap(u64 h, u64 ipa)
{
	struct arm_smccc_res res = hc(KCORE_HC_VM_UNMAP, h, ipa, 0);
	unsigned int i;

	pr_info("kcore_probe: vmunmap handle=%llu ipa=0x%llx -> x0=%ld pa=0x%lx\n", h, ipa, (long)res.a0, res.a1);
	if (res.a0 || h >= MAX_VMS)
		return;
	for (i = 0; i < MAX_GUEST_PAGES; i++)
		if (vms[h].guest[i] && page_to_phys(vms[h].guest[i]) == res.a1) {
			pr_info("kcore_probe: returned page 0x%lx %s\n", res.a1,
				page_zero(vms[h].guest[i]) ? "is zero" : "HOLDS DATA");
			__free_page(vms[h].guest[i]);
			vms[h].guest[i] = NULL;
		}
}

static void probe_vmdestroy(u64 h)
{
	struct arm_smccc_res res = hc(KCORE_HC_VM_DESTROY, h, 0, 0);
	unsigned int i, dirty = 0;

	pr_info("kcore_probe: vmdestroy handle=%llu -> x0=%ld\n", h, (long)res.a0);
	if (res.a0 || h >= MAX_VMS || !vms[h].live)
		return;
	for (i = 0; i < (1U << vms[h].meta_order); i++)
		dirty += !page_zero(vms[h].meta + i);
	for (i = 0; i < MAX_GUEST_PAGES; i++)
		if (vms[h].guest[i]) {
			dirty += !page_zero(vms[h].guest[i]);
			__free_page(vms[h].guest[i]);
		}
	__free_pages(vms[h].meta, vms[h].meta_order);
	pr_info("kcore_probe: vmdestroy handle=%llu returned pages: %u not zero\n", h, dirty);
	vms[h] = (struct probe_vm){};
}

/*
 * The test guest, at IPA 0x80000000 with x0 = 0x1234:
 *	hvc #0			// exit HVC x0=0x1234; answered x0 = 0x5678
 *	add x1, x0, #1
 *	mov x2, #0x10000000
 *	str x1, [x2]		// exit MMIO write of 0x5679 at 0x10000000
 *	ldr x3, [x2, #8]	// exit MMIO read at 0x10000008; answered 0xabcd
 *	mov x0, x3
 *	hvc #0			// exit HVC x0=0xabcd
 *	wfi			// exit WFI
 *	mov x0, #0x42
 *	hvc #0			// exit HVC x0=0x42: done
 *	b .
 */
static const u32 guest_code[] = {
	0xd4000002, 0x91000401, 0xd2a20002, 0xf9000041, 0xf9400443, 0xaa0303e0,
	0xd4000002, 0xd503207f, 0xd2800840, 0xd4000002, 0x14000000,
};
#define GUEST_IPA 0x80000000UL

/*
 * The interrupt test guest, at IPA 0x80000000:
 *	mov x0, #0xff; msr ICC_PMR_EL1, x0	// accept every priority
 *	mov x0, #1; msr ICC_IGRPEN1_EL1, x0	// enable group 1
 *	isb
 *	mov x0, #0x100; hvc #0		// exit: ready; KServ injects INTID 42
 *	mrs x19, ICC_IAR1_EL1		// acknowledge it (x19: answers set x0..x3)
 *	mov x0, x19; hvc #0		// exit HVC x0 = 42
 *	msr ICC_EOIR1_EL1, x19		// end it
 *	mov x0, #0x200; hvc #0		// exit: done, list register now empty
 *	b .
 */
static const u32 irq_code[] = {
	0xd2801fe0, 0xd5184600, 0xd2800020, 0xd518cce0, 0xd5033fdf, 0xd2802000, 0xd4000002,
	0xd538cc13, 0xaa1303e0, 0xd4000002, 0xd518cc33, 0xd2804000, 0xd4000002, 0x14000000,
};
/*
 * The system register test guest, at IPA 0x80000000:
 *	mrs x1, pmcr_el0	// trapped (MDCR_EL2.TPM): exit SYSREG, answered 0x41
 *	mov x0, x1; hvc #0	// exit HVC x0 = 0x41
 *	mrs x2, dbgbvr0_el1	// trapped (MDCR_EL2.TDA): exit SYSREG, answered
 *				// UNDEF: the guest jumps to its
 *				// vector at VBAR_EL1 (0) + 0x200, where nothing is
 *				// mapped: exit MEM_FAULT at IPA 0
 *	hvc #0
 */
static const u32 sysreg_code[] = { 0xd53b9c01, 0xaa0103e0, 0xd4000002, 0xd5300082, 0xd4000002 };

/* mov x1, #0x2000; ldr x0, [x1]; hvc #0; b . */
static const u32 load_code[] = { 0xd2840001, 0xf9400020, 0xd4000002, 0x14000000 };

/*
 * The pointer authentication key guest: reports its APIAKeyLo_EL1 as it
 * starts (0 for a new vCPU: not KServ's, not another VM's), sets it to 0x1234
 * and reports it again (HVC with x0 = 0x1234 ends the run).
 */
static const u32 pac_code[] = { 0xd5382100, 0xd4000002, 0xd2824680, 0xd5182100, 0xd5382100, 0xd4000002, 0x14000000 };

/*
 * The FP/SIMD guest: enables FP/SIMD at EL1 (CPACR_EL1.FPEN), reports its d0
 * (0 for a new vCPU: not KServ's), sets d0 = 0xcafef00d, exits (HVC 0x77),
 * reports d0 again (the value must survive the exit) and ends (HVC 0x99).
 */
static const u32 fp_code[] = {
	0xd2a00602, 0xd5181042, 0xd5033fdf, 0x9e660000, 0xd4000002, 0xd29e01a1, 0xf2b95fc1, 0x9e670020,
	0xd2800ee0, 0xd4000002, 0x9e660000, 0xd4000002, 0xd2801320, 0xd4000002, 0x14000000,
};
/* In vmfp, KServ keeps this in its own d0 across VCPU_RUN and checks it after every exit. */
#define KSERV_D0 0xfeedUL
static bool check_kserv_d0;

static void write_d0(u64 val)
{
	register u64 x1 asm("x1") = val;

	asm volatile(".inst 0x9e670020" : : "r"(x1)); /* fmov d0, x1 */
}

static u64 read_d0(void)
{
	register u64 x0 asm("x0");

	asm volatile(".inst 0x9e660000" : "=r"(x0)); /* fmov x0, d0 */
	return x0;
}

/* PMCR_EL0 in KCORE_SYSREG_* form: op0 3, op1 3, CRn 9, CRm 12, op2 0. */
#define PMCR_EL0_SYSREG 0x30e418
#define LR_PENDING_G1_42 ((1UL << 62) | (1UL << 60) | (0xa0UL << 48) | 42)

/* Set up vCPU 0 of VM @h on @code and run it, answering exits as a VMM
 * would; returns when the guest makes an HVC with x0 = @last. */
static void run_guest(u64 h, const u32 *code, size_t len, u64 last)
{
	struct arm_smccc_1_2_regs args = { 0 }, res;
	struct page *page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct arm_smccc_res r;
	unsigned int i;

	if (!page || h >= MAX_VMS || !vms[h].live)
		goto out;
	memcpy(page_address(page), code, len);
	r = hc(KCORE_HC_VCPU_CREATE, h, 0, 0);
	pr_info("kcore_probe: vcpu create -> x0=%ld\n", (long)r.a0);
	r = hc(KCORE_HC_VM_MAP, h, page_to_phys(page), GUEST_IPA);
	pr_info("kcore_probe: map guest code -> x0=%ld\n", (long)r.a0);
	if (r.a0 && (long)r.a0 != -EEXIST)
		goto out;
	if (!r.a0) { /* else the code page of an earlier run (of the same guest) runs again */
		for (i = 0; i < MAX_GUEST_PAGES && vms[h].guest[i]; i++)
			;
		vms[h].guest[i] = page;
		page = NULL;
	}
	args.a0 = KCORE_HC_VCPU_INIT;
	args.a1 = h;
	args.a3 = GUEST_IPA;
	args.a4 = 0x1234; /* x0 */
	arm_smccc_1_2_hvc(&args, &res);
	pr_info("kcore_probe: vcpu init -> x0=%ld\n", (long)res.a0);
	memset(&args, 0, sizeof(args));
	if (check_kserv_d0) { /* no sleeping from here to kernel_neon_end() */
		kernel_neon_begin();
		write_d0(KSERV_D0);
	}
	for (i = 0; i < 64; i++) {
		args.a0 = KCORE_HC_VCPU_RUN;
		args.a1 = h;
		args.a2 = 0;
		arm_smccc_1_2_hvc(&args, &res);
		pr_info("kcore_probe: exit %u: x0=%ld reason=%lu x2=0x%lx x3=0x%lx x4=0x%lx x5=0x%lx x6=0x%lx x7=0x%lx "
			"lr0=0x%lx\n",
			i, (long)res.a0, res.a1, res.a2, res.a3, res.a4, res.a5, res.a6, res.a7, res.a8);
		if (check_kserv_d0)
			pr_info("kcore_probe: KServ d0 after exit %u = 0x%llx\n", i, read_d0());
		if (res.a0 || (res.a1 == KCORE_EXIT_HVC && res.a2 == last))
			break;
		memset(&args, 0, sizeof(args));
		if (res.a1 == KCORE_EXIT_HVC) {
			args.a3 = KCORE_ANSWER_VALID;
			args.a4 = res.a2 == 0x1234 ? 0x5678 : 0;
			if (res.a2 == 0x100) { /* the interrupt test guest is ready */
				args.a3 |= KCORE_ANSWER_LRS;
				args.a8 = LR_PENDING_G1_42;
			}
		} else if (res.a1 == KCORE_EXIT_MMIO) {
			args.a3 = KCORE_ANSWER_VALID;
			args.a4 = 0xabcd;
		} else if (res.a1 == KCORE_EXIT_SYSREG) {
			/* PMCR_EL0 reads 0x41; anything else is undefined. */
			args.a3 = res.a2 == PMCR_EL0_SYSREG ? KCORE_ANSWER_VALID : KCORE_ANSWER_UNDEF;
			args.a4 = 0x41;
		} else if (res.a1 == KCORE_EXIT_MEM_FAULT) {
			break;
		}
	}
	if (check_kserv_d0)
		kernel_neon_end();
out:
	if (page)
		__free_page(page);
}

/* Read RAM through a second, Normal non-cacheable mapping of its page: what
 * an attacker bypassing the caches would see. */
static void probe_readnc(phys_addr_t pa)
{
	struct page *pg = pfn_to_page(PHYS_PFN(pa));
	void *p = vmap(&pg, 1, VM_MAP, pgprot_writecombine(PAGE_KERNEL));
	u64 v;

	if (!p)
		return;
	pr_info("kcore_probe: reading PA 0x%llx uncached\n", (u64)pa);
	v = READ_ONCE(*(u64 *)(p + offset_in_page(pa)));
	pr_info("kcore_probe: read PA 0x%llx uncached value=0x%llx\n", (u64)pa, v);
	vunmap(p);
}

struct race {
	u64 a, b;
	phys_addr_t page;
	atomic_t wins;
	atomic_t winner_vm;
	atomic_t winner_ipa;
};

static void race_cpu(void *info)
{
	struct race *r = info;
	unsigned int cpu = smp_processor_id();
	u64 h = cpu & 1 ? r->b : r->a, ipa = 0x400000 + (u64)cpu * PAGE_SIZE;
	struct arm_smccc_res res;

	arm_smccc_1_1_hvc(KCORE_HC_VM_MAP, h, r->page, ipa, &res);
	if (!res.a0) {
		atomic_inc(&r->wins);
		atomic_set(&r->winner_vm, (int)h);
		atomic_set(&r->winner_ipa, (int)ipa);
	}
}

static void probe_race(u64 a, u64 b, unsigned int rounds)
{
	unsigned int i, exact = 0, dirty = 0;

	for (i = 0; i < rounds; i++) {
		struct page *pg = alloc_page(GFP_KERNEL);
		struct race r = { .a = a, .b = b };
		struct arm_smccc_res res;

		if (!pg)
			break;
		memset(page_address(pg), 0x5a, PAGE_SIZE);
		r.page = page_to_phys(pg);
		atomic_set(&r.wins, 0);
		on_each_cpu(race_cpu, &r, 1); /* every CPU at once */
		exact += atomic_read(&r.wins) == 1;
		if (atomic_read(&r.wins) >= 1) {
			res = hc(KCORE_HC_VM_UNMAP, atomic_read(&r.winner_vm), atomic_read(&r.winner_ipa), 0);
			if (res.a0 || res.a1 != r.page)
				pr_info("kcore_probe: race round %u: unmap -> x0=%ld\n", i, (long)res.a0);
		}
		dirty += !page_zero(pg);
		__free_page(pg);
	}
	pr_info("kcore_probe: race rounds=%u exactly-one-winner=%u returned-dirty=%u\n", rounds, exact, dirty);
}

static long vcpu_run_raw(u64 h, u64 flags, u64 a4, u64 lr0, struct arm_smccc_1_2_regs *res)
{
	struct arm_smccc_1_2_regs args = { .a0 = KCORE_HC_VCPU_RUN, .a1 = h, .a3 = flags, .a4 = a4, .a8 = lr0 };

	arm_smccc_1_2_hvc(&args, res);
	return (long)res->a0;
}

/*
 * The workload guest: x0 = the IPA of 16 pages; fills them with 0, 1, 2, ...
 * (8-byte words), sums them back, reports the sum with an HVC (0x1fff000),
 * and starts again.
 */
static const u32 work_code[] = {
	0xaa0003e1, 0xd2800002, 0xd2840003, 0xf8227822, 0x91000442, 0xeb03005f, 0x54ffffa1,
	0xd2800002, 0xd2800004, 0xf8627825, 0x8b050084, 0x91000442, 0xeb03005f, 0x54ffff81,
	0xaa0003e6, 0xaa0403e0, 0xd4000002, 0xaa0603e0, 0x17ffffee,
};
#define WORK_IPA 0x100000UL
#define WORK_PAGES 16
#define WORK_SUM 0x1fff000UL

static atomic_t storm_stop;
static atomic_long_t storm_calls;

/* Malformed calls only: no handle of the test's VMs (they are 0..7), no
 * physical address KServ owns. */
static int storm_thread(void *unused)
{
	struct arm_smccc_1_2_regs args, res;

	while (!atomic_read(&storm_stop)) {
		u64 r = get_random_u64();

		memset(&args, 0, sizeof(args));
		args.a0 = r & 1 ? KCORE_FN(get_random_u32() % 20) : (get_random_u32() & ~0xffffU) ^ 0xc6010000U;
		args.a1 = 8 + get_random_u32() % 240;
		if (args.a0 == KCORE_HC_HOST_DONATE || args.a0 == KCORE_HC_VM_CREATE)
			args.a1 = get_random_u64() | (1UL << 47);
		args.a2 = get_random_u64() | (1UL << 47);
		args.a3 = get_random_u64();
		args.a4 = get_random_u64();
		args.a8 = get_random_u64();
		arm_smccc_1_2_hvc(&args, &res);
		atomic_long_inc(&storm_calls);
		cond_resched();
	}
	return 0;
}

struct worker {
	u64 h;
	unsigned int rounds, good, bad;
	struct completion done;
};

static int work_thread(void *data)
{
	struct worker *w = data;
	struct arm_smccc_1_2_regs args, res;
	unsigned int i;

	for (i = 0; i < w->rounds; i++) {
		do {
			args = (struct arm_smccc_1_2_regs){ .a0 = KCORE_HC_VCPU_RUN, .a1 = w->h };
			arm_smccc_1_2_hvc(&args, &res);
			cond_resched();
		} while (!res.a0 && res.a1 == KCORE_EXIT_IRQ);
		if (!res.a0 && res.a1 == KCORE_EXIT_HVC && res.a2 == WORK_SUM)
			w->good++;
		else
			w->bad++;
	}
	complete(&w->done);
	return 0;
}

static bool work_setup(u64 h)
{
	struct page *code = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct arm_smccc_1_2_regs args, res;
	unsigned int i, slot = 0;

	if (!code || h >= MAX_VMS || !vms[h].live)
		return false;
	memcpy(page_address(code), work_code, sizeof(work_code));
	if (hc(KCORE_HC_VCPU_CREATE, h, 0, 0).a0 || hc(KCORE_HC_VM_MAP, h, page_to_phys(code), GUEST_IPA).a0) {
		__free_page(code);
		return false;
	}
	vms[h].guest[slot++] = code;
	for (i = 0; i < WORK_PAGES; i++) {
		struct page *pg = alloc_page(GFP_KERNEL | __GFP_ZERO);

		if (!pg || hc(KCORE_HC_VM_MAP, h, page_to_phys(pg), WORK_IPA + i * PAGE_SIZE).a0) {
			if (pg)
				__free_page(pg);
			return false;
		}
		vms[h].guest[slot++] = pg;
	}
	args = (struct arm_smccc_1_2_regs){ .a0 = KCORE_HC_VCPU_INIT, .a1 = h, .a3 = GUEST_IPA, .a4 = WORK_IPA };
	arm_smccc_1_2_hvc(&args, &res);
	return res.a0 == 0;
}

static void probe_storm(u64 a, u64 b, unsigned int rounds)
{
	struct worker w[2] = { { .h = a, .rounds = rounds }, { .h = b, .rounds = rounds } };
	unsigned int cpu, i;

	if (!work_setup(a) || !work_setup(b)) {
		pr_info("kcore_probe: storm set-up failed\n");
		return;
	}
	atomic_set(&storm_stop, 0);
	atomic_long_set(&storm_calls, 0);
	for_each_online_cpu(cpu) kthread_run_on_cpu(storm_thread, NULL, cpu, "kcore-storm/%u");
	for (i = 0; i < 2; i++) {
		init_completion(&w[i].done);
		kthread_run(work_thread, &w[i], "kcore-work%u", i);
	}
	for (i = 0; i < 2; i++)
		wait_for_completion(&w[i].done);
	atomic_set(&storm_stop, 1);
	msleep(100);
	pr_info("kcore_probe: storm rounds=%u good=%u bad=%u malformed-calls=%ld\n", rounds, w[0].good + w[1].good,
		w[0].bad + w[1].bad, atomic_long_read(&storm_calls));
}

/* Run with @flags/@a4, then past any interrupt exits for KServ. */
static void next_exit(u64 h, u64 flags, u64 a4, struct arm_smccc_1_2_regs *res)
{
	vcpu_run_raw(h, flags, a4, 0, res);
	while (!res->a0 && res->a1 == KCORE_EXIT_IRQ)
		vcpu_run_raw(h, 0, 0, 0, res);
}

/* Hostile answers, on the vmrun guest (HVC, MMIO write, MMIO read, ...). */
static void probe_vmtamper(u64 h)
{
	struct arm_smccc_1_2_regs args, res;
	struct page *code = alloc_page(GFP_KERNEL | __GFP_ZERO);
	struct arm_smccc_res r;
	unsigned int i;

	if (!code || h >= MAX_VMS || !vms[h].live)
		goto out;
	memcpy(page_address(code), guest_code, sizeof(guest_code));
	hc(KCORE_HC_VCPU_CREATE, h, 0, 0);
	r = hc(KCORE_HC_VM_MAP, h, page_to_phys(code), GUEST_IPA);
	if (r.a0)
		goto out;
	for (i = 0; i < MAX_GUEST_PAGES && vms[h].guest[i]; i++)
		;
	vms[h].guest[i] = code;
	code = NULL;
	args = (struct arm_smccc_1_2_regs){ .a0 = KCORE_HC_VCPU_INIT, .a1 = h, .a3 = GUEST_IPA, .a4 = 0x1234 };
	arm_smccc_1_2_hvc(&args, &res);
	/* An answer before any exit: an MMIO read the guest never made. */
	pr_info("kcore_probe: tamper answer-before-exit -> %ld\n", vcpu_run_raw(h, KCORE_ANSWER_VALID, 0xbad, 0, &res));
	/* Reserved bits and a special INTID in a list register. */
	pr_info("kcore_probe: tamper bad-lr-bits -> %ld\n", vcpu_run_raw(h, KCORE_ANSWER_LRS, 0, 1UL << 47, &res));
	pr_info("kcore_probe: tamper bad-lr-intid -> %ld\n",
		vcpu_run_raw(h, KCORE_ANSWER_LRS, 0, (1UL << 62) | 1021, &res));
	pr_info("kcore_probe: tamper unknown-flag -> %ld\n", vcpu_run_raw(h, 1UL << 9, 0, 0, &res));
	/* Now honestly: HVC 0x1234, MMIO write, MMIO read, HVC 0xabcd, WFI. */
	next_exit(h, 0, 0, &res);
	pr_info("kcore_probe: tamper exit reason=%lu x2=0x%lx x4=0x%lx\n", res.a1, res.a2, res.a4);
	next_exit(h, KCORE_ANSWER_VALID, 0x5678, &res);
	pr_info("kcore_probe: tamper exit reason=%lu x2=0x%lx x4=0x%lx\n", res.a1, res.a2, res.a4);
	next_exit(h, KCORE_ANSWER_VALID, 0, &res);
	pr_info("kcore_probe: tamper exit reason=%lu x2=0x%lx x4=0x%lx\n", res.a1, res.a2, res.a4);
	next_exit(h, KCORE_ANSWER_VALID, 0xabcd, &res);
	pr_info("kcore_probe: tamper exit reason=%lu x2=0x%lx x4=0x%lx\n", res.a1, res.a2, res.a4);
	next_exit(h, KCORE_ANSWER_VALID, 0, &res);
	pr_info("kcore_probe: tamper exit reason=%lu x2=0x%lx x4=0x%lx\n", res.a1, res.a2, res.a4);
	/* A WFI asked nothing: an answer now (a replay of the last) fails. */
	pr_info("kcore_probe: tamper replay -> %ld\n", vcpu_run_raw(h, KCORE_ANSWER_VALID, 0x5678, 0, &res));
out:
	if (code)
		__free_page(code);
}

static ssize_t probe_cmd(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	char buf[96];
	unsigned long long a = 0, b = 0, c = 0;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (sscanf(buf, "read %llx", &a) == 1)
		probe_read(a);
	else if (sscanf(buf, "write %llx %llx", &a, &b) == 2)
		probe_write(a, b);
	else if (!strncmp(buf, "hvc", 3))
		probe_call(KCORE_HC_VERSION);
	else if (!strncmp(buf, "meminfo", 7))
		probe_call(KCORE_HC_MEM_INFO);
	else if (sscanf(buf, "call %llx", &a) == 1)
		probe_call((u32)a);
	else if (sscanf(buf, "owned %llu", &a) == 1) {
		struct arm_smccc_res res = hc(KCORE_HC_FRAMES_OWNED, a, 0, 0);

		pr_info("kcore_probe: owned class=%llu -> x0=%ld frames=%lu\n", a, (long)res.a0, res.a1);
	} else if (sscanf(buf, "vmcreate %llu", &a) == 1)
		probe_vmcreate((unsigned int)a);
	else if (sscanf(buf, "vmmapat %llu %llx %llx", &a, &b, &c) == 3) {
		struct arm_smccc_res res = hc(KCORE_HC_VM_MAP, a, b, c);

		pr_info("kcore_probe: vmmapat handle=%llu pa=0x%llx ipa=0x%llx -> x0=%ld\n", a, b, c, (long)res.a0);
	} else if (sscanf(buf, "vmmap %llu %llx", &a, &b) == 2)
		probe_vmmap(a, b);
	else if (sscanf(buf, "vmunmap %llu %llx", &a, &b) == 2)
		probe_vmunmap(a, b);
	else if (sscanf(buf, "vmdestroy %llu", &a) == 1)
		probe_vmdestroy(a);
	else if (sscanf(buf, "vmrun %llu", &a) == 1)
		run_guest(a, guest_code, sizeof(guest_code), 0x42);
	else if (sscanf(buf, "race %llu %llu %llu", &a, &b, &c) == 3)
		probe_race(a, b, (unsigned int)c);
	else if (sscanf(buf, "readnc %llx", &a) == 1)
		probe_readnc(a);
	else if (sscanf(buf, "vmload %llu", &a) == 1)
		run_guest(a, load_code, sizeof(load_code), 0x1000);
	else if (sscanf(buf, "storm %llu %llu %llu", &a, &b, &c) == 3)
		probe_storm(a, b, (unsigned int)c);
	else if (sscanf(buf, "vmtamper %llu", &a) == 1)
		probe_vmtamper(a);
	else if (sscanf(buf, "vmpac %llu", &a) == 1) {
		write_sysreg_s(0xfeed, SYS_APIAKEYLO_EL1); /* KServ's own key */
		isb();
		run_guest(a, pac_code, sizeof(pac_code), 0x1234);
		pr_info("kcore_probe: KServ key after the guest=0x%llx\n", read_sysreg_s(SYS_APIAKEYLO_EL1));
	} else if (sscanf(buf, "vmfp %llu", &a) == 1) {
		check_kserv_d0 = true;
		run_guest(a, fp_code, sizeof(fp_code), 0x99);
		check_kserv_d0 = false;
	} else if (sscanf(buf, "vmsys %llu", &a) == 1)
		run_guest(a, sysreg_code, sizeof(sysreg_code), 0x1000);
	else if (sscanf(buf, "vmirq %llu", &a) == 1)
		run_guest(a, irq_code, sizeof(irq_code), 0x200);
	else
		return -EINVAL;
	return len;
}

static const struct proc_ops probe_ops = {
	.proc_write = probe_cmd,
};

static struct proc_dir_entry *entry;

static int __init probe_init(void)
{
	entry = proc_create("kcore_probe", 0200, NULL, &probe_ops);
	return entry ? 0 : -ENOMEM;
}

static void __exit probe_exit(void)
{
	proc_remove(entry);
}

module_init(probe_init);
module_exit(probe_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Hostile KServ probe for KCore's integration tests");
