// SPDX-License-Identifier: GPL-2.0
/*
 * guest_bench: microbenchmarks run inside a guest, for make bench.
 *
 * Timed with the virtual counter: under QEMU's -icount shift=0 one
 * instruction takes one nanosecond of virtual time, so a counter delta in
 * nanoseconds is the number of instructions the whole machine (guest, KServ,
 * KCore or EL2 KVM) executed meanwhile. Each benchmark times N operations
 * one by one and N empty windows, and logs the difference of their means,
 * the slowest 1% on each side left out (see sample()). Writing a command to
 * /proc/guest_bench runs it; reading it gives the current virtual time in
 * nanoseconds.
 *
 *   hvc N         HVC SMCCC_VERSION, answered by the host kernel's KVM
 *   mmio PA N     32-bit reads of a device register (the vGIC distributor is
 *                 emulated in the host kernel, the UART by the VMM)
 *   fault N       first touch of N fresh pages (stage-2 faults) minus a
 *                 second touch of the same pages
 *   ipi N         an IPI to another CPU and the wait for its handler (2 vCPUs)
 *   eoi N         the guest's EOI of a virtual interrupt alone: a self-SGI
 *                 (INTID 15, unused by Linux) is sent and acknowledged with
 *                 interrupts masked, then only the ICC_EOIR1_EL1 write is
 *                 timed, minus the same two counter reads around nothing
 *   spin NS       busy-wait NS nanoseconds of virtual time (the application
 *                 rows' repetitions start at different phases of the timer
 *                 ticks with it; see tests/initramfs/guest-bench)
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/sort.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <linux/irqchip/arm-gic-v3.h>

#include <asm/arch_timer.h>
#include <asm/cputype.h>
#include <asm/sysreg.h>

/* The VMM's guest layout (tools/vmm/vmm.h): GICv3 redistributors. */
#define BENCH_GICR_BASE 0x080a0000UL
#define BENCH_GICR_STRIDE 0x20000UL
#define BENCH_GICR_TYPER 0x8
#define BENCH_GICR_SGI 0x10000UL /* SGI_base frame */
#define BENCH_GICR_ISENABLER0 0x100
#define BENCH_GICR_ICENABLER0 0x180
#define BENCH_GICR_IPRIORITYR 0x400
#define BENCH_SGI 15
/* Above Linux's default priority (0xa0): the IAR read returns our SGI first. */
#define BENCH_SGI_PRIO 0x80
#define BENCH_CTLR_EOIMODE (1UL << 1)

static u64 now_ns(void)
{
	u64 freq = read_sysreg(cntfrq_el0);

	isb();
	return mul_u64_u64_div_u64(read_sysreg(cntvct_el0), NSEC_PER_SEC, freq);
}

/*
 * Each operation is timed on its own, in a window of two counter reads, and
 * so is the same window around nothing; a row is the difference of the two
 * trimmed means. The slowest 1% of the windows on either side are left out:
 * those held something that is not the operation (the host's timer tick,
 * another host task running), which lands in a few windows at random, at a
 * place that moves with any change of code layout, and would otherwise be
 * the largest source of difference between builds.
 */
enum bench_op { OP_NOTHING, OP_HVC, OP_MMIO, OP_IPI, OP_FIRST_TOUCH };

struct bench_ctx {
	void __iomem *reg;   /* OP_MMIO */
	int cpu;	     /* OP_IPI: the target */
	struct page **pages; /* OP_FIRST_TOUCH: one per iteration */
};

static void ipi_nop(void *unused)
{
}

static void do_op(enum bench_op op, const struct bench_ctx *c, unsigned long i)
{
	struct arm_smccc_res res;

	switch (op) {
	case OP_NOTHING:
		barrier();
		break;
	case OP_HVC:
		arm_smccc_1_1_hvc(ARM_SMCCC_VERSION_FUNC_ID, &res);
		break;
	case OP_MMIO:
		readl_relaxed(c->reg);
		break;
	case OP_IPI:
		smp_call_function_single(c->cpu, ipi_nop, NULL, 1);
		break;
	case OP_FIRST_TOUCH:
		WRITE_ONCE(*(u64 *)page_address(c->pages[i]), i);
		break;
	}
}

/*
 * The counter ticks every 16 instructions (62.5 MHz under -icount shift=0),
 * so a window's reading is its length rounded up or down by where in a tick
 * it started. A loop of constant length would start every window at the same
 * phase and bias the mean by up to 16 instructions, by an amount that changes
 * whenever the operation's path changes length by a few instructions. Before
 * window i, 3 * (i % 16 + 1) instructions more: with a step that is odd and
 * a cycle of 16 the starts spread evenly over the 16 phases whatever the
 * loop's own length (checked numerically for every residue), so the rounding
 * cancels in the mean.
 */
static __always_inline void dither(unsigned long i)
{
	unsigned long k = i % 16 + 1;

	asm volatile("1:	nop\n"
		     "	subs	%0, %0, #1\n"
		     "	b.ne	1b\n"
		     : "+r"(k)
		     :
		     : "cc");
}

