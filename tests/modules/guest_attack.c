// SPDX-License-Identifier: GPL-2.0
/*
 * guest_attack: a hostile guest kernel (attacks 12 and 13 of the suite).
 * Writing a command to /proc/guest_attack runs it; results go to the kernel
 * log as "guest_attack: ..." lines.
 *
 *   ipa IPA         read 8 bytes at a guest-physical address the VM has no
 *                   memory at (where the host keeps KCore, say): the access
 *                   must exit to the VMM as MMIO, never return a frame's data
 *   hvcstorm N S    N HVCs and SMCs with random function IDs and all 17
 *                   argument registers random (seed S): KCore's own IDs, KVM's
 *                   vendor calls, Arm architecture calls and anything else but
 *                   PSCI (which could legitimately stop this vCPU). KCore's
 *                   IDs from a guest are not KCore calls: each must come back
 *                   NOT_SUPPORTED from KServ's KVM.
 */
#include <linux/arm-smccc.h>
#include <linux/io.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#include <kcore/abi.h>

static u64 rnd_state;

static u64 rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

static u32 random_fid(unsigned int kind)
{
	u32 fid;

	switch (kind) {
	case 0:
		return KCORE_FN(0) + (u32)(rnd() & 0xff); /* KCore's calls, as KServ makes them */
	case 1:
		return 0x86000000U | (u32)(rnd() & 0xffff); /* vendor hypervisor (KVM's own) */
	case 2:
		return 0x80000000U | (u32)(rnd() & 0xffff); /* Arm architecture calls */
	default:
		do
			fid = (u32)rnd();
		while (((fid >> 24) & 0x3f) == ARM_SMCCC_OWNER_STANDARD);
		return fid;
	}
}

static void hvc_storm(u64 n, u64 seed)
{
	u64 i, kcore_ids = 0, kcore_answered = 0, calls[4] = { 0 };

	rnd_state = seed | 1;
	for (i = 0; i < n; i++) {
		struct arm_smccc_1_2_regs a, r;
		unsigned int kind = (unsigned int)(rnd() % 4);
		unsigned long *regs = &a.a0;
		int j;

		for (j = 1; j < 18; j++)
			regs[j] = rnd();
		a.a0 = random_fid(kind);
		if (rnd() & 1)
			arm_smccc_1_2_smc(&a, &r);
		else
			arm_smccc_1_2_hvc(&a, &r);
		calls[kind]++;
		if (kind == 0) {
			kcore_ids++;
			if (r.a0 != (u64)SMCCC_RET_NOT_SUPPORTED) {
				kcore_answered++;
				pr_info("guest_attack: call 0x%lx answered 0x%lx\n", a.a0, r.a0);
			}
		}
		cond_resched();
	}
	pr_info(
	    "guest_attack: hvcstorm n=%llu kcore-ids=%llu kcore-ids-answered=%llu vendor=%llu arch=%llu other=%llu\n",
	    n, kcore_ids, kcore_answered, calls[1], calls[2], calls[3]);
}

static int read_ipa(u64 ipa)
{
	void __iomem *p = ioremap(ipa, 8);

	if (!p)
		return -ENOMEM;
	pr_info("guest_attack: ipa 0x%llx value=0x%llx\n", ipa, readq(p));
	iounmap(p);
	return 0;
}

static ssize_t attack_cmd(struct file *file, const char __user *ubuf, size_t len, loff_t *off)
{
	unsigned long long a, b;
	char buf[64];
	int err = 0;

	if (len >= sizeof(buf) || copy_from_user(buf, ubuf, len))
		return -EINVAL;
	buf[len] = '\0';
	if (sscanf(buf, "ipa %llx", &a) == 1)
		err = read_ipa(a);
	else if (sscanf(buf, "hvcstorm %llu %llu", &a, &b) == 2 && a <= 10000000)
		hvc_storm(a, b);
	else
		return -EINVAL;
	return err ? err : len;
}

static const struct proc_ops attack_ops = {
	.proc_write = attack_cmd,
};

static struct proc_dir_entry *entry;

static int __init attack_init(void)
{
	entry = proc_create("guest_attack", 0200, NULL, &attack_ops);
	return entry ? 0 : -ENOMEM;
}

static void __exit attack_exit(void)
{
	proc_remove(entry);
}

module_init(attack_init);
module_exit(attack_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("A hostile guest: probes IPAs it has no memory at, issues garbage hypercalls");
