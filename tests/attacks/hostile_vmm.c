// SPDX-License-Identifier: GPL-2.0
/*
 * A hostile VMM: tools/vmm with this file linked in. It boots the guest like
 * the real one; once the guest has run and powered off (its memory and vCPUs
 * still exist), it tries to take the guest's secrets the ways a user-space
 * VMM on a compromised KServ can:
 *
 *  - read and write guest RAM through its own mapping of the memslot, and
 *    have the kernel do it: /proc/self/mem and process_vm_readv/writev;
 *  - read and write the guest's registers with KVM_GET/SET_ONE_REG;
 *  - read the guest's GIC CPU interface state through the vGIC device;
 *  - delete the memslot while the VM lives and read what its pages hold.
 *
 * Each attempt prints "attack: WHAT: blocked (HOW)" or "attack: WHAT: LEAKED".
 * The process exits 0 only when the guest itself succeeded and every attempt
 * was blocked. On stock KVM (the baseline) every attempt succeeds, which is
 * how the test shows it can fail.
 */
#define _GNU_SOURCE /* process_vm_readv/writev */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/kvm.h>

#include "../../tools/vmm/vmm.h"

#define CORE_REG(r) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offsetof(struct kvm_regs, r) / 4))
#define SYS_REG(op0, op1, crn, crm, op2) ARM64_SYS_REG(op0, op1, crn, crm, op2)

static sigjmp_buf fault_jmp;
static int leaks, attempts, broken;

static void on_sigbus(int sig)
{
	siglongjmp(fault_jmp, sig);
}

static void report(const char *what, int blocked, const char *how)
{
	printf("attack: %s: %s (%s)\n", what, blocked ? "blocked" : "LEAKED", how);
	attempts++;
	if (!blocked)
		leaks++;
}

/* Touch guest RAM at @off through the VMM's mapping; a fault means blocked. */
static void touch_ram(struct vmm *v, uint64_t off, int write)
{
	volatile uint64_t *p = (volatile uint64_t *)(v->mem + off);
	char what[96], how[64];
	int sig;

	snprintf(what, sizeof(what), "%s guest RAM at IPA 0x%llx through the VMM's mapping", write ? "write" : "read",
		 (unsigned long long)(GUEST_RAM + off));
	sig = sigsetjmp(fault_jmp, 1);
	if (sig) {
		report(what, 1, sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
		return;
	}
	if (write) {
		*p = 0x5a5a5a5a5a5a5a5aULL;
		snprintf(how, sizeof(how), "the write went through");
	} else {
		snprintf(how, sizeof(how), "read 0x%llx", (unsigned long long)*p);
	}
	report(what, 0, how);
}

/* Guest RAM at @off through the kernel: /proc/self/mem or process_vm_readv/writev. */
static void kernel_copy(struct vmm *v, uint64_t off, int write, int use_proc_mem)
{
	uint64_t val = write ? 0x5a5a5a5a5a5a5a5aULL : 0;
	void *addr = v->mem + off;
	struct iovec local = { &val, sizeof(val) }, remote = { addr, sizeof(val) };
	char what[112], how[64];
	ssize_t n;
	int fd;

	snprintf(what, sizeof(what), "%s guest RAM at IPA 0x%llx through %s", write ? "write" : "read",
		 (unsigned long long)(GUEST_RAM + off), use_proc_mem ? "/proc/self/mem" : "process_vm_readv/writev");
	if (use_proc_mem) {
		fd = open("/proc/self/mem", O_RDWR);
		if (fd < 0) {
			report(what, 1, "cannot open /proc/self/mem");
			return;
		}
		n = write ? pwrite(fd, &val, sizeof(val), (off_t)(uintptr_t)addr)
			  : pread(fd, &val, sizeof(val), (off_t)(uintptr_t)addr);
		close(fd);
	} else {
		n = write ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
			  : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	}
	if (n != (ssize_t)sizeof(val))
		snprintf(how, sizeof(how), "%s", n < 0 ? strerror(errno) : "short");
	else if (write)
		snprintf(how, sizeof(how), "the write went through");
	else
		snprintf(how, sizeof(how), "read 0x%llx", (unsigned long long)val);
	report(what, n != (ssize_t)sizeof(val), how);
}

static void one_reg(int fd, const char *name, uint64_t id, int set)
{
	uint64_t val = 0;
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };
	char what[96], how[64];
	int ret = ioctl(fd, set ? KVM_SET_ONE_REG : KVM_GET_ONE_REG, &r);

	snprintf(what, sizeof(what), "KVM_%s_ONE_REG %s of a vCPU that ran", set ? "SET" : "GET", name);
	if (ret < 0)
		snprintf(how, sizeof(how), "%s", strerror(errno));
	else
		snprintf(how, sizeof(how), "%s 0x%llx", set ? "wrote" : "read", (unsigned long long)val);
	report(what, ret < 0, how);
}