static noinline void sample(enum bench_op op, const struct bench_ctx *c, unsigned long n, u64 *t)
{
	unsigned long i;
	u64 t0;

	for (i = 0; i < n; i++) {
		dither(i);
		t0 = now_ns();
		do_op(op, c, i);
		t[i] = now_ns() - t0;
	}
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* The mean of the fastest 99% of @t, in hundredths. */
static u64 trimmed_mean_x100(u64 *t, unsigned long n)
{
	unsigned long i, keep = n - n / 100;
	u64 sum = 0;

	sort(t, n, sizeof(*t), cmp_u64, NULL);
	for (i = 0; i < keep; i++)
		sum += t[i];
	return sum * 100 / keep;
}

/* One row: the operation's windows minus empty ones, in hundredths. */
static u64 difference_x100(u64 *with, u64 *without, unsigned long n)
{
	u64 w = trimmed_mean_x100(with, n), wo = trimmed_mean_x100(without, n);

	return w > wo ? w - wo : 0;
}

static void report(const char *what, unsigned long n, u64 x100)
{
	pr_info("guest_bench: %s n=%lu dropped=%lu per-op=%llu\n", what, n, n / 100, (x100 + 50) / 100);
}

/* Time @op n times (after 16 to warm up) against empty windows. */
static int bench_op(const char *what, enum bench_op op, const struct bench_ctx *c, unsigned long n)
{
	u64 *with = vmalloc_array(n, sizeof(u64)), *without = vmalloc_array(n, sizeof(u64));

	if (with && without) {
		sample(op, c, min(n, 16UL), with);
		sample(op, c, n, with);
		sample(OP_NOTHING, c, n, without);
		report(what, n, difference_x100(with, without, n));
	}
	vfree(with);
	vfree(without);
	return with && without ? 0 : -ENOMEM;
}

/* From this CPU to another one; preemption stays off so "another" stays true. */
static int bench_ipi(unsigned long n)
{
	struct bench_ctx c = { .cpu = cpumask_any_but(cpu_online_mask, get_cpu()) };
	int err = bench_op("ipi", OP_IPI, &c, n);

	put_cpu();
	return err;
}

/* The SGI_base frame of this CPU's redistributor, found by its affinity. */
static void __iomem *my_sgi_frame(void)
{
	u64 mpidr = read_cpuid_mpidr();
	u32 aff = (u32)(MPIDR_AFFINITY_LEVEL(mpidr, 3) << 24 | MPIDR_AFFINITY_LEVEL(mpidr, 2) << 16 |
			MPIDR_AFFINITY_LEVEL(mpidr, 1) << 8 | MPIDR_AFFINITY_LEVEL(mpidr, 0));
	unsigned int i;

	for (i = 0; i < num_possible_cpus(); i++) {
		void __iomem *rd = ioremap(BENCH_GICR_BASE + i * BENCH_GICR_STRIDE, 2 * 0x10000);

		if (!rd)
			return NULL;
		if ((u32)(readq_relaxed(rd + BENCH_GICR_TYPER) >> 32) == aff)
			return rd;
		iounmap(rd);
	}
	return NULL;
}

static u64 sgi_to_self(void)
{
	u64 mpidr = read_cpuid_mpidr();
	u64 aff0 = MPIDR_AFFINITY_LEVEL(mpidr, 0);

	return (u64)BENCH_SGI << ICC_SGI1R_SGI_ID_SHIFT | (1UL << (aff0 % 16)) | (aff0 / 16) << ICC_SGI1R_RS_SHIFT |
	       MPIDR_AFFINITY_LEVEL(mpidr, 1) << ICC_SGI1R_AFFINITY_1_SHIFT |
	       MPIDR_AFFINITY_LEVEL(mpidr, 2) << ICC_SGI1R_AFFINITY_2_SHIFT |
	       MPIDR_AFFINITY_LEVEL(mpidr, 3) << ICC_SGI1R_AFFINITY_3_SHIFT;
}

/*
 * Sends, acknowledges and EOIs BENCH_SGI n times with interrupts masked,
 * timing one window per iteration: around the EOI write (timed) or around
 * nothing (!timed). False if an acknowledge did not return the SGI.
 */
static noinline bool loop_eoi(unsigned long n, bool timed, u64 *t)
{
	bool dir = read_sysreg_s(SYS_ICC_CTLR_EL1) & BENCH_CTLR_EOIMODE;
	u64 sgi = sgi_to_self(), t0, iar;
	unsigned long i;

	for (i = 0; i < n; i++) {
		dither(i);
		write_sysreg_s(sgi, SYS_ICC_SGI1R_EL1);
		isb();
		iar = read_sysreg_s(SYS_ICC_IAR1_EL1);
		if (iar != BENCH_SGI) {
			if (iar < 1020)
				write_sysreg_s(iar, SYS_ICC_EOIR1_EL1);
			return false;
		}
		t0 = now_ns();
		if (timed)
			write_sysreg_s(iar, SYS_ICC_EOIR1_EL1);
		t[i] = now_ns() - t0;
		if (!timed)
			write_sysreg_s(iar, SYS_ICC_EOIR1_EL1);
		if (dir)
			write_sysreg_s(iar, SYS_ICC_DIR_EL1);
		isb();
	}
	return true;
}

/* About one instruction: printed in hundredths (the counter ticks in steps
 * of several nanoseconds; only the mean over n is exact enough). */
static int bench_eoi(unsigned long n)
{
	u64 *with = vmalloc_array(n, sizeof(u64)), *without = vmalloc_array(n, sizeof(u64));
	void __iomem *rd = my_sgi_frame();
	unsigned long flags;
	int err = 0;
	u64 x100;

	if (!with || !without || !rd) {
		err = rd ? -ENOMEM : -ENODEV;
		goto out;
	}
	writeb_relaxed(BENCH_SGI_PRIO, rd + BENCH_GICR_SGI + BENCH_GICR_IPRIORITYR + BENCH_SGI);
	writel(1U << BENCH_SGI, rd + BENCH_GICR_SGI + BENCH_GICR_ISENABLER0);
	local_irq_save(flags);
	if (!loop_eoi(min(n, 16UL), true, with) || !loop_eoi(n, true, with) || !loop_eoi(n, false, without))
		err = -EIO;
	local_irq_restore(flags);
	writel(1U << BENCH_SGI, rd + BENCH_GICR_SGI + BENCH_GICR_ICENABLER0);
	if (!err) {
		x100 = difference_x100(with, without, n);
		pr_info("guest_bench: eoi n=%lu dropped=%lu per-op=%llu.%02llu\n", n, n / 100, x100 / 100, x100 % 100);
	}
out:
	if (rd)
		iounmap(rd);
	vfree(with);
	vfree(without);
	return err;
}

/* First touch of n fresh pages (a stage-2 fault each) against a second touch. */
static int bench_fault(unsigned long n)
{
	u64 *first = vmalloc_array(n, sizeof(u64)), *second = vmalloc_array(n, sizeof(u64));
	struct bench_ctx c = { .pages = vcalloc(n, sizeof(struct page *)) };
	unsigned long i, got = 0;
	int err = -ENOMEM;

	if (first && second && c.pages) {
		for (got = 0; got < n; got++) {
			c.pages[got] = alloc_page(GFP_KERNEL);
			if (!c.pages[got])
				break;
		}
	}
	if (got == n) {
		sample(OP_FIRST_TOUCH, &c, n, first);
		sample(OP_FIRST_TOUCH, &c, n, second);
		report("fault", n, difference_x100(first, second, n));
		err = 0;
	}
	for (i = 0; i < got; i++)
		__free_page(c.pages[i]);
	vfree(c.pages);
	vfree(first);
	vfree(second);
	return err;
}

/* Spins rather than sleeps: a sleep would let the idle loop's WFI warp time. */
static void bench_spin(u64 ns)
{
	u64 end = now_ns() + ns;

	while (now_ns() < end)
		cpu_relax();
}

static ssize_t bench_cmd(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	struct bench_ctx c = {};
	unsigned long long pa, n;
	char buf[64];
	int err;

	if (len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	buf[len] = '\0';
	if (sscanf(buf, "hvc %llu", &n) == 1 && n && n <= 1000000) {
		err = bench_op("hvc", OP_HVC, &c, n);
	} else if (sscanf(buf, "mmio %llx %llu", &pa, &n) == 2 && n && n <= 1000000) {
		c.reg = ioremap(pa, 4);
		if (!c.reg)
			return -ENOMEM;
		snprintf(buf, sizeof(buf), "mmio-%llx", pa);
		err = bench_op(buf, OP_MMIO, &c, n);
		iounmap(c.reg);
	} else if (sscanf(buf, "fault %llu", &n) == 1 && n && n <= 65536) {
		err = bench_fault(n);
	} else if (sscanf(buf, "ipi %llu", &n) == 1 && n && n <= 1000000) {
		err = num_online_cpus() < 2 ? -ENODEV : bench_ipi(n);
	} else if (sscanf(buf, "eoi %llu", &n) == 1 && n && n <= 1000000) {
		err = bench_eoi(n);
	} else if (sscanf(buf, "spin %llu", &n) == 1 && n <= 100000000) {
		bench_spin(n);
		err = 0;
	} else {
		return -EINVAL;
	}
	return err ? err : len;
}

static ssize_t bench_now(struct file *file, char __user *ubuf, size_t len, loff_t *off)
{
	char buf[32];
	int n = scnprintf(buf, sizeof(buf), "%llu\n", now_ns());

	return simple_read_from_buffer(ubuf, len, off, buf, n);
}

static const struct proc_ops bench_ops = {
	.proc_write = bench_cmd,
	.proc_read = bench_now,
};

static struct proc_dir_entry *entry;

static int __init bench_init(void)
{
	entry = proc_create("guest_bench", 0600, NULL, &bench_ops);
	return entry ? 0 : -ENOMEM;
}

static void __exit bench_exit(void)
{
	proc_remove(entry);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Guest-side microbenchmarks timed in virtual instructions");
