// SPDX-License-Identifier: GPL-2.0
/*
 * guest_bench: microbenchmarks run inside a guest, for make bench.
 *
 * Timed with the virtual counter: under QEMU's -icount shift=0 one
 * instruction takes one nanosecond of virtual time, so a counter delta in
 * nanoseconds is the number of instructions the whole machine (guest, KServ,
 * KCore or EL2 KVM) executed meanwhile. Each benchmark runs N iterations
 * of the operation and N iterations of the same loop without it, and logs
 * the difference per operation. Writing a command to /proc/guest_bench runs
 * it; reading it gives the current virtual time in nanoseconds.
 *
 *   hvc N         HVC SMCCC_VERSION, answered by the host kernel's KVM
 *   mmio PA N     32-bit reads of a device register (the vGIC distributor is
 *                 emulated in the host kernel, the UART by the VMM)
 *   fault N       first touch of N fresh pages (stage-2 faults) minus a
 *                 second touch of the same pages
 *   ipi N         an IPI to another CPU and the wait for its handler (2 vCPUs)
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <asm/arch_timer.h>
#include <asm/sysreg.h>

static u64 now_ns(void)
{
	u64 freq = read_sysreg(cntfrq_el0);

	isb();
	return mul_u64_u64_div_u64(read_sysreg(cntvct_el0), NSEC_PER_SEC, freq);
}

static noinline u64 loop_hvc(unsigned long n)
{
	struct arm_smccc_res res;
	u64 start = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		arm_smccc_1_1_hvc(ARM_SMCCC_VERSION_FUNC_ID, &res);
	return now_ns() - start;
}

static noinline u64 loop_mmio(void __iomem *reg, unsigned long n)
{
	u64 start = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		readl_relaxed(reg);
	return now_ns() - start;
}

static noinline u64 loop_empty(unsigned long n)
{
	u64 start = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		barrier();
	return now_ns() - start;
}

static void ipi_nop(void *unused)
{
}

/* From this CPU to another one; preemption stays off so "another" stays true. */
static noinline u64 loop_ipi(unsigned long n)
{
	int me = get_cpu(), to = cpumask_any_but(cpu_online_mask, me);
	u64 start = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		smp_call_function_single(to, ipi_nop, NULL, 1);
	start = now_ns() - start;
	put_cpu();
	return start;
}

static u64 touch(struct page **pages, unsigned long n)
{
	u64 start = now_ns();
	unsigned long i;

	for (i = 0; i < n; i++)
		WRITE_ONCE(*(u64 *)page_address(pages[i]), i);
	return now_ns() - start;
}

static int bench_fault(unsigned long n)
{
	struct page **pages = vcalloc(n, sizeof(*pages));
	unsigned long i, got;
	u64 first, second;

	if (!pages)
		return -ENOMEM;
	for (got = 0; got < n; got++) {
		pages[got] = alloc_page(GFP_KERNEL);
		if (!pages[got])
			break;
	}
	first = got == n ? touch(pages, n) : 0;
	second = got == n ? touch(pages, n) : 0;
	for (i = 0; i < got; i++)
		__free_page(pages[i]);
	vfree(pages);
	if (got != n)
		return -ENOMEM;
	pr_info("guest_bench: fault n=%lu first=%llu second=%llu per-op=%llu\n", n, first, second,
		(first - second) / n);
	return 0;
}

static void report(const char *what, unsigned long n, u64 with, u64 without)
{
	pr_info("guest_bench: %s n=%lu with=%llu without=%llu per-op=%llu\n", what, n, with, without,
		with > without ? (with - without) / n : 0);
}

static ssize_t bench_cmd(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	unsigned long long pa, n;
	void __iomem *reg;
	char buf[64];
	u64 with;
	int err = 0;

	if (len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	buf[len] = '\0';
	if (sscanf(buf, "hvc %llu", &n) == 1 && n && n <= 1000000) {
		loop_hvc(16);
		with = loop_hvc(n);
		report("hvc", n, with, loop_empty(n));
	} else if (sscanf(buf, "mmio %llx %llu", &pa, &n) == 2 && n && n <= 1000000) {
		reg = ioremap(pa, 4);
		if (!reg)
			return -ENOMEM;
		loop_mmio(reg, 16);
		with = loop_mmio(reg, n);
		snprintf(buf, sizeof(buf), "mmio-%llx", pa);
		report(buf, n, with, loop_empty(n));
		iounmap(reg);
	} else if (sscanf(buf, "fault %llu", &n) == 1 && n && n <= 65536) {
		err = bench_fault(n);
	} else if (sscanf(buf, "ipi %llu", &n) == 1 && n && n <= 1000000) {
		if (num_online_cpus() < 2)
			return -ENODEV;
		loop_ipi(16);
		with = loop_ipi(n);
		report("ipi", n, with, loop_empty(n));
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
