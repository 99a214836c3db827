// SPDX-License-Identifier: GPL-2.0
/* Reading the machine description KCore needs from the device tree. */
#include "platform.h"
#include "lib.h"
#include <kcore/abi.h>

#define MPIDR_AFF_MASK 0xff00ffffffUL

/* Add a range to a bounded array; false when it is full. */
static bool add_range(struct range *arr, u32 *n, u32 max, u64 base, u64 size)
{
	if (*n >= max)
		return false;
	arr[*n].base = base;
	arr[*n].size = size;
	(*n)++;
	return true;
}

/* Walk the "reg" entries of @node, calling back with each (base, size). */
static int for_each_reg(const struct fdt *f, int node, u32 ac, u32 sc, struct range *arr, u32 *n, u32 max)
{
	u32 len, pos, entry = 4 * (ac + sc);
	const u8 *reg = fdt_prop(f, node, "reg", &len);

	if (!reg)
		return 0;
	if (ac < 1 || ac > 2 || sc > 2 || len % entry)
		return -KCORE_EINVAL;
	for (pos = 0; pos < len; pos += entry) {
		u64 base = fdt_read_cells(reg + pos, ac);
		u64 size = sc ? fdt_read_cells(reg + pos + 4 * ac, sc) : 0;

		if (base + size < base)
			return -KCORE_EINVAL;
		if (!add_range(arr, n, max, base, size))
			return -KCORE_ENOSPC;
	}
	return 0;
}

static void sort_ranges(struct range *r, u32 n)
{
	u32 i, j;

	for (i = 1; i < n; i++)
		for (j = i; j > 0 && r[j - 1].base > r[j].base; j--) {
			struct range t = r[j];

			r[j] = r[j - 1];
			r[j - 1] = t;
		}
}

/* Memory banks, trimmed to whole pages; overlapping banks are refused. */
static int parse_memory(const struct fdt *f, struct platform *p, const char **why)
{
	int root = fdt_root(f), node = root, depth = 0, err;
	u32 ac, sc, i, len;

	fdt_cells(f, root, &ac, &sc);
	while ((node = fdt_next_node(f, node, &depth)) >= 0) {
		const u8 *dt = fdt_prop(f, node, "device_type", &len);

		if (depth != 1 || !dt || len != 7 || kc_memcmp(dt, "memory", 7) != 0)
			continue;
		err = for_each_reg(f, node, ac, sc, p->mem, &p->nmem, PLAT_MAX_MEM);
		if (err) {
			*why = "cannot read /memory (malformed or more than 8 banks)";
			return err;
		}
	}
	for (i = 0; i < p->nmem; i++) {
		u64 b = ALIGN_UP(p->mem[i].base, PAGE_SIZE), e = ALIGN_DOWN(range_end(&p->mem[i]), PAGE_SIZE);

		p->mem[i].base = b;
		p->mem[i].size = e > b ? e - b : 0;
	}
	sort_ranges(p->mem, p->nmem);
	for (i = 0; i + 1 < p->nmem; i++)
		if (range_end(&p->mem[i]) > p->mem[i + 1].base) {
			*why = "overlapping /memory banks";
			return -KCORE_EINVAL;
		}
	if (p->nmem == 0 || p->mem[0].size == 0) {
		*why = "no /memory in the device tree";
		return -KCORE_EINVAL;
	}
	return 0;
}

static u64 read_addr_prop(const struct fdt *f, int node, const char *name, bool *ok)
{
	u32 len;
	const u8 *v = fdt_prop(f, node, name, &len);

	*ok = v && (len == 4 || len == 8);
	return *ok ? fdt_read_cells(v, len / 4) : 0;
}

/* /memreserve/ entries, static /reserved-memory regions and the initrd. */
static int parse_reserved(const struct fdt *f, struct platform *p, const char **why)
{
	int rm = fdt_path(f, "/reserved-memory"), node, depth = 0;
	int chosen = fdt_path(f, "/chosen");
	u32 i, ac, sc, n = fdt_rsv_count(f);
	bool ok1, ok2;
	u64 start, end;

	*why = "too many reserved memory regions";
	for (i = 0; i < n; i++) {
		fdt_rsv_get(f, i, &start, &end);
		if (!add_range(p->reserved, &p->nreserved, PLAT_MAX_RESERVED, start, end))
			return -KCORE_ENOSPC;
	}
	if (rm >= 0) {
		fdt_cells(f, rm, &ac, &sc);
		node = rm;
		while ((node = fdt_next_node(f, node, &depth)) >= 0 && depth > 0)
			if (depth == 1 && for_each_reg(f, node, ac, sc, p->reserved, &p->nreserved, PLAT_MAX_RESERVED))
				return -KCORE_ENOSPC;
	}
	start = read_addr_prop(f, chosen, "linux,initrd-start", &ok1);
	end = read_addr_prop(f, chosen, "linux,initrd-end", &ok2);
	if (ok1 && ok2 && end > start && !add_range(p->reserved, &p->nreserved, PLAT_MAX_RESERVED, start, end - start))
		return -KCORE_ENOSPC;
	return 0;
}

