// SPDX-License-Identifier: GPL-2.0
/*
 * vmm: a small VMM for KVM on arm64. Loads a kernel Image and an initrd,
 * builds the guest's device tree, runs N vCPUs in threads with KVM's
 * in-kernel GICv3, timer and PSCI, emulates a PL011 console on stdout, and
 * exits with the guest's status when it powers off:
 *   0 or the byte the guest last wrote to GUEST_EXIT  - powered off
 *   125                                              - the guest reset
 *   1                                                - a VMM error (reported)
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmm.h"

#define SZ_2M (2UL << 20)
#define EXIT_RESET 125
#define CORE_REG(name) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | (offsetof(struct kvm_regs, name) / 4))

static struct vmm vmm;
static bool probe_only;

void die(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vmm: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static int xioctl(int fd, unsigned long req, void *arg, const char *what)
{
	int r = ioctl(fd, req, arg);

	if (r < 0)
		die("%s: %s", what, strerror(errno));
	return r;
}

/* Read @path into guest memory at @gpa (at most @max bytes). */
static uint64_t load_file(const char *path, uint64_t gpa, uint64_t max)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	uint64_t done = 0;

	if (fd < 0 || fstat(fd, &st) < 0)
		die("%s: %s", path, strerror(errno));
	if ((uint64_t)st.st_size > max)
		die("%s: %lld bytes do not fit in guest memory", path, (long long)st.st_size);
	while (done < (uint64_t)st.st_size) {
		ssize_t n = read(fd, vmm.mem + (gpa - GUEST_RAM) + done, (size_t)st.st_size - done);

		if (n <= 0)
			die("%s: read: %s", path, n < 0 ? strerror(errno) : "short file");
		done += (uint64_t)n;
	}
	close(fd);
	return done;
}

static void set_reg(int fd, uint64_t id, uint64_t val)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&val };

	xioctl(fd, KVM_SET_ONE_REG, &r, "KVM_SET_ONE_REG");
}

static void create_gic(void)
{
	struct kvm_create_device dev = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint64_t dist = GUEST_GICD, redist = GUEST_GICR;
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_ADDR };

	xioctl(vmm.vm, KVM_CREATE_DEVICE, &dev, "KVM_CREATE_DEVICE (GICv3)");
	a.attr = KVM_VGIC_V3_ADDR_TYPE_DIST;
	a.addr = (uint64_t)(uintptr_t)&dist;
	xioctl((int)dev.fd, KVM_SET_DEVICE_ATTR, &a, "GICv3 distributor address");
	a.attr = KVM_VGIC_V3_ADDR_TYPE_REDIST;
	a.addr = (uint64_t)(uintptr_t)&redist;
	xioctl((int)dev.fd, KVM_SET_DEVICE_ATTR, &a, "GICv3 redistributor address");
	vmm.gic_fd = (int)dev.fd;
}

static void init_gic(void)
{
	struct kvm_device_attr a = { .group = KVM_DEV_ARM_VGIC_GRP_CTRL, .attr = KVM_DEV_ARM_VGIC_CTRL_INIT };

	xioctl(vmm.gic_fd, KVM_SET_DEVICE_ATTR, &a, "GICv3 init");
}

static int create_vcpu(int i, uint64_t entry, uint64_t dtb)
{
	struct kvm_vcpu_init init;
	int fd = xioctl(vmm.vm, KVM_CREATE_VCPU, (void *)(uintptr_t)i, "KVM_CREATE_VCPU");

	xioctl(vmm.vm, KVM_ARM_PREFERRED_TARGET, &init, "KVM_ARM_PREFERRED_TARGET");
	init.features[0] |= 1U << KVM_ARM_VCPU_PSCI_0_2;
	if (i > 0)
		init.features[0] |= 1U << KVM_ARM_VCPU_POWER_OFF; /* started by PSCI CPU_ON */
	xioctl(fd, KVM_ARM_VCPU_INIT, &init, "KVM_ARM_VCPU_INIT");
	if (i == 0) {
		set_reg(fd, CORE_REG(regs.pc), entry);
		set_reg(fd, CORE_REG(regs.regs[0]), dtb);
	}
	return fd;
}

/*
 * --probe-only (make bench's first-instruction row): vCPU 0 starts in a stub
 * in the last page of RAM that reads the virtual counter (zero when the VM
 * was created) in its first instruction and stores it to GUEST_PROBE. The
 * MMU is off, so the store is a Device access: an MMIO exit on both stacks,
 * where the VMM prints the value and exits. The kernel is loaded as for a
 * boot, so the set-up measured is a real one.
 */