static void gic_cpu_state(struct vmm *v)
{
	uint64_t val = 0;
	/* ICC_PMR_EL1 of vCPU 0 (MPIDR 0): op0 3, op1 0, CRn 4, CRm 6, op2 0. */
	struct kvm_device_attr a = {
		.group = KVM_DEV_ARM_VGIC_GRP_CPU_SYSREGS,
		.attr = (3ULL << 14) | (0 << 11) | (4 << 7) | (6 << 3) | 0,
		.addr = (uint64_t)(uintptr_t)&val,
	};
	int ret = ioctl(v->gic_fd, KVM_GET_DEVICE_ATTR, &a);
	char how[64];

	if (ret < 0)
		snprintf(how, sizeof(how), "%s", strerror(errno));
	else
		snprintf(how, sizeof(how), "read 0x%llx", (unsigned long long)val);
	report("ICC_PMR_EL1 through the vGIC device", ret < 0, how);
}

/*
 * Delete the memslot while the VM still exists and read its pages back: stock
 * KVM leaves guest RAM in the VMM's memory as it was; KCore hands every page
 * back scrubbed. A fault means a page never came back to KServ: broken.
 */
static void memslot_deleted(struct vmm *v, const uint64_t *offs, unsigned int n)
{
	struct kvm_userspace_memory_region region = { .slot = 0, .memory_size = 0 };
	char what[96], how[64];
	unsigned int i, k;

	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0) {
		printf("hostile-vmm: deleting the memslot failed: %s\n", strerror(errno));
		broken++;
		return;
	}
	for (i = 0; i < n; i++) {
		volatile uint64_t *page = (volatile uint64_t *)(v->mem + offs[i]);
		int sig;

		snprintf(what, sizeof(what), "read guest RAM at IPA 0x%llx after its memslot was deleted",
			 (unsigned long long)(GUEST_RAM + offs[i]));
		sig = sigsetjmp(fault_jmp, 1);
		if (sig) {
			printf("hostile-vmm: %s: %s: the page did not come back\n", what,
			       sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
			broken++;
			continue;
		}
		for (k = 0; k < 4096 / 8 && !page[k]; k++)
			;
		if (k < 4096 / 8)
			snprintf(how, sizeof(how), "read 0x%llx at +0x%x", (unsigned long long)page[k], k * 8);
		else
			snprintf(how, sizeof(how), "the page is all zero");
		report(what, k == 4096 / 8, how);
	}
}

int vmm_guest_done(struct vmm *v, int status)
{
	struct sigaction sa = { .sa_handler = on_sigbus };
	/* The first page of the kernel Image and the DTB: the guest ran both. */
	uint64_t offs[] = { 0, v->mem_size - (2UL << 20) };

	fflush(stdout);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	for (unsigned int i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		touch_ram(v, offs[i], 0);
		touch_ram(v, offs[i], 1);
		kernel_copy(v, offs[i], 0, 1);
		kernel_copy(v, offs[i], 1, 1);
		kernel_copy(v, offs[i], 0, 0);
		kernel_copy(v, offs[i], 1, 0);
	}
	one_reg(v->vcpu_fd[0], "PC", CORE_REG(regs.pc), 0);
	/* X0..X3 of a pending HVC are the call's own arguments: take X5 and the LR. */
	one_reg(v->vcpu_fd[0], "X5", CORE_REG(regs.regs[5]), 0);
	one_reg(v->vcpu_fd[0], "X30", CORE_REG(regs.regs[30]), 0);
	one_reg(v->vcpu_fd[0], "SP_EL1", CORE_REG(sp_el1), 0);
	one_reg(v->vcpu_fd[0], "TTBR1_EL1", SYS_REG(3, 0, 2, 0, 1), 0);
	one_reg(v->vcpu_fd[0], "VBAR_EL1", SYS_REG(3, 0, 12, 0, 0), 0);
	one_reg(v->vcpu_fd[0], "PC", CORE_REG(regs.pc), 1);
	one_reg(v->vcpu_fd[0], "SCTLR_EL1", SYS_REG(3, 0, 1, 0, 0), 1);
	gic_cpu_state(v);
	memslot_deleted(v, offs, sizeof(offs) / sizeof(offs[0]));
	printf("attack: %d of %d attempts leaked; the guest exited with %d\n", leaks, attempts, status);
	return leaks || broken || status ? 1 : 0;
}
