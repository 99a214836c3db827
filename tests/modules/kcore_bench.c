// SPDX-License-Identifier: GPL-2.0
/*
 * kcore_bench: instruction counts of hypercall round trips, for make bench.
 *
 * Under QEMU's -icount the PMU's INST_RETIRED event counts exactly; with
 * PMEVTYPER.NSH set it includes EL2. Writing "hvc FID N" to /proc/kcore_bench
 * runs N HVCs with function ID FID and N iterations of the same loop without
 * the HVC, and logs the difference per call.
 *
 * "split start" and "split read" count this CPU's instructions per exception
 * level (counters 1-3: EL2 only, EL1 only, EL0 only) across whatever runs in
 * between, a whole VM included (make bench-profile).
 */
#include <linux/arm-smccc.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#include <asm/sysreg.h>

#define INST_RETIRED 0x08
#define PMEVTYPER_NSH (1UL << 27) /* count at EL2 too */

#define PMEVTYPER_P (1UL << 31) /* not at EL1 */
#define PMEVTYPER_U (1UL << 30) /* not at EL0 */

static void split_start(void)
{
	write_sysreg(INST_RETIRED | PMEVTYPER_P | PMEVTYPER_U | PMEVTYPER_NSH, pmevtyper1_el0);
	write_sysreg(INST_RETIRED | PMEVTYPER_U, pmevtyper2_el0);
	write_sysreg(INST_RETIRED | PMEVTYPER_P, pmevtyper3_el0);
	write_sysreg(0, pmevcntr1_el0);
	write_sysreg(0, pmevcntr2_el0);
	write_sysreg(0, pmevcntr3_el0);
	write_sysreg(BIT(1) | BIT(2) | BIT(3), pmcntenset_el0);
	write_sysreg(read_sysreg(pmcr_el0) | BIT(0), pmcr_el0); /* E */
	isb();
}

static void split_read(void)
{
	isb();
	pr_info("kcore_bench: split el2=%llu el1=%llu el0=%llu\n", read_sysreg(pmevcntr1_el0),
		read_sysreg(pmevcntr2_el0), read_sysreg(pmevcntr3_el0));
}

static void pmu_start(void)
{
	write_sysreg(INST_RETIRED | PMEVTYPER_NSH, pmevtyper0_el0);
	write_sysreg(BIT(0), pmcntenset_el0);
	write_sysreg(read_sysreg(pmcr_el0) | BIT(0), pmcr_el0); /* E */
	isb();
}

static u64 count(void)
{
	isb();
	return read_sysreg(pmevcntr0_el0);
}

static noinline u64 run_hvc(u32 fid, unsigned long n)
{
	struct arm_smccc_res res;
	u64 start = count();
	unsigned long i;

	for (i = 0; i < n; i++)
		arm_smccc_1_1_hvc(fid, &res);
	return count() - start;
}

static noinline u64 run_empty(unsigned long n)
{
	u64 start = count();
	unsigned long i;

	for (i = 0; i < n; i++)
		barrier();
	return count() - start;
}

static ssize_t bench_cmd(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	char buf[64];
	unsigned long long fid, n;
	unsigned long flags;
	u64 with, without;

	if (len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	buf[len] = '\0';
	if (!strncmp(buf, "split start", 11)) {
		split_start();
		return len;
	}
	if (!strncmp(buf, "split read", 10)) {
		split_read();
		return len;
	}
	if (sscanf(buf, "hvc %llx %llu", &fid, &n) != 2 || !n || n > 1000000)
		return -EINVAL;
	local_irq_save(flags);
	pmu_start();
	run_hvc((u32)fid, 16); /* warm up */
	with = run_hvc((u32)fid, n);
	without = run_empty(n);
	local_irq_restore(flags);
	pr_info("kcore_bench: hvc 0x%llx n=%llu with=%llu without=%llu per-call=%llu\n", fid, n, with, without,
		(with - without) / n);
	return len;
}

static const struct proc_ops bench_ops = {
	.proc_write = bench_cmd,
};

static struct proc_dir_entry *entry;

static int __init bench_init(void)
{
	entry = proc_create("kcore_bench", 0200, NULL, &bench_ops);
	return entry ? 0 : -ENOMEM;
}

static void __exit bench_exit(void)
{
	proc_remove(entry);
}

module_init(bench_init);
module_exit(bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Instruction counts of hypercall round trips");