static int parse_cpus(const struct fdt *f, struct platform *p, const char **why)
{
	int cpus = fdt_path(f, "/cpus"), node, depth = 0;
	u32 ac = fdt_prop_u32(f, cpus, "#address-cells", 1), len;

	*why = "no usable /cpus";
	if (cpus < 0 || ac < 1 || ac > 2)
		return -KCORE_EINVAL;
	node = cpus;
	while ((node = fdt_next_node(f, node, &depth)) >= 0 && depth > 0) {
		const u8 *dt = fdt_prop(f, node, "device_type", &len);
		const u8 *reg;

		if (depth != 1 || !dt || len != 4 || kc_memcmp(dt, "cpu", 4) != 0)
			continue;
		reg = fdt_prop(f, node, "reg", &len);
		if (!reg || len != 4 * ac)
			return -KCORE_EINVAL;
		if (p->ncpus == KCORE_MAX_CPUS) {
			*why = "more CPUs than KCORE_MAX_CPUS";
			return -KCORE_ENOSPC;
		}
		p->cpu_mpidr[p->ncpus++] = fdt_read_cells(reg, ac) & MPIDR_AFF_MASK;
	}
	return p->ncpus ? 0 : -KCORE_EINVAL;
}

static bool node_is_pl011(const struct fdt *f, int node)
{
	return node >= 0 && fdt_compatible(f, node, "arm,pl011");
}

/* The node /chosen/stdout-path names (an absolute path or an alias). */
static int stdout_node(const struct fdt *f)
{
	char path[128];
	u32 len, n = 0;
	const u8 *sp = fdt_prop(f, fdt_path(f, "/chosen"), "stdout-path", &len);

	if (!sp)
		return -1;
	while (n < len && n + 1 < sizeof(path) && sp[n] && sp[n] != ':') {
		path[n] = (char)sp[n];
		n++;
	}
	path[n] = '\0';
	if (path[0] != '/') {
		sp = fdt_prop(f, fdt_path(f, "/aliases"), path, &len);
		if (!sp || !len || sp[len - 1] != '\0')
			return -1;
		return fdt_path(f, (const char *)sp);
	}
	return fdt_path(f, path);
}

/* The CPU-physical base of a device directly under the root (or under a
 * bus with identity "ranges"), 0 when it cannot be translated. */
static u64 device_base(const struct fdt *f, int node)
{
	int parent = fdt_parent(f, node);
	u32 ac, sc, len;
	const u8 *reg;

	if (parent < 0)
		return 0;
	if (parent != fdt_root(f) && (!fdt_prop(f, parent, "ranges", &len) || len != 0))
		return 0;
	fdt_cells(f, parent, &ac, &sc);
	reg = fdt_prop(f, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || len < 4 * ac)
		return 0;
	return fdt_read_cells(reg, ac);
}

u64 platform_find_uart(const struct fdt *f)
{
	int node = stdout_node(f), depth = 0;

	if (node_is_pl011(f, node))
		return device_base(f, node);
	node = fdt_root(f);
	while ((node = fdt_next_node(f, node, &depth)) >= 0)
		if (node_is_pl011(f, node))
			return device_base(f, node);
	return 0;
}

static bool find_compatible(const struct fdt *f, const char *compat)
{
	int node = fdt_root(f), depth = 0;

	while ((node = fdt_next_node(f, node, &depth)) >= 0)
		if (fdt_compatible(f, node, compat))
			return true;
	return false;
}

static bool psci_uses_smc(const struct fdt *f)
{
	u32 len;
	int node = fdt_path(f, "/psci");
	const u8 *m = fdt_prop(f, node, "method", &len);

	return m && len == 4 && kc_memcmp(m, "smc", 4) == 0;
}

int platform_parse(const struct fdt *f, struct platform *p, const char **why)
{
	int err;

	kc_memset(p, 0, sizeof(*p));
	err = parse_memory(f, p, why);
	if (!err)
		err = parse_reserved(f, p, why);
	if (!err)
		err = parse_cpus(f, p, why);
	if (err)
		return err;
	p->uart_base = platform_find_uart(f);
	p->gicv3 = find_compatible(f, "arm,gic-v3");
	p->psci_smc = psci_uses_smc(f);
	return 0;
}

int platform_cpu_index(const struct platform *p, u64 mpidr)
{
	u32 i;

	for (i = 0; i < p->ncpus; i++)
		if (p->cpu_mpidr[i] == (mpidr & MPIDR_AFF_MASK))
			return (int)i;
	return -1;
}
