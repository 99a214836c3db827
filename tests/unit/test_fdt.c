// SPDX-License-Identifier: GPL-2.0
/* Device tree reading, platform discovery and the reserved-memory edit. */
#include <stdlib.h>

#include "fdt.h"
#include "harness.h"
#include "platform.h"
#include "util.h"
#include <kcore/abi.h>

static struct fdt open_dtb(const char *name)
{
	struct fdt f;
	size_t len;
	void *blob = read_blob(name, &len);

	CHECK_EQ(fdt_open(&f, blob, len), 0);
	return f;
}

TEST(fdt_open_rejects_bad_headers)
{
	size_t len;
	u8 *blob = read_blob("virt.dtb", &len);
	struct fdt f;

	CHECK_EQ(fdt_open(&f, blob, len), 0);
	CHECK(fdt_open(&f, blob, 39) < 0);	/* shorter than a header */
	CHECK(fdt_open(&f, blob, len - 1) < 0); /* totalsize beyond what is readable */
	blob[0] ^= 1;
	CHECK(fdt_open(&f, blob, len) < 0); /* magic */
	blob[0] ^= 1;
	fdt_put_be32(blob + 12, (u32)len); /* strings block past the end */
	CHECK(fdt_open(&f, blob, len) < 0);
	free(blob);
}

TEST(fdt_paths_props_and_compatible)
{
	struct fdt f = open_dtb("virt.dtb");
	u32 len;
	int psci = fdt_path(&f, "/psci"), cpus = fdt_path(&f, "/cpus");
	const u8 *m = fdt_prop(&f, psci, "method", &len);

	CHECK(psci > 0);
	CHECK(m && len == 4 && memcmp(m, "smc", 4) == 0);
	CHECK(fdt_compatible(&f, psci, "arm,psci-0.2"));
	CHECK(!fdt_compatible(&f, psci, "arm,psci-0."));
	CHECK(fdt_subnode(&f, cpus, "cpu") > 0); /* "cpu" matches "cpu@0" */
	CHECK(fdt_subnode(&f, cpus, "cpu@100") > 0);
	CHECK(fdt_subnode(&f, cpus, "cpu@2") < 0);
	CHECK(fdt_path(&f, "/nope") < 0);
	CHECK_EQ(fdt_parent(&f, fdt_subnode(&f, cpus, "cpu@1")), cpus);
	CHECK_EQ(fdt_prop_u32(&f, cpus, "#address-cells", 7), 1);
	CHECK_EQ(fdt_prop_u32(&f, cpus, "missing", 7), 7);
	CHECK_EQ(fdt_rsv_count(&f), 1);
}

TEST(platform_from_virt_dtb)
{
	struct fdt f = open_dtb("virt.dtb");
	struct platform p;
	const char *why = NULL;

	CHECK_EQ(platform_parse(&f, &p, &why), 0);
	CHECK_EQ(p.nmem, 2);
	CHECK_EQ(p.mem[0].base, 0x40000000);
	CHECK_EQ(p.mem[0].size, 0x40000000);
	CHECK_EQ(p.mem[1].base, 0x100000000);
	CHECK_EQ(p.nreserved, 3); /* memreserve, fw@7f000000, initrd */
	CHECK_EQ(p.reserved[0].base, 0x40000000);
	CHECK_EQ(p.reserved[1].base, 0x7f000000);
	CHECK_EQ(p.reserved[2].base, 0x48000000);
	CHECK_EQ(p.reserved[2].size, 0x800000);
	CHECK_EQ(p.ncpus, 3);
	CHECK_EQ(p.cpu_mpidr[2], 0x100);
	CHECK_EQ(platform_cpu_index(&p, 0x80000100), 2); /* MPIDR_EL1 bit 31 is RES1 */
	CHECK_EQ(platform_cpu_index(&p, 0x200), -1);
	CHECK_EQ(p.uart_base, 0x9000000); /* through the serial0 alias */
	CHECK(p.gicv3);
	CHECK(p.psci_smc);
}

