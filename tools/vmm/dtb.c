// SPDX-License-Identifier: GPL-2.0
/* The guest's device tree: memory, CPUs, PSCI over HVC, GICv3, timer, UART. */
#include <stdio.h>

#include "fdt_build.h"
#include "vmm.h"

#define PHANDLE_GIC 1
#define PHANDLE_CLK 2
#define IRQ_LEVEL_HIGH 4

static void cpus(struct fdtw *w, int n)
{
	char name[32];
	int i;

	fdtw_begin(w, "cpus");
	fdtw_u32(w, "#address-cells", 1);
	fdtw_u32(w, "#size-cells", 0);
	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "cpu@%d", i);
		fdtw_begin(w, name);
		fdtw_str(w, "device_type", "cpu");
		fdtw_str(w, "compatible", "arm,arm-v8");
		fdtw_u32(w, "reg", (uint32_t)i);
		fdtw_str(w, "enable-method", "psci");
		fdtw_end(w);
	}
	fdtw_end(w);
}

static void gic_timer(struct fdtw *w, int n)
{
	uint64_t reg[] = { GUEST_GICD, GUEST_GICD_SIZE, GUEST_GICR, GUEST_GICR_STRIDE * (uint64_t)n };
	/* Secure and non-secure physical, virtual and hypervisor timer PPIs. */
	uint32_t timer[] = {
		1, 13, IRQ_LEVEL_HIGH, 1, 14, IRQ_LEVEL_HIGH, 1, 11, IRQ_LEVEL_HIGH, 1, 10, IRQ_LEVEL_HIGH
	};

	fdtw_begin(w, "intc@8000000");
	fdtw_str(w, "compatible", "arm,gic-v3");
	fdtw_u32(w, "#interrupt-cells", 3);
	fdtw_prop(w, "interrupt-controller", NULL, 0);
	fdtw_u64s(w, "reg", reg, 4);
	fdtw_u32(w, "phandle", PHANDLE_GIC);
	fdtw_end(w);
	fdtw_begin(w, "timer");
	fdtw_str(w, "compatible", "arm,armv8-timer");
	fdtw_cells(w, "interrupts", timer, 12);
	fdtw_prop(w, "always-on", NULL, 0);
	fdtw_end(w);
}

static void uart(struct fdtw *w)
{
	uint64_t reg[] = { GUEST_UART, GUEST_UART_SIZE };
	uint32_t irq[] = { 0, GUEST_UART_SPI, IRQ_LEVEL_HIGH }, clk[] = { PHANDLE_CLK, PHANDLE_CLK };
	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";

	fdtw_begin(w, "apb-pclk");
	fdtw_str(w, "compatible", "fixed-clock");
	fdtw_u32(w, "#clock-cells", 0);
	fdtw_u32(w, "clock-frequency", 24000000);
	fdtw_u32(w, "phandle", PHANDLE_CLK);
	fdtw_end(w);
	fdtw_begin(w, "pl011@9000000");
	fdtw_strs(w, "compatible", compat, sizeof(compat));
	fdtw_u64s(w, "reg", reg, 2);
	fdtw_cells(w, "interrupts", irq, 3);
	fdtw_cells(w, "clocks", clk, 2);
	fdtw_strs(w, "clock-names", clock_names, sizeof(clock_names));
	fdtw_end(w);
}

void *build_dtb(const struct vmm *v, const char *cmdline, uint64_t initrd, uint64_t initrd_size, size_t *size)
{
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	uint64_t mem[] = { GUEST_RAM, v->mem_size }, rd[] = { initrd, initrd + initrd_size };
	struct fdtw w;

	fdtw_init(&w);
	fdtw_begin(&w, "");
	fdtw_u32(&w, "#address-cells", 2);
	fdtw_u32(&w, "#size-cells", 2);
	fdtw_str(&w, "compatible", "linux,dummy-virt");
	fdtw_u32(&w, "interrupt-parent", PHANDLE_GIC);
	fdtw_begin(&w, "chosen");
	fdtw_str(&w, "bootargs", cmdline);
	fdtw_str(&w, "stdout-path", "/pl011@9000000");
	if (initrd_size) {
		fdtw_u64s(&w, "linux,initrd-start", &rd[0], 1);
		fdtw_u64s(&w, "linux,initrd-end", &rd[1], 1);
	}
	fdtw_end(&w);
	fdtw_begin(&w, "memory@40000000");
	fdtw_str(&w, "device_type", "memory");
	fdtw_u64s(&w, "reg", mem, 2);
	fdtw_end(&w);
	cpus(&w, v->nvcpus);
	fdtw_begin(&w, "psci");
	fdtw_strs(&w, "compatible", psci_compat, sizeof(psci_compat));
	fdtw_str(&w, "method", "hvc");
	fdtw_end(&w);
	gic_timer(&w, v->nvcpus);
	uart(&w);
	fdtw_end(&w);
	return fdtw_finish(&w, size);
}