static uint32_t a64_movz(unsigned int rd, uint16_t imm, unsigned int shift)
{
	return 0xd2800000U | (shift / 16) << 21 | (uint32_t)imm << 5 | rd;
}

static uint32_t a64_movk(unsigned int rd, uint16_t imm, unsigned int shift)
{
	return 0xf2800000U | (shift / 16) << 21 | (uint32_t)imm << 5 | rd;
}

static uint64_t write_probe_stub(void)
{
	uint64_t gpa = GUEST_RAM + vmm.mem_size - 4096;
	uint32_t stub[] = {
		0xd53be049U, /* mrs x9, cntvct_el0 */
		a64_movz(10, (uint16_t)(GUEST_PROBE >> 16), 16),
		a64_movk(10, (uint16_t)GUEST_PROBE, 0),
		0xf9000149U, /* str x9, [x10] */
		0x14000000U, /* b . (not reached: the VMM exits at the store) */
	};

	_Static_assert(GUEST_PROBE >> 32 == 0, "the stub loads a 32-bit address");
	memcpy(vmm.mem + (gpa - GUEST_RAM), stub, sizeof(stub));
	return gpa;
}

static uint64_t counter_ns(uint64_t ticks)
{
	uint64_t freq;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	return (uint64_t)((unsigned __int128)ticks * 1000000000U / freq);
}

static void mmio(struct kvm_run *run)
{
	uint64_t a = run->mmio.phys_addr;

	if (probe_only && a == GUEST_PROBE && run->mmio.is_write && run->mmio.len == 8) {
		uint64_t ticks;

		memcpy(&ticks, run->mmio.data, sizeof(ticks));
		printf("vmm: first-instruction-ns %llu\n", (unsigned long long)counter_ns(ticks));
		fflush(stdout);
		exit(0);
	}
	if (pl011_access(&vmm, a, run->mmio.data, run->mmio.len, run->mmio.is_write))
		return;
	if (a >= GUEST_EXIT && a < GUEST_EXIT + GUEST_EXIT_SIZE) {
		if (run->mmio.is_write)
			vmm.status = run->mmio.data[0];
		else
			memset(run->mmio.data, 0, sizeof(run->mmio.data));
		return;
	}
	if (!run->mmio.is_write)
		memset(run->mmio.data, 0, sizeof(run->mmio.data));
	fprintf(stderr, "vmm: unhandled MMIO %s at 0x%llx\n", run->mmio.is_write ? "write" : "read",
		(unsigned long long)a);
}

__attribute__((weak)) int vmm_guest_done(struct vmm *v, int status)
{
	(void)v;
	return status;
}

static void finish(int status)
{
	static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;

	pthread_mutex_lock(&once); /* one vCPU thread ends the VMM */
	status = vmm_guest_done(&vmm, status);
	fflush(stdout);
	exit(status);
}

struct vcpu_thread {
	int fd;
	int index;
};

