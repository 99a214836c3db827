// SPDX-License-Identifier: GPL-2.0
/*
 * A PL011 UART, emulated through KVM_EXIT_MMIO: what the guest writes goes to
 * stdout, what arrives on stdin is received. Enough of the register set for
 * Linux's amba-pl011 driver: data, flags, control, interrupts, identity.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "vmm.h"

#define DR 0x000
#define FR 0x018
#define IBRD 0x024
#define FBRD 0x028
#define LCR_H 0x02c
#define CR 0x030
#define IFLS 0x034
#define IMSC 0x038
#define RIS 0x03c
#define MIS 0x040
#define ICR 0x044
#define DMACR 0x048
#define FR_RXFE (1U << 4)
#define FR_TXFE (1U << 7)
#define INT_RX (1U << 4)
#define INT_TX (1U << 5)
#define INT_RT (1U << 6)

static struct {
	pthread_mutex_t lock;
	uint32_t reg[0x50 / 4];
	uint8_t rx[256];
	unsigned rx_head, rx_tail;
	int line; /* interrupt level last set */
	struct vmm *vmm;
} u = { .lock = PTHREAD_MUTEX_INITIALIZER };

static const uint8_t id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

static uint32_t ris(void)
{
	uint32_t r = INT_TX; /* the transmit FIFO is always empty */

	if (u.rx_head != u.rx_tail)
		r |= INT_RX | INT_RT;
	return r;
}

static void update_irq(void)
{
	int level = (ris() & u.reg[IMSC / 4]) != 0;
	struct kvm_irq_level irq = {
		.irq = (KVM_ARM_IRQ_TYPE_SPI << KVM_ARM_IRQ_TYPE_SHIFT) | (32 + GUEST_UART_SPI),
		.level = (uint32_t)level,
	};

	if (level == u.line)
		return;
	u.line = level;
	if (ioctl(u.vmm->vm, KVM_IRQ_LINE, &irq) < 0)
		die("KVM_IRQ_LINE: %s", strerror(errno));
}

static void *input_thread(void *arg)
{
	uint8_t c;

	(void)arg;
	while (read(STDIN_FILENO, &c, 1) == 1) {
		pthread_mutex_lock(&u.lock);
		if ((u.rx_tail + 1) % sizeof(u.rx) != u.rx_head) {
			u.rx[u.rx_tail] = c;
			u.rx_tail = (u.rx_tail + 1) % sizeof(u.rx);
		}
		update_irq();
		pthread_mutex_unlock(&u.lock);
	}
	return NULL;
}

static struct termios saved_tty;

static void restore_tty(void)
{
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

static void interrupted(int sig)
{
	(void)sig;
	tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty); /* async-signal-safe */
	_exit(130);
}

/* On a terminal, keystrokes go to the guest as typed and only the guest
 * echoes them; Ctrl-C still stops the VMM. Restored when the VMM exits. */
static void raw_tty(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) < 0)
		return;
	t = saved_tty;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO | ECHONL | IEXTEN);
	t.c_iflag &= ~(tcflag_t)(ICRNL | INLCR | IXON);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) < 0)
		return;
	atexit(restore_tty);
	signal(SIGINT, interrupted);
	signal(SIGTERM, interrupted);
}

void pl011_init(struct vmm *v)
{
	pthread_t t;

	u.vmm = v;
	raw_tty();
	u.reg[CR / 4] = 0x300;
	if (pthread_create(&t, NULL, input_thread, NULL) == 0)
		pthread_detach(t);
}

static uint32_t read_reg(uint64_t off)
{
	uint32_t v;

	if (off >= 0xfe0 && off < 0x1000)
		return id[(off - 0xfe0) / 4];
	switch (off) {
	case DR:
		if (u.rx_head == u.rx_tail)
			return 0;
		v = u.rx[u.rx_head];
		u.rx_head = (u.rx_head + 1) % sizeof(u.rx);
		return v;
	case FR:
		return FR_TXFE | (u.rx_head == u.rx_tail ? FR_RXFE : 0);
	case RIS:
		return ris();
	case MIS:
		return ris() & u.reg[IMSC / 4];
	default:
		return off < sizeof(u.reg) ? u.reg[off / 4] : 0;
	}
}

static void write_reg(uint64_t off, uint32_t v)
{
	switch (off) {
	case DR: {
		char c = (char)v;

		if (write(STDOUT_FILENO, &c, 1) < 0)
			break;
		break;
	}
	case ICR:
	case FR:
	case RIS:
	case MIS:
		break; /* the interrupt state follows the FIFOs */
	default:
		if (off < sizeof(u.reg))
			u.reg[off / 4] = v;
	}
}

bool pl011_access(struct vmm *v, uint64_t addr, uint8_t *data, uint32_t len, bool write)
{
	uint64_t off = addr - GUEST_UART;
	uint32_t val = 0;

	(void)v;
	if (addr < GUEST_UART || off >= GUEST_UART_SIZE || len > 4)
		return false;
	pthread_mutex_lock(&u.lock);
	if (write) {
		memcpy(&val, data, len);
		write_reg(off & ~3UL, val);
	} else {
		val = read_reg(off & ~3UL);
		memcpy(data, &val, len);
	}
	update_irq();
	pthread_mutex_unlock(&u.lock);
	return true;
}
