/* SPDX-License-Identifier: GPL-2.0 */
/* The small VMM: shared declarations. */
#ifndef VMM_VMM_H
#define VMM_VMM_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

/* The guest's physical memory map (the layout of QEMU's virt machine). */
#define GUEST_GICD 0x08000000UL
#define GUEST_GICD_SIZE 0x10000UL
#define GUEST_GICR 0x080a0000UL
#define GUEST_GICR_STRIDE 0x20000UL
#define GUEST_UART 0x09000000UL
#define GUEST_UART_SIZE 0x1000UL
#define GUEST_UART_SPI 1	/* INTID 33 */
#define GUEST_EXIT 0x09010000UL /* write a byte: the status the VMM exits with */
#define GUEST_EXIT_SIZE 0x1000UL
/* --probe-only: the guest's virtual counter at its first instruction
 * is written here (an address no device claims: an exit to the VMM). */
#define GUEST_PROBE 0x09020000UL
#define GUEST_RAM 0x40000000UL
#define MAX_VCPUS 16

struct vmm {
	int kvm, vm, gic_fd;
	int nvcpus;
	uint64_t mem_size;
	uint8_t *mem;
	size_t run_size;
	volatile int status; /* what the VMM exits with when the guest powers off */
	int vcpu_fd[MAX_VCPUS];
	pthread_t threads[MAX_VCPUS];
};

/*
 * Called when the guest has powered off, before the VMM exits with the
 * status it returns. The VMM's own is the identity; test builds (a hostile
 * VMM) replace it.
 */
int vmm_guest_done(struct vmm *v, int status);

void die(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* PL011 UART: console on stdout, input from stdin. */
void pl011_init(struct vmm *v);
bool pl011_access(struct vmm *v, uint64_t addr, uint8_t *data, uint32_t len, bool write);

/* The guest's device tree. */
void *build_dtb(const struct vmm *v, const char *cmdline, uint64_t initrd, uint64_t initrd_size, size_t *size);

#endif