TEST(platform_from_minimal_dtb)
{
	struct fdt f = open_dtb("minimal.dtb");
	struct platform p;
	const char *why = NULL;

	CHECK_EQ(platform_parse(&f, &p, &why), 0);
	CHECK_EQ(p.nmem, 1);
	CHECK_EQ(p.mem[0].base, 0x80000000);
	CHECK_EQ(p.ncpus, 1);
	CHECK_EQ(p.uart_base, 0x1c090000); /* no stdout-path: first PL011 */
	CHECK(!p.gicv3);
	CHECK(!p.psci_smc);
}

static void check_kcore_node(const u8 *blob, u32 size, u64 base, u64 sz)
{
	struct fdt f;
	struct platform p;
	const char *why;
	u32 i;
	int found = 0;

	CHECK_EQ(fdt_open(&f, blob, size), 0);
	if (fdt_open(&f, blob, size))
		return;
	CHECK_EQ(platform_parse(&f, &p, &why), 0);
	for (i = 0; i < p.nreserved; i++)
		found += p.reserved[i].base == base && p.reserved[i].size == sz;
	CHECK_EQ(found, 1);
}

TEST(fdt_add_reserved_into_existing_node)
{
	struct fdt f = open_dtb("virt.dtb");
	static u8 out[64 << 10];
	u32 size, len;
	struct fdt g;
	int node;

	CHECK_EQ(fdt_add_reserved(&f, out, sizeof(out), 0x7fa00000, 0x600000, &size), 0);
	check_kcore_node(out, size, 0x7fa00000, 0x600000);
	CHECK_EQ(fdt_open(&g, out, size), 0);
	node = fdt_path(&g, "/reserved-memory/kcore@7fa00000");
	CHECK(node > 0);
	CHECK(fdt_prop(&g, node, "no-map", &len) != NULL && len == 0);
	CHECK(fdt_path(&g, "/reserved-memory/fw@7f000000") > 0); /* kept */
	CHECK(fdt_path(&g, "/chosen") > 0);
	CHECK_EQ(fdt_rsv_count(&g), 1);
	/* Not enough room: refused, never overflowed (ASan watches). */
	CHECK_EQ(fdt_add_reserved(&f, out, f.size, 0x7fa00000, 0x600000, &size), -KCORE_ENOSPC);
}

TEST(fdt_add_reserved_creates_node)
{
	struct fdt f = open_dtb("minimal.dtb");
	static u8 out[64 << 10];
	u32 size;
	struct fdt g;
	int rm;

	CHECK_EQ(fdt_add_reserved(&f, out, sizeof(out), 0x8fe00000, 0x200000, &size), 0);
	check_kcore_node(out, size, 0x8fe00000, 0x200000);
	CHECK_EQ(fdt_open(&g, out, size), 0);
	rm = fdt_path(&g, "/reserved-memory");
	CHECK(rm > 0);
	CHECK_EQ(fdt_prop_u32(&g, rm, "#address-cells", 0), 1);
	CHECK(fdt_path(&g, "/reserved-memory/kcore@8fe00000") > 0);
	/* A base above 4 GiB does not fit one address cell. */
	CHECK_EQ(fdt_add_reserved(&f, out, sizeof(out), 0x100000000, 0x200000, &size), -KCORE_ERANGE);
}

/* Corrupted blobs: the reader and the platform parser must stay in bounds. */
TEST(fdt_survives_corruption)
{
	size_t len;
	u8 *orig = read_blob("virt.dtb", &len);
	static u8 out[64 << 10];
	unsigned seed = 12345;
	int i, j;

	for (i = 0; i < 3000; i++) {
		u8 *blob = malloc(len);
		struct fdt f;
		struct platform p;
		const char *why;
		u32 size;

		memcpy(blob, orig, len);
		for (j = 0; j < 1 + i % 8; j++) {
			seed = seed * 1103515245 + 12345;
			blob[40 + (seed >> 8) % (len - 40)] = (u8)(seed >> 16);
		}
		if (fdt_open(&f, blob, len) == 0) {
			(void)platform_parse(&f, &p, &why);
			(void)platform_find_uart(&f);
			if (fdt_add_reserved(&f, out, sizeof(out), 0x7fa00000, 0x600000, &size) == 0)
				CHECK(fdt_open(&f, out, size) == 0);
		}
		free(blob);
	}
	free(orig);
}