static void *vcpu_loop(void *arg)
{
	struct vcpu_thread *t = arg;
	struct kvm_run *run = mmap(NULL, vmm.run_size, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);

	if (run == MAP_FAILED)
		die("mmap kvm_run: %s", strerror(errno));
	for (;;) {
		if (ioctl(t->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			die("KVM_RUN on vCPU %d: %s", t->index, strerror(errno));
		}
		switch (run->exit_reason) {
		case KVM_EXIT_MMIO:
			mmio(run);
			break;
		case KVM_EXIT_SYSTEM_EVENT:
			if (run->system_event.type == KVM_SYSTEM_EVENT_SHUTDOWN)
				finish(vmm.status);
			if (run->system_event.type == KVM_SYSTEM_EVENT_RESET)
				finish(EXIT_RESET);
			die("vCPU %d: system event %u", t->index, run->system_event.type);
		case KVM_EXIT_INTR:
			break;
		case KVM_EXIT_FAIL_ENTRY:
			die("vCPU %d: KVM could not enter the guest (reason 0x%llx)", t->index,
			    (unsigned long long)run->fail_entry.hardware_entry_failure_reason);
		default:
			die("vCPU %d: unexpected exit %u", t->index, run->exit_reason);
		}
	}
	return NULL;
}

static void usage(void)
{
	fprintf(stderr, "usage: vmm --kernel IMAGE [--initrd FILE] [--append ARGS] [--smp N] [--mem MiB]\n"
			"           [--probe-only]\n");
	exit(1);
}

static void parse(int argc, char **argv, const char **kernel, const char **initrd, const char **append)
{
	static const struct option opts[] = {
		{ "kernel", 1, NULL, 'k' }, { "initrd", 1, NULL, 'i' }, { "append", 1, NULL, 'a' },
		{ "smp", 1, NULL, 's' },    { "mem", 1, NULL, 'm' },	{ "probe-only", 0, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'k':
			*kernel = optarg;
			break;
		case 'i':
			*initrd = optarg;
			break;
		case 'a':
			*append = optarg;
			break;
		case 's':
			vmm.nvcpus = atoi(optarg);
			break;
		case 'm':
			vmm.mem_size = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'p':
			probe_only = true;
			break;
		default:
			usage();
		}
	}
	if (!*kernel || vmm.nvcpus < 1 || vmm.nvcpus > MAX_VCPUS || vmm.mem_size < (64UL << 20))
		usage();
}

int main(int argc, char **argv)
{
	const char *kernel = NULL, *initrd = NULL, *append = "console=ttyAMA0";
	struct kvm_userspace_memory_region region = { 0 };
	static struct vcpu_thread threads[MAX_VCPUS];
	uint64_t kernel_size, initrd_gpa, initrd_size = 0, dtb_gpa, entry;
	size_t dtb_size;
	void *dtb;
	int i;

	vmm.nvcpus = 1;
	vmm.mem_size = 256UL << 20;
	parse(argc, argv, &kernel, &initrd, &append);
	vmm.kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (vmm.kvm < 0)
		die("/dev/kvm: %s (is KVM available on this host?)", strerror(errno));
	vmm.vm = xioctl(vmm.kvm, KVM_CREATE_VM, 0, "KVM_CREATE_VM");
	vmm.run_size = (size_t)xioctl(vmm.kvm, KVM_GET_VCPU_MMAP_SIZE, NULL, "KVM_GET_VCPU_MMAP_SIZE");
	vmm.mem = mmap(NULL, vmm.mem_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (vmm.mem == MAP_FAILED)
		die("cannot allocate %llu MiB of guest memory", (unsigned long long)(vmm.mem_size >> 20));
	/* A child (say, of system()) must not copy guest RAM: on KCore it is not ours to read. */
	if (madvise(vmm.mem, vmm.mem_size, MADV_DONTFORK) < 0 && errno != ENOSYS)
		die("madvise(MADV_DONTFORK): %s", strerror(errno));
	region.guest_phys_addr = GUEST_RAM;
	region.memory_size = vmm.mem_size;
	region.userspace_addr = (uint64_t)(uintptr_t)vmm.mem;
	xioctl(vmm.vm, KVM_SET_USER_MEMORY_REGION, &region, "KVM_SET_USER_MEMORY_REGION");

	/* The Image at the start of RAM (2 MiB aligned, text_offset 0), the
	 * initrd after it, the DTB in the last 2 MiB. */
	dtb_gpa = GUEST_RAM + vmm.mem_size - SZ_2M;
	kernel_size = load_file(kernel, GUEST_RAM, vmm.mem_size / 2);
	if (kernel_size < 64 || memcmp(vmm.mem + 56, "ARM\x64", 4))
		die("%s is not an arm64 kernel Image", kernel);
	kernel_size = *(uint64_t *)(vmm.mem + 16) ? *(uint64_t *)(vmm.mem + 16) : kernel_size;
	initrd_gpa = GUEST_RAM + ((kernel_size + SZ_2M - 1) & ~(SZ_2M - 1));
	if (initrd)
		initrd_size = load_file(initrd, initrd_gpa, dtb_gpa - initrd_gpa);
	dtb = build_dtb(&vmm, append, initrd_gpa, initrd_size, &dtb_size);
	if (!dtb || dtb_size > SZ_2M)
		die("cannot build the guest's device tree");
	memcpy(vmm.mem + (dtb_gpa - GUEST_RAM), dtb, dtb_size);

	entry = probe_only ? write_probe_stub() : GUEST_RAM;

	create_gic();
	for (i = 0; i < vmm.nvcpus; i++) {
		threads[i].index = i;
		threads[i].fd = create_vcpu(i, entry, dtb_gpa);
		vmm.vcpu_fd[i] = threads[i].fd;
	}
	init_gic();
	pl011_init(&vmm);
	for (i = 0; i < vmm.nvcpus; i++)
		if (pthread_create(&vmm.threads[i], NULL, vcpu_loop, &threads[i]))
			die("cannot start the thread of vCPU %d", i);
	for (i = 0; i < vmm.nvcpus; i++)
		pthread_join(vmm.threads[i], NULL);
	return 1; /* not reached: the guest's power-off ends the process */
}
