/* SPDX-License-Identifier: GPL-2.0 */
/* What KCore needs to know about the machine, read from the loader's DTB. */
#ifndef KCORE_PLATFORM_H
#define KCORE_PLATFORM_H

#include "fdt.h"
#include "types.h"

#define PLAT_MAX_MEM 8
#define PLAT_MAX_RESERVED 32
#define KCORE_MAX_CPUS 64

struct platform {
	struct range mem[PLAT_MAX_MEM]; /* RAM banks, page aligned, sorted */
	u32 nmem;
	struct range reserved[PLAT_MAX_RESERVED]; /* memreserve, reserved-memory, initrd */
	u32 nreserved;
	u64 cpu_mpidr[KCORE_MAX_CPUS];
	u32 ncpus;
	u64 uart_base; /* 0 when there is no PL011 console */
	bool gicv3;
	bool psci_smc; /* PSCI present with the "smc" conduit */
};

/* The PL011 console named by /chosen/stdout-path (or the first PL011),
 * 0 when none. Needs nothing else from the tree to be valid. */
u64 platform_find_uart(const struct fdt *f);

/* Fill @p from @f. Returns 0, or a negative KCORE_E* code with *why set to
 * a human-readable reason. */
int platform_parse(const struct fdt *f, struct platform *p, const char **why);

/* Index of the CPU with @mpidr (affinity fields only), or -1. */
int platform_cpu_index(const struct platform *p, u64 mpidr);

#endif /* KCORE_PLATFORM_H */
