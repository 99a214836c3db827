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
 * Results go to the kernel log as "kcore_probe: ..." lines. A read or write
 * of memory KServ does not own must never complete: KCore makes it abort,
 * so the "value=" line for it is never printed.
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

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

static ssize_t probe_cmd(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	char buf[96];
	unsigned long long a = 0, b = 0;

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
